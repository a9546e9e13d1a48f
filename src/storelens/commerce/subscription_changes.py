"""The subscription change feed: every subscription write that changes what MRR or the subscription counts read tells
its listeners, inside the write's transaction, which start, cancel and end instants (old and new) it touched.

Analytics registers the MRR snapshot's note here (`rollups.subscription_mrr.note_changed`), so the Subscriptions page
stops reading cells a write made wrong in the same transaction as the write, as the order change feed (`changes`)
does for the order rollups. Rewrites of unchanged rows (a full listing re-upserts every subscription) say nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

# What MRR, its movements and the subscription counts read of a row (besides its wc id).
TRACKED = (
    "status",
    "billing_period",
    "billing_interval",
    "total_minor",
    "start_at",
    "cancelled_at",
    "end_at",
    "wc_customer_id",
    "deleted_at",
)
INSTANTS = ("start_at", "cancelled_at", "end_at")

Listener = Callable[[Any, list[datetime]], None]
_listeners: list[Listener] = []


def register(listener: Listener) -> Listener:
    """Add a listener (idempotent): `listener(store, instants)`, instants possibly empty (a status change of a
    subscription without dates still moves today's active count)."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def unregister(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def tracked_rows(queryset: Any) -> dict[int, tuple]:
    """wc id → the tracked values of each row of `queryset`, as `emit_changes` compares them."""
    return {row[0]: row[1:] for row in queryset.values_list("wc_id", *TRACKED)}


def emit_changes(store: Any, old: dict[int, tuple], new: dict[int, tuple | None]) -> None:
    """Tells the listeners about the rows whose tracked values differ (`new` None: the row stops counting)."""
    instants: list[datetime] = []
    changed = False
    for wc_id, values in new.items():
        before = old.get(wc_id)
        if before == values:
            continue
        changed = True
        instants.extend(instants_of(before))
        instants.extend(instants_of(values))
    if changed:
        for listener in list(_listeners):
            listener(store, instants)


def instants_of(values: Iterable[Any] | None) -> list[datetime]:
    if values is None:
        return []
    row = dict(zip(TRACKED, values, strict=True))
    return [row[name] for name in INSTANTS if row[name] is not None]

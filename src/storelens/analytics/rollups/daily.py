"""Keeping the daily rollups in step with the raw rows, inside the sync's page transaction.

The change feed hands us (old, new) states of the orders and refunds a page touched. The rollups must move by
exactly C(after) − C(before), where C is every contribution (`metrics.orders.contributions`). Orders contribute on their
own; a refund's cell depends on its order too (day of the refund, but currency and status of the order, and only when
the order can be counted), so a changed order also moves its unchanged refunds, and a refund that arrives before its
order contributes nothing until the order arrives.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction

from storelens.analytics.metrics.orders import order_contribution, refund_contribution
from storelens.analytics.metrics.types import Contribution, OrderRow, RefundRow
from storelens.analytics.models import CountryDailyRollup
from storelens.analytics.rollups.breakdowns import BreakdownDeltas, apply_breakdowns
from storelens.analytics.rollups.cells import CountryDeltas, Deltas, apply
from storelens.analytics.rollups.hours import HourDeltas, apply_hours
from storelens.analytics.rollups.rows import (
    ORDER_FIELDS,
    REFUND_FIELDS,
    order_row_from_state,
    order_row_from_values,
    refund_row_from_state,
    refund_row_from_values,
)
from storelens.stores.reporting import DateBasis
from storelens.stores.zones import store_timezone

if TYPE_CHECKING:
    from datetime import tzinfo

    from storelens.commerce.changes import OrderChange, RefundChange


Move = tuple[DateBasis, Contribution | None, int]


def on_changes(store: Any, order_changes: list[OrderChange], refund_changes: list[RefundChange]) -> None:
    """The change-feed listener: turn one page's changes into daily, per-country and hourly deltas and write them.

    One listener for both tables, because they key the same contributions (reads of the unchanged refunds and
    orders, time-zone conversions, a `Contribution` per order, refund and basis): the page's moves are computed once.
    """
    tz = store_timezone(store.timezone_string, store.gmt_offset)
    # A savepoint inside the sync's page transaction (or a transaction of its own when a caller has none).
    with transaction.atomic():
        moves = compute_moves(store, tz, order_changes, refund_changes)
        apply(store, deltas_from(moves))
        apply(store, deltas_from(moves, CountryDeltas()), model=CountryDailyRollup)
        apply_hours(store, deltas_from(moves, HourDeltas()))
        apply_breakdowns(store, deltas_from(moves, BreakdownDeltas()))


def deltas_for(
    store: Any,
    tz: tzinfo,
    order_changes: Iterable[OrderChange],
    refund_changes: Iterable[RefundChange],
    deltas: Deltas | None = None,
) -> Deltas:
    """C(after) − C(before) of one page's changes, keyed by `deltas.key` (a `Deltas` subclass may key finer)."""
    return deltas_from(compute_moves(store, tz, order_changes, refund_changes), deltas)


def deltas_from(moves: Iterable[Move], deltas: Deltas | None = None) -> Deltas:
    deltas = Deltas() if deltas is None else deltas
    for basis, c, sign in moves:
        deltas.add(basis, c, sign)
    return deltas


def compute_moves(
    store: Any, tz: tzinfo, order_changes: Iterable[OrderChange], refund_changes: Iterable[RefundChange]
) -> list[Move]:
    """Every (basis, contribution, sign) of a page: before states subtracted, after states added."""
    from storelens.commerce.models import Order, Refund

    old_orders: dict[int, OrderRow | None] = {}
    new_orders: dict[int, OrderRow | None] = {}
    for ch in order_changes:
        old_orders.setdefault(ch.wc_id, order_row_from_state(ch.old) if ch.old else None)
        new_orders[ch.wc_id] = order_row_from_state(ch.new) if ch.new else None
    old_refunds: dict[int, RefundRow | None] = {}
    new_refunds: dict[int, RefundRow | None] = {}
    for rc in refund_changes:
        old_refunds.setdefault(rc.wc_id, refund_row_from_state(rc.old) if rc.old else None)
        new_refunds[rc.wc_id] = refund_row_from_state(rc.new) if rc.new else None

    # Unchanged refunds of changed orders move with their order: same row before and after.
    stable_refunds: dict[int, RefundRow] = {}
    if new_orders:
        for v in (
            Refund.objects.filter(store=store, parent_wc_id__in=list(new_orders))
            .exclude(wc_id__in=list(new_refunds))
            .values(*REFUND_FIELDS)
        ):
            stable_refunds[v["wc_id"]] = refund_row_from_values(v)
    # Unchanged orders of changed refunds: same row before and after.
    parent_ids = {r.order_id for r in [*old_refunds.values(), *new_refunds.values()] if r is not None}
    stable_orders: dict[int, OrderRow] = {}
    missing = parent_ids - set(new_orders)
    if missing:
        for v in Order.objects.filter(store=store, wc_id__in=list(missing)).values(*ORDER_FIELDS):
            stable_orders[v["wc_id"]] = order_row_from_values(v)

    def order_before(order_id: int) -> OrderRow | None:
        return old_orders[order_id] if order_id in old_orders else stable_orders.get(order_id)

    def order_after(order_id: int) -> OrderRow | None:
        return new_orders[order_id] if order_id in new_orders else stable_orders.get(order_id)

    moves: list[Move] = []
    add = moves.append
    for basis in DateBasis:
        for order_id, new in new_orders.items():
            add((basis, order_contribution(old_orders[order_id], basis, tz) if old_orders[order_id] else None, -1))
            add((basis, order_contribution(new, basis, tz) if new else None, +1))
        for refund_id, new_r in new_refunds.items():
            old_r = old_refunds[refund_id]
            if old_r is not None:
                add((basis, refund_contribution(old_r, order_before(old_r.order_id), basis, tz), -1))
            if new_r is not None:
                add((basis, refund_contribution(new_r, order_after(new_r.order_id), basis, tz), +1))
        for r in stable_refunds.values():
            add((basis, refund_contribution(r, order_before(r.order_id), basis, tz), -1))
            add((basis, refund_contribution(r, order_after(r.order_id), basis, tz), +1))
    return moves


def rebuild_deltas(
    store: Any, chunk: int = 5000, extra: tuple[Deltas, ...] = ()
) -> tuple[Deltas, CountryDeltas, HourDeltas]:
    """Every daily, per-country and hourly cell of a store from its raw rows, as deltas from empty
    (`rebuild.rebuild`): streams the orders, keeping only what refunds need of each. `extra` deltas (e.g. the
    breakdowns') are filled from the same contributions."""
    from storelens.commerce.models import Order, Refund

    tz = store_timezone(store.timezone_string, store.gmt_offset)
    deltas, by_country, by_hour = Deltas(), CountryDeltas(), HourDeltas()
    parents: dict[int, OrderRow] = {}
    refunded = set(Refund.objects.filter(store=store).values_list("parent_wc_id", flat=True))
    for v in Order.objects.filter(store=store).values(*ORDER_FIELDS).iterator(chunk_size=chunk):
        order = order_row_from_values(v)
        for basis in DateBasis:
            c = order_contribution(order, basis, tz)
            deltas.add(basis, c, +1)
            by_country.add(basis, c, +1)
            by_hour.add(basis, c, +1)
            for more in extra:
                more.add(basis, c, +1)
        if order.id in refunded:
            parents[order.id] = order
    for v in Refund.objects.filter(store=store).values(*REFUND_FIELDS).iterator(chunk_size=chunk):
        refund = refund_row_from_values(v)
        for basis in DateBasis:
            c = refund_contribution(refund, parents.get(refund.order_id), basis, tz)
            deltas.add(basis, c, +1)
            by_country.add(basis, c, +1)
            by_hour.add(basis, c, +1)
            for more in extra:
                more.add(basis, c, +1)
    return deltas, by_country, by_hour

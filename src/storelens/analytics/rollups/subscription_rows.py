"""The subscription rows MRR counts, as `metrics.mrr.Span`s: read by the MRR snapshot's refresh (`subscription_mrr`)
and by the Subscriptions page, whole (the raw path) or for the customers a clipped period touched."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from storelens.analytics.metrics.mrr import Span, monthly_whole_minor

NOT_COUNTED = ("pending", "trash")  # never paid for (pending) or thrown away: never running, as in subscription_figures
SPAN_COLUMNS = (
    "wc_id", "wc_customer_id", "total_minor", "billing_period", "billing_interval", "start_at", "cancelled_at",
    "end_at",
)  # fmt: skip


def counted(store: Any) -> Any:
    """The store's subscriptions MRR counts: not deleted, started, not pending or in the trash."""
    from storelens.commerce.models import Subscription

    return Subscription.objects.filter(store=store, deleted_at__isnull=True, start_at__isnull=False).exclude(
        status__in=NOT_COUNTED
    )


def span_of(row: tuple) -> Span:
    """One row of SPAN_COLUMNS as a `Span`: the customer (a guest-less subscription is its own customer), its monthly
    amount from its current total, and the earlier of its cancellation and end as its stop."""
    wc_id, customer, total, period, interval, start, cancelled, end = row
    stops = [t for t in (cancelled, end) if t is not None]
    who = customer if customer else f"subscription {wc_id}"
    return Span(who, monthly_whole_minor(total, period, interval), start, min(stops) if stops else None)


def spans_of(rows: Iterable[tuple]) -> list[Span]:
    return [span_of(row) for row in rows]


def spans(store: Any) -> list[Span]:
    """Each counted subscription of the store as a `Span`."""
    return spans_of(counted(store).values_list(*SPAN_COLUMNS))

"""A store's MRR over time with its movements, ARPPU and LTV, its subscriptions list and its failed renewals.

MRR is read from the MRR snapshot the sync keeps (`reports.mrr_cells`), or while it does not hold for the range from
the synced subscription rows (one query, bounded by the store's subscription count, not its orders), and for failed
renewals the orders WooCommerce Subscriptions created
(`created_via` "subscription") that are in failed status (the (store, status, created_at) index finds them). The
definitions are `metrics.mrr`; what the movements can and cannot see is said there and on the page.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from storelens.analytics.metrics.mrr import Lifetime, MrrPeriod, lifetime, movements, mrr_at
from storelens.analytics.metrics.periods import bucket
from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.metrics.timezones import day_start_utc
from storelens.analytics.reports.mrr_cells import periods_and_lifetime, usable
from storelens.analytics.rollups.subscription_rows import spans

GRAINS = ("month", "week")


@dataclass
class MrrReport:
    currency: str
    grain: str
    periods: list[tuple[date, date, MrrPeriod]]  # store-local first and last day of each period, and its figures
    lifetime: Lifetime


def period_days(first: date, last: date, grain: str) -> list[tuple[date, date]]:
    """The range cut into calendar months or Monday weeks, the first and last clipped to the range."""
    out: list[tuple[date, date]] = []
    day = first
    while day <= last:
        key = bucket(day, grain)
        if out and bucket(out[-1][0], grain) == key:
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
        day += timedelta(days=1)
    return out


def mrr_report(store: Any, settings: ReportSettings, first: date, last: date, grain: str = "month") -> MrrReport:
    """MRR at each period's start and end (store-local midnights) with the movements between; ARPPU and LTV at the
    range's end (Putler: user churn over the 30 days before it). Read from the MRR snapshot when it holds for the
    range (`reports.mrr_cells`), else from every subscription row (`spans_mrr_report`): the same figures."""
    tz = settings.tz
    days = period_days(first, last, grain)
    snapshot = usable(store, tz, day_start_utc(last + timedelta(days=1), tz))
    if snapshot is None or not days:
        return spans_mrr_report(store, settings, first, last, grain)
    figures, life = periods_and_lifetime(store, snapshot, tz, days, grain)
    return MrrReport(
        store.currency or "USD", grain, [(d0, d1, p) for (d0, d1), p in zip(days, figures, strict=True)], life
    )


def spans_mrr_report(store: Any, settings: ReportSettings, first: date, last: date, grain: str = "month") -> MrrReport:
    """`mrr_report` from every counted subscription row, swept by `metrics.mrr.movements`: the raw path, taken while
    the snapshot is missing or a subscription write since made it wrong for the range."""
    tz = settings.tz
    days = period_days(first, last, grain)
    boundaries = [day_start_utc(d, tz) for d, _ in days] + [day_start_utc(last + timedelta(days=1), tz)]
    all_spans = spans(store)
    figures = movements(all_spans, boundaries)
    end = boundaries[-1]
    life = lifetime(mrr_at(all_spans, end - timedelta(days=30)), mrr_at(all_spans, end))
    return MrrReport(
        store.currency or "USD",
        grain,
        [(d0, d1, p) for (d0, d1), p in zip(days, figures, strict=True)],
        life,
    )


@dataclass(frozen=True)
class FailedRenewal:
    order_wc_id: int
    number: str
    subscription_wc_id: int | None  # from the order's `_subscription_renewal` meta, when the sync kept it
    created_at: datetime | None
    total_minor: int
    currency: str
    billing_email: str


def renewal_subscription(raw: dict) -> int | None:
    """The subscription a renewal order renews: WooCommerce Subscriptions' `_subscription_renewal` order meta."""
    for meta in raw.get("meta_data") or []:
        if isinstance(meta, dict) and meta.get("key") == "_subscription_renewal":
            try:
                return int(meta.get("value"))
            except (TypeError, ValueError):
                return None
    return None


def failed_renewals(store: Any, start: datetime, end: datetime, limit: int = 200) -> list[FailedRenewal]:
    """Renewal orders (created by WooCommerce Subscriptions) in failed status, created in [start, end), newest first."""
    from storelens.commerce.models import Order

    rows = Order.objects.filter(
        store=store,
        status="failed",
        created_via="subscription",
        deleted_at__isnull=True,
        created_at__gte=start,
        created_at__lt=end,
    ).order_by("-created_at", "-wc_id")[:limit]
    return [
        FailedRenewal(
            o.wc_id, o.number, renewal_subscription(o.raw), o.created_at, o.total_minor, o.currency, o.billing_email
        )
        for o in rows
    ]


LIST_COLUMNS = (
    "store", "subscription", "status", "customer", "total", "billing", "monthly", "currency", "start", "next_payment",
    "end",
)  # fmt: skip


def subscription_page(
    stores: Sequence[Any], status: str = "", after: int | None = None, size: int = 50
) -> tuple[list[Any], int | None]:
    """One page of the scope's subscriptions, newest row first, keyset-paged on the row id (`after`: the last id of the
    previous page); returns the rows and the cursor of the next page (None on the last)."""
    from storelens.commerce.models import Subscription

    qs = (
        Subscription.objects.filter(store__in=stores, deleted_at__isnull=True)
        .select_related("store", "customer")
        .defer("raw", "customer__raw")
    )
    if status:
        qs = qs.filter(status=status)
    if after is not None:
        qs = qs.filter(id__lt=after)
    rows = list(qs.order_by("-id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1].id if more and rows else None)


def all_subscriptions(stores: Sequence[Any], status: str = "") -> Iterator[Any]:
    """Every subscription of the scope, page by page (the CSV export: no OFFSET, no whole table in memory)."""
    after = None
    while True:
        rows, after = subscription_page(stores, status, after, size=500)
        yield from rows
        if after is None:
            return

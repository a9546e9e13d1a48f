"""MRR over time read from synced subscription rows equals the raw rows' own answer at every period boundary (in the
store's time zone), adds up per period, and its running count is `subscription_figures`' one; failed renewals are the
failed orders WooCommerce Subscriptions created; the list pages by keyset without gaps or repeats."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import transaction
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.mrr import monthly_whole_minor
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.metrics.timezones import range_bounds_utc
from storelens.analytics.reports.subscription_mrr import failed_renewals, mrr_report, subscription_page
from storelens.analytics.reports.subscriptions import subscription_figures
from storelens.commerce.models import Order, Subscription
from storelens.stores.models import Store

pytestmark = pytest.mark.django_db(transaction=False)
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def new_store(tz: str = "America/New_York") -> Store:
    return Store.objects.create(workspace=Workspace.objects.create(name="Subs"), currency="USD", timezone_string=tz)


def raw_mrr(store: Store, instant: datetime) -> tuple[int, int]:
    """The definition straight over the rows: counted, started before the instant, not cancelled or ended before it."""
    running = (
        Subscription.objects.filter(store=store, deleted_at__isnull=True, start_at__lt=instant)
        .exclude(status__in=["pending", "trash"])
        .exclude(Q(cancelled_at__lt=instant) | Q(end_at__lt=instant))
    )
    rows = list(running.values_list("total_minor", "billing_period", "billing_interval"))
    return sum(monthly_whole_minor(*r) for r in rows), len(rows)


hours = st.integers(0, 24 * 400)
sub = st.tuples(
    st.sampled_from(["active", "on-hold", "pending-cancel", "cancelled", "expired", "pending", "trash", "switched"]),
    st.sampled_from([("month", 1), ("year", 1), ("week", 2), ("day", 10), ("month", 3)]),
    st.integers(0, 99_999),
    st.integers(0, 4),  # customer; 0 = none
    hours,  # start
    st.none() | hours,  # cancelled
    st.none() | hours,  # end
    st.booleans(),  # deleted
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(subs=st.lists(sub, max_size=14), grain=st.sampled_from(["month", "week"]), months=st.integers(1, 8))
def test_mrr_at_every_boundary_equals_the_raw_rows_and_each_period_adds_up(
    subs: list[tuple], grain: str, months: int
) -> None:
    with transaction.atomic():
        store = new_store()
        for i, (status, (period, interval), total, customer, start, cancelled, end, deleted) in enumerate(subs):
            Subscription.objects.create(
                store=store, wc_id=i + 1, status=status, billing_period=period, billing_interval=interval,
                total_minor=total, wc_customer_id=customer, start_at=T0 + timedelta(hours=start),
                cancelled_at=None if cancelled is None else T0 + timedelta(hours=cancelled),
                end_at=None if end is None else T0 + timedelta(hours=end),
                deleted_at=T0 if deleted else None,
            )  # fmt: skip
        settings_ = report_settings(store)
        first, last = date(2025, 2, 10), date(2025, 2, 10) + timedelta(days=30 * months)
        report = mrr_report(store, settings_, first, last, grain)
        assert report.periods[0][0] == first and report.periods[-1][1] == last
        for d0, d1, p in report.periods:
            start, end = range_bounds_utc(d0, d1, settings_.tz)
            assert (p.mrr_start, p.mrr_end) == (raw_mrr(store, start)[0], raw_mrr(store, end)[0])
            assert p.mrr_start + p.new + p.expansion - p.contraction - p.churned + p.reactivated == p.mrr_end
        fig = subscription_figures(store, settings_, first, last)
        _, end = range_bounds_utc(first, last, settings_.tz)
        assert fig.active_at_end == raw_mrr(store, end)[1]
        transaction.set_rollback(True)


def test_failed_renewals_are_failed_orders_subscriptions_created() -> None:
    store = new_store("UTC")

    def order(wc_id: int, status: str, via: str, meta: list[dict]) -> None:
        Order.objects.create(
            store=store, wc_id=wc_id, status=status, currency="USD", created_via=via, total_minor=2500,
            created_at=T0 + timedelta(days=wc_id), number=str(wc_id), raw={"meta_data": meta},
        )  # fmt: skip

    order(1, "failed", "subscription", [{"key": "_subscription_renewal", "value": "77"}])
    order(2, "failed", "checkout", [])  # a failed first purchase: not a renewal
    order(3, "completed", "subscription", [{"key": "_subscription_renewal", "value": "77"}])  # paid renewal
    order(4, "failed", "subscription", [])  # no meta kept: still listed, subscription unknown
    order(40, "failed", "subscription", [])  # outside the range
    found = failed_renewals(store, T0, T0 + timedelta(days=30))
    assert [(f.order_wc_id, f.subscription_wc_id) for f in found] == [(4, None), (1, 77)]


def test_the_list_pages_by_keyset_without_gaps_or_repeats() -> None:
    store = new_store("UTC")
    for i in range(7):
        Subscription.objects.create(store=store, wc_id=100 + i, status="active" if i % 2 else "cancelled")
    seen, after = [], None
    while True:
        rows, after = subscription_page([store], after=after, size=3)
        seen.append([r.wc_id for r in rows])
        if after is None:
            break
    assert seen == [[106, 105, 104], [103, 102, 101], [100]]
    assert [r.wc_id for r in subscription_page([store], status="active")[0]] == [105, 103, 101]

"""The Subscriptions page read from the MRR snapshot equals the raw path (every subscription row swept by
`metrics.mrr.movements`, and the rows counted) for every `MrrPeriod` field, the `Lifetime` and the
`SubscriptionFigures`, for any subscriptions the sync writes (customers with several, guest-less ones, stops before
starts, pending and trashed ones, deleted rows, yearly, weekly and monthly billing), any range and grain, and after
writes made since the refresh (the page then takes the raw path wherever a write could matter)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.metrics.timezones import day_start_utc
from storelens.analytics.models import MrrSnapshot
from storelens.analytics.reports.mrr_cells import usable
from storelens.analytics.reports.subscription_mrr import mrr_report, spans_mrr_report
from storelens.analytics.reports.subscriptions import counted_subscription_figures, subscription_figures
from storelens.analytics.rollups.subscription_mrr import needs_refresh
from storelens.analytics.tasks import refresh_subscription_mrr
from storelens.commerce import mark_missing_deleted, upsert_subscriptions
from storelens.commerce.models import Subscription
from storelens.stores.models import Store

pytestmark = pytest.mark.django_db(transaction=False)
T0 = datetime(2025, 1, 1, tzinfo=UTC)
STATUSES = ["active", "on-hold", "pending-cancel", "cancelled", "expired", "pending", "trash", "switched"]
BILLING = [("month", 1), ("year", 1), ("week", 1), ("week", 2), ("day", 10), ("month", 3)]


def gmt(minutes: int | None) -> str | None:
    return None if minutes is None else (T0 + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S")


# Days from T0 at the local midnights of the zones below (UTC 4:00 and 5:00 New York, 13:00 and 13:30 Lord Howe,
# 18:30 India) and at other times; some a little before the ranges, some after: a range often holds both ends of a
# subscription, and a customer's several subscriptions often start or stop in the same clipped period.
minutes = st.builds(
    lambda d, m: 1440 * d + m, st.integers(-10, 120), st.sampled_from([0, 240, 300, 780, 810, 1110, 1380])
)
write = st.tuples(
    st.just("write"),
    st.integers(1, 12),  # subscription id: rewrites move a subscription's dates, amount, customer or status
    st.sampled_from(STATUSES),
    st.sampled_from(BILLING),
    st.integers(0, 40_000),
    st.integers(0, 3),  # customer; 0 = a guest-less subscription, its own customer
    st.none() | minutes,  # start (None: never started, not counted)
    st.none() | minutes,  # cancelled (before the start too)
    st.none() | minutes,  # end
)
delete = st.tuples(st.just("delete"), st.sets(st.integers(1, 12), max_size=3))  # gone from a full listing
ops = st.lists(st.one_of(write, write, write, delete), max_size=20)
writes = st.lists(st.one_of(write, write, write, delete), min_size=4, max_size=24)


def run(store: Store, steps: list[tuple]) -> None:
    for step in steps:
        if step[0] == "write":
            _, wc_id, status, (period, interval), total, customer, start, cancelled, end = step
            payload = {
                "id": wc_id, "status": status, "billing_period": period, "billing_interval": interval,
                "total": f"{total / 100:.2f}", "currency": "USD", "customer_id": customer,
                "start_date_gmt": gmt(start), "cancelled_date_gmt": gmt(cancelled), "end_date_gmt": gmt(end),
            }  # fmt: skip
            upsert_subscriptions(store, [payload])
        else:
            alive = set(Subscription.objects.filter(store=store).values_list("wc_id", flat=True))
            mark_missing_deleted(Subscription, store, alive - step[1])


def pass_end(store: Store) -> None:
    """What `sync.engine._finish_pass` runs (the queued job runs at once: the tests' queue is immediate)."""
    if needs_refresh(store):
        refresh_subscription_mrr(store.pk)


def assert_page_is_raw(store: Store, first: date, last: date, grain: str) -> None:
    s = report_settings(store)
    assert mrr_report(store, s, first, last, grain) == spans_mrr_report(store, s, first, last, grain)
    assert subscription_figures(store, s, first, last) == counted_subscription_figures(store, s, first, last)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    before=writes,
    after=ops,
    tz=st.sampled_from([("America/New_York", 0), ("Australia/Lord_Howe", 0), ("", 5.5)]),
    ranges=st.lists(
        st.tuples(st.sampled_from(["month", "week", "day"]), st.integers(-10, 110), st.integers(0, 90)),
        min_size=1,
        max_size=6,
    ),
)
def test_snapshot_path_equals_the_raw_path_before_and_after_later_writes(
    before: list[tuple], after: list[tuple], tz: tuple[str, float], ranges: list[tuple[str, int, int]]
) -> None:
    with transaction.atomic():
        workspace = Workspace.objects.create(name="Subs")
        store = Store.objects.create(workspace=workspace, currency="USD", timezone_string=tz[0], gmt_offset=tz[1])
        run(store, before)
        pass_end(store)
        tzinfo = report_settings(store).tz
        cut = [
            (grain, date(2025, 1, 1) + timedelta(days=f), date(2025, 1, 1) + timedelta(days=f + n))
            for grain, f, n in ranges
        ]
        for grain, first, last in cut:
            if Subscription.objects.filter(store=store).exists():  # the snapshot path is taken, not only allowed
                assert usable(store, tzinfo, day_start_utc(last + timedelta(days=1), tzinfo)) is not None
            assert_page_is_raw(store, first, last, grain)
        run(store, after)  # written after the refresh: cells they touch must not be read
        for grain, first, last in cut:
            assert_page_is_raw(store, first, last, grain)
        pass_end(store)
        for grain, first, last in cut:
            assert_page_is_raw(store, first, last, grain)
        transaction.set_rollback(True)


def subscription(wc_id: int, customer: int, start: str, cancelled: str | None = None, **more: str) -> dict:
    return {
        "id": wc_id, "status": "cancelled" if cancelled else "active", "billing_period": "month",
        "billing_interval": 1, "total": "10.00", "currency": "USD", "customer_id": customer,
        "start_date_gmt": start, "cancelled_date_gmt": cancelled, **more,
    }  # fmt: skip


def test_a_cancellation_alone_in_a_clipped_period_churns_its_customer_from_the_cells() -> None:
    store = Store.objects.create(workspace=Workspace.objects.create(name="S"), currency="USD", timezone_string="UTC")
    upsert_subscriptions(store, [subscription(1, 3, "2025-01-01T10:00:00", "2025-03-15T10:00:00")])
    pass_end(store)
    s = report_settings(store)
    assert usable(store, s.tz, datetime(2025, 5, 21, tzinfo=UTC)) is not None
    report = mrr_report(store, s, date(2025, 3, 10), date(2025, 5, 20), "month")
    assert report == spans_mrr_report(store, s, date(2025, 3, 10), date(2025, 5, 20), "month")
    first = report.periods[0][2]
    assert (first.mrr_start, first.churned, first.churned_customers, first.mrr_end) == (1000, 1000, 1, 0)


def test_a_write_after_the_refresh_sends_ranges_ending_after_it_to_the_raw_path_until_the_next_refresh() -> None:
    store = Store.objects.create(workspace=Workspace.objects.create(name="S"), currency="USD", timezone_string="UTC")
    upsert_subscriptions(store, [subscription(1, 3, "2025-01-01T10:00:00"), subscription(2, 4, "2025-02-01T10:00:00")])
    pass_end(store)
    tz = report_settings(store).tz
    upsert_subscriptions(store, [subscription(2, 4, "2025-02-01T10:00:00", "2025-04-02T08:00:00")])
    snapshot = MrrSnapshot.objects.get(store=store)
    assert snapshot.changed and snapshot.changed_from == datetime(2025, 2, 1, 10, tzinfo=UTC)
    assert usable(store, tz, datetime(2025, 2, 1, 10, tzinfo=UTC)) is not None  # before it: the cells still hold
    assert usable(store, tz, datetime(2025, 2, 2, tzinfo=UTC)) is None
    assert_page_is_raw(store, date(2025, 1, 5), date(2025, 4, 20), "month")
    pass_end(store)
    assert usable(store, tz, datetime(2025, 5, 1, tzinfo=UTC)) is not None
    assert not MrrSnapshot.objects.get(store=store).changed
    assert_page_is_raw(store, date(2025, 1, 5), date(2025, 4, 20), "month")


def test_rewriting_unchanged_subscriptions_leaves_the_snapshot_fresh() -> None:
    """A full listing re-upserts every subscription: only a change of what MRR reads marks the snapshot."""
    store = Store.objects.create(workspace=Workspace.objects.create(name="S"), currency="USD", timezone_string="UTC")
    rows = [subscription(1, 3, "2025-01-01T10:00:00"), subscription(2, 0, "2025-02-01T10:00:00", "2025-03-01T00:00:00")]
    upsert_subscriptions(store, rows)
    pass_end(store)
    upsert_subscriptions(store, [{**r, "next_payment_date_gmt": "2025-06-01T00:00:00"} for r in rows])
    mark_missing_deleted(Subscription, store, {1, 2})
    assert not MrrSnapshot.objects.get(store=store).changed
    mark_missing_deleted(Subscription, store, {1})
    snapshot = MrrSnapshot.objects.get(store=store)
    assert snapshot.changed and snapshot.changed_from == datetime(2025, 2, 1, 10, tzinfo=UTC)


def test_a_customer_first_starting_at_a_clipped_periods_first_instant_is_new_there() -> None:
    """The boundary instant belongs to the period it opens: started at its first instant is not "started before"."""
    store = Store.objects.create(workspace=Workspace.objects.create(name="S"), currency="USD", timezone_string="UTC")
    upsert_subscriptions(store, [subscription(1, 3, "2025-03-10T00:00:00"), subscription(2, 0, "2025-01-02T00:00:00")])
    pass_end(store)
    s = report_settings(store)
    assert usable(store, s.tz, datetime(2025, 4, 21, tzinfo=UTC)) is not None
    report = mrr_report(store, s, date(2025, 3, 10), date(2025, 4, 20), "month")
    assert report == spans_mrr_report(store, s, date(2025, 3, 10), date(2025, 4, 20), "month")
    first = report.periods[0][2]
    assert (first.new, first.new_customers, first.reactivated) == (1000, 1, 0)


def test_a_write_while_the_refresh_reads_stays_noted_so_the_page_keeps_to_the_raw_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The refresh reads without holding the snapshot: a write committed after it began reading is not in its cells,
    so its note must survive the refresh's own write."""
    from storelens.analytics.rollups import subscription_mrr

    store = Store.objects.create(workspace=Workspace.objects.create(name="S"), currency="USD", timezone_string="UTC")
    upsert_subscriptions(store, [subscription(1, 3, "2025-01-01T10:00:00")])
    real_events_of = subscription_mrr.events_of

    def events_of_with_a_write_meanwhile(store_id: int, spans: list) -> list[dict]:
        upsert_subscriptions(store, [subscription(2, 4, "2025-02-01T10:00:00")])
        return real_events_of(store_id, spans)

    monkeypatch.setattr(subscription_mrr, "events_of", events_of_with_a_write_meanwhile)
    subscription_mrr.refresh(store)
    snapshot = MrrSnapshot.objects.get(store=store)
    assert snapshot.computed_at is not None and snapshot.changed
    assert usable(store, report_settings(store).tz, datetime(2025, 3, 1, tzinfo=UTC)) is None
    assert_page_is_raw(store, date(2025, 1, 1), date(2025, 2, 28), "month")
    assert needs_refresh(store)

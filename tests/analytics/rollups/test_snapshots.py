"""The Customers page's whole-history figures: customer cells moved by deltas, the per-store snapshot refreshed at the
end of a sync pass, and the figures read from it equal to the raw computation."""

from __future__ import annotations

from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.customers import customer_summary, rfm
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.models import CustomerSnapshot
from storelens.analytics.reports.customer_counts import new_and_returning
from storelens.analytics.reports.customers import customer_value, customer_values_raw, overview
from storelens.analytics.rollups import customers as customer_rollups
from storelens.analytics.rollups.snapshots import refresh, refresh_if_stale
from storelens.commerce import upsert_orders
from storelens.commerce.models import Customer
from storelens.stores.models import Store
from tests.analytics.payloads import order_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def store() -> Store:
    workspace = Workspace.objects.create(name="Snapshot")
    store = Store.objects.create(workspace=workspace, currency="USD", timezone_string="UTC")
    orders = [
        order_payload(i, created=f"2025-03-{i:02d}T10:00:00", paid=f"2025-03-{i:02d}T10:05:00", net=1000 * i, email=e)
        for i, e in enumerate(["a@x.org", "b@x.org", "a@x.org", "c@x.org", "d@x.org", "a@x.org", "b@x.org"], start=1)
    ]
    upsert_orders(store, orders)
    return store


def figures(s: Any) -> tuple:
    top = [(v.customer_id, v.net_minor, v.orders, v.segment) for v in s.top]
    return (s.customers, s.ltv_avg_minor, s.ltv_median_minor, s.top20_share, s.segments, top)


def raw_summary(store: Store) -> Any:
    return customer_summary(rfm(customer_values_raw(store, report_settings(store))))


def test_a_new_order_of_a_known_customer_moves_their_cells_without_recomputing_them(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    recomputed: list[set[int]] = []
    monkeypatch.setattr(customer_rollups, "recompute", lambda store, ids: recomputed.append(set(ids)))
    upsert_orders(store, [order_payload(8, created="2025-03-20T10:00:00", paid="2025-03-20T10:05:00", email="a@x.org")])
    assert recomputed == []
    monkeypatch.undo()
    incremental = overview([store])
    assert figures(incremental) == figures(raw_summary(store))
    assert incremental.top[0].net_minor == 1000 + 3000 + 6000 + 10000


def test_an_order_leaving_a_customers_last_date_recomputes_that_customer(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    recomputed: list[set[int]] = []
    real = customer_rollups.recompute
    monkeypatch.setattr(customer_rollups, "recompute", lambda s, ids: recomputed.append(set(ids)) or real(s, ids))
    # Order 6 was a@x.org's last; cancelling it leaves the (paid, completed) cell, whose MAX must be re-read.
    upsert_orders(store, [order_payload(6, status="cancelled", created="2025-03-06T10:00:00", email="a@x.org")])
    assert recomputed == [{Customer.objects.get(store=store, email="a@x.org").pk}]
    assert figures(overview([store])) == figures(raw_summary(store))


def test_customers_whose_only_orders_are_the_pages_take_its_cells_without_a_recompute(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    recomputed: list[set[int]] = []
    real = customer_rollups.recompute
    monkeypatch.setattr(customer_rollups, "recompute", lambda s, ids: recomputed.append(set(ids)) or real(s, ids))
    upsert_orders(
        store,
        [
            order_payload(20, created="2025-04-01T10:00:00", paid="2025-04-01T10:05:00", net=700, email="new@x.org"),
            order_payload(21, created="2025-04-03T10:00:00", net=900, email="new@x.org", status="on-hold"),
            order_payload(22, created="2025-04-02T10:00:00", paid="2025-04-02T10:05:00", email="other@x.org"),
        ],
    )
    assert recomputed == []
    assert figures(overview([store])) == figures(raw_summary(store))


def test_a_customer_without_cells_but_with_earlier_orders_is_recomputed(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Orders handed to a customer without a change of their own (as a merge does) are found by the recompute."""
    c = Customer.objects.get(store=store, email="c@x.org")
    customer_rollups.CustomerRollup.objects.filter(customer=c).delete()  # as if the merge's recompute never ran
    recomputed: list[set[int]] = []
    real = customer_rollups.recompute
    monkeypatch.setattr(customer_rollups, "recompute", lambda s, ids: recomputed.append(set(ids)) or real(s, ids))
    upsert_orders(store, [order_payload(9, created="2025-03-21T10:00:00", paid="2025-03-21T10:05:00", email="c@x.org")])
    assert recomputed == [{c.pk}]
    assert figures(overview([store])) == figures(raw_summary(store))


def test_the_snapshot_goes_stale_when_customers_move_and_the_end_of_a_pass_refreshes_it(store: Store) -> None:
    assert refresh_if_stale(store) is not None  # none yet: made
    assert refresh_if_stale(store) is None  # nothing moved: left alone
    upsert_orders(store, [order_payload(9, created="2025-03-21T10:00:00", paid="2025-03-21T10:05:00", email="e@x.org")])
    assert CustomerSnapshot.objects.get(store=store).stale
    before = overview([store])
    assert before.stale and before.customers == 4  # served as of the last refresh until the pass ends
    assert refresh_if_stale(store) is not None
    after = overview([store])
    assert not after.stale and figures(after) == figures(raw_summary(store)) and after.customers == 5


def test_new_and_returning_customers_are_exact_whether_the_snapshot_is_fresh_or_stale(store: Store) -> None:
    from datetime import date

    from storelens.analytics.reports.customer_counts import new_and_returning_from_orders

    settings = report_settings(store)
    for first, last in [(date(2025, 3, 3), date(2025, 3, 31)), (date(2025, 3, 2), date(2025, 3, 4))]:
        expected = new_and_returning_from_orders(store, settings, first, last)
        refresh(store)
        assert new_and_returning([store], first, last) == expected
        CustomerSnapshot.objects.filter(store=store).update(stale=True)
        assert new_and_returning([store], first, last) == expected
    # new c, d; returning a, b
    assert new_and_returning_from_orders(store, settings, date(2025, 3, 3), date(2025, 3, 31)) == (2, 2)


def test_a_profile_is_scored_against_every_customer_of_its_store(store: Store) -> None:
    raw = {v.customer_id: v for v in rfm(customer_values_raw(store, report_settings(store)))}
    for customer in Customer.objects.filter(store=store).select_related("store"):
        value = customer_value(customer)
        assert value is not None
        expected = raw[customer.pk]
        assert (value.net_minor, value.orders, value.r, value.f, value.m, value.segment) == (
            expected.net_minor,
            expected.orders,
            expected.r,
            expected.f,
            expected.m,
            expected.segment,
        )


def test_changing_how_a_store_counts_recomputes_its_snapshot_when_next_read(store: Store) -> None:
    refresh(store)
    Store.objects.filter(pk=store.pk).update(excluded_statuses=["pending", "failed", "cancelled", "completed"])
    store.refresh_from_db()
    assert overview([store]).customers == 0  # every order here is completed


def test_the_listeners_read_of_cells_equals_the_orms(store: Store) -> None:
    columns = ("pk", "customer_id", "basis", "status", "currency", "orders", "net_minor", "first_at", "last_at")
    ids = set(Customer.objects.filter(store=store).values_list("pk", flat=True))
    orm = sorted(customer_rollups.CustomerRollup.objects.filter(customer_id__in=ids).values_list(*columns))
    read = sorted(customer_rollups._cells_of(ids))
    assert read == orm
    assert [(type(r[7]), r[7].utcoffset(), r[8].utcoffset()) for r in read] == [
        (type(r[7]), r[7].utcoffset(), r[8].utcoffset()) for r in orm
    ]

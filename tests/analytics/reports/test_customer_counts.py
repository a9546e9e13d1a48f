"""New and returning customers of `build` (the CLI, the API summary, the KPI tiles): read through the
Customers page's standings when they count the same orders, and always equal to the orders-table query
(`new_and_returning_from_orders`, the exact definition) — for a range ending today, a past range, a stale snapshot, the
CLI's overrides and two stores."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.models import CustomerSnapshot
from storelens.analytics.reports import customer_counts
from storelens.analytics.reports.customer_counts import new_and_returning_from_orders
from storelens.analytics.reports.summary import build
from storelens.analytics.rollups.snapshots import refresh, refresh_if_stale
from storelens.commerce import upsert_orders
from storelens.stores.models import Store
from tests.analytics.payloads import order_payload

pytestmark = pytest.mark.django_db

TODAY = date.today()


def at(days_ago: int, hour: int = 10) -> str:
    return f"{TODAY - timedelta(days=days_ago)}T{hour:02d}:00:00"


def order(wc_id: int, email: str, days_ago: int, status: str = "completed", paid: bool = True, hour: int = 10) -> Any:
    created = at(days_ago, hour)
    return order_payload(wc_id, status=status, created=created, paid=created if paid else None, email=email)


@pytest.fixture
def stores() -> tuple[Store, Store]:
    """Store A (UTC) and store B (New York), snapshots fresh. a@ shops in both: a customer is per store."""
    workspace = Workspace.objects.create(name="Report customers")
    a = Store.objects.create(workspace=workspace, currency="USD", timezone_string="UTC")
    b = Store.objects.create(workspace=workspace, currency="USD", timezone_string="America/New_York")
    upsert_orders(
        a,
        [
            order(1, "a@x.org", 40),
            order(2, "a@x.org", 5),
            order(3, "b@x.org", 3),
            order(4, "c@x.org", 100),
            order(5, "d@x.org", 20),
            order(6, "d@x.org", 10),
            order(7, "e@x.org", 60, status="pending", paid=False),  # counted only when pending is not excluded
            order(8, "e@x.org", 2),
            order(9, "f@x.org", 50, status="cancelled"),  # paid, then cancelled: excluded by default
            order(10, "f@x.org", 1),
        ],
    )
    upsert_orders(b, [order(21, "a@x.org", 4, hour=15), order(22, "g@x.org", 200, hour=15), order(23, "g@x.org", 6)])
    for store in (a, b):
        refresh(store)
    return a, b


def raw(stores: list[Store], first: date, last: date, basis: str | None = None, excluded: Any = None) -> tuple:
    """The orders-table query, per store with the report's settings, summed."""
    pairs = [new_and_returning_from_orders(s, report_settings(s, basis, excluded), first, last) for s in stores]
    return sum(n for n, _ in pairs), sum(r for _, r in pairs)


def reported(stores: list[Store], first: date, last: date, basis: str | None = None, excluded: Any = None) -> tuple:
    r = build(stores, first, last, date_basis=basis, excluded_statuses=excluded, with_customers=True)
    return r.new_customers, r.returning_customers


def no_orders_query(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any) -> None:
        raise AssertionError("the orders-table query ran although the standings are current")

    monkeypatch.setattr(customer_counts, "new_and_returning_from_orders", fail)


LAST_30 = (TODAY - timedelta(days=29), TODAY)


def test_a_range_ending_today_is_read_from_the_standings_and_equals_the_orders_query(
    stores: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _ = stores
    for first, last in (LAST_30, (TODAY - timedelta(days=364), TODAY), (TODAY, TODAY)):
        expected = raw([a], first, last)
        no_orders_query(monkeypatch)
        assert reported([a], first, last) == expected
        monkeypatch.undo()
    # new: b, d (both orders in range), e (its pending order is not counted), f (its cancelled one neither); a returns
    assert reported([a], *LAST_30) == (4, 1)


def test_a_past_range_falls_back_to_the_orders_and_stays_exact(stores: tuple[Store, Store]) -> None:
    a, _ = stores
    first, last = TODAY - timedelta(days=45), TODAY - timedelta(days=15)
    assert reported([a], first, last) == raw([a], first, last) == (2, 0)  # a's and d's first orders
    first, last = TODAY - timedelta(days=12), TODAY - timedelta(days=4)
    assert reported([a], first, last) == raw([a], first, last) == (0, 2)  # a (T-5) and d (T-10) return


def test_a_stale_snapshot_is_not_trusted_until_the_pass_end_refreshes_it(stores: tuple[Store, Store]) -> None:
    a, _ = stores
    upsert_orders(a, [order(11, "c@x.org", 1)])  # c comes back; the standings still say c's last order is T-100
    assert CustomerSnapshot.objects.get(store=a).stale
    assert reported([a], *LAST_30) == raw([a], *LAST_30) == (4, 2)
    refresh_if_stale(a)
    assert reported([a], *LAST_30) == (4, 2)


def test_overrides_count_from_the_orders_with_the_overridden_settings(
    stores: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _ = stores
    # Created basis, only failed excluded: e's pending order and f's cancelled one count, so both return.
    assert reported([a], *LAST_30, "created", ["failed"]) == raw([a], *LAST_30, "created", ["failed"]) == (2, 3)
    assert reported([a], *LAST_30, "completed", []) == raw([a], *LAST_30, "completed", [])
    # Overrides equal to the store's own settings are the store's settings: the standings answer.
    no_orders_query(monkeypatch)
    assert reported([a], *LAST_30, "paid", ["cancelled", "failed", "pending"]) == (4, 1)


def test_two_stores_add_up_with_a_customer_counted_in_each_store(
    stores: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    both = list(stores)
    expected = raw(both, *LAST_30)
    assert expected == (5, 2)  # A: 4 new + a returning; B: a new (first order in B), g returning
    no_orders_query(monkeypatch)
    assert reported(both, *LAST_30) == expected
    monkeypatch.undo()
    first, last = TODAY - timedelta(days=45), TODAY - timedelta(days=5)
    assert reported(both, first, last) == raw(both, first, last)
    assert reported(both, *LAST_30, "created", ["failed"]) == raw(both, *LAST_30, "created", ["failed"]) == (3, 4)

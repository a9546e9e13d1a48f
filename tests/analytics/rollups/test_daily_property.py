"""Rollups kept by the change feed answer exactly what the raw rows answer, after any sequence of writes the sync
can make (inserts, status and date changes, refunds before their orders, refunds dropped from an order's list,
deletions), for any range, basis and excluded statuses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.customers import CustomerSummary, CustomerValue, customer_summary, rfm
from storelens.analytics.metrics.ranges import new_and_returning as new_and_returning_definition
from storelens.analytics.metrics.ranges import range_totals
from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.metrics.types import Totals
from storelens.analytics.models import TOTALS_COLUMNS, CustomerRollup, DailyRollup
from storelens.analytics.reports.cells import daily, totals
from storelens.analytics.reports.customer_counts import new_and_returning, new_and_returning_from_orders
from storelens.analytics.reports.customers import customer_values_raw, overview
from storelens.analytics.rollups.rebuild import rebuild
from storelens.analytics.rollups.rows import raw_rows
from storelens.analytics.rollups.snapshots import customer_values, refresh
from storelens.commerce import (
    mark_orders_deleted,
    mark_refunds_deleted,
    upsert_customers,
    upsert_orders,
    upsert_refunds,
)
from storelens.stores.models import Store
from storelens.stores.reporting import DateBasis
from storelens.stores.zones import store_timezone

pytestmark = pytest.mark.django_db(transaction=False)

# Around New York's spring-forward night, so local days of 23 hours are in play.
T0 = datetime(2025, 3, 6, 0, 0, tzinfo=UTC)
FIRST_DAY = date(2025, 3, 5)
LAST_DAY = date(2025, 3, 16)
STATUSES = [
    "completed",
    "processing",
    "on-hold",
    "pending",
    "cancelled",
    "refunded",
    "failed",
    "trash",
    "checkout-draft",
]


def gmt(hours: int) -> str:
    return (T0 + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%S")


def money(cents: int) -> str:
    return str(Decimal(cents) / 100)


orders_op = st.tuples(
    st.just("order"),
    st.integers(1, 5),
    st.sampled_from(STATUSES),
    st.sampled_from(["USD", "EUR"]),
    st.integers(0, 200),  # created, hours after T0
    st.one_of(st.none(), st.integers(0, 40)),  # paid, hours after created
    st.one_of(st.none(), st.integers(0, 60)),  # completed, hours after created
    st.integers(0, 40000),
    st.integers(0, 4000),
    st.integers(0, 1500),
    st.booleans(),  # list the refunds we hold (False: the order lists none, so held refunds are dropped)
    st.sampled_from([0, 0, 41, 42]),  # account id (odd order ids only): a guest e-mail that later registers merges
)
refund_op = st.tuples(
    st.just("refund"),
    st.integers(100, 106),
    st.integers(1, 6),
    st.integers(0, 250),
    st.integers(0, 9000),
    st.integers(0, 800),
    st.integers(0, 700),
)
delete_op = st.tuples(st.sampled_from(["delete_order", "delete_refund"]), st.integers(1, 106))
# The customers sync: an account (41/42) with one of the guest e-mails, whose guest orders merge into it.
register_op = st.tuples(st.just("register"), st.sampled_from([41, 42]), st.integers(0, 2))
ops_strategy = st.lists(st.one_of(orders_op, refund_op, delete_op, register_op), min_size=1, max_size=14)


def run(store: Store, ops: list[tuple]) -> None:
    refunds_of: dict[int, set[int]] = {}
    for op in ops:
        kind = op[0]
        if kind == "order":
            _, oid, status, currency, created, paid, completed, total, tax, ship, list_refunds, registered = op
            payload = {
                "id": oid,
                "status": status,
                "currency": currency,
                "date_created_gmt": gmt(created),
                "date_modified_gmt": gmt(created),
                "date_paid_gmt": gmt(created + paid) if paid is not None else None,
                "date_completed_gmt": gmt(created + completed) if completed is not None else None,
                "total": money(total + tax + ship),
                "total_tax": money(tax),
                "shipping_total": money(ship),
                "discount_total": "0.00",
                "line_items": [{"id": oid * 10, "product_id": 7, "quantity": 2, "subtotal": money(total)}],
                "billing": {"email": f"c{oid % 3}@example.com"},
                "customer_id": registered if registered and oid % 2 else 0,
                "refunds": [{"id": r} for r in sorted(refunds_of.get(oid, ()))] if list_refunds else [],
            }
            upsert_orders(store, [payload])
        elif kind == "refund":
            _, rid, parent, when, amount, tax, ship = op
            payload = {
                "id": rid,
                "parent_id": parent,
                "date_created_gmt": gmt(when),
                "amount": money(amount + tax + ship),
                "line_items": [{"id": rid * 10, "quantity": -1, "total": money(-amount), "total_tax": money(-tax)}],
                "shipping_lines": [{"id": rid * 10 + 1, "total": money(-ship), "total_tax": "0.00"}],
                "fee_lines": [],
            }
            upsert_refunds(store, [payload])
            for ids in refunds_of.values():
                ids.discard(rid)
            refunds_of.setdefault(parent, set()).add(rid)
        elif kind == "register":
            upsert_customers(store, [{"id": op[1], "email": f"c{op[2]}@example.com", "role": "customer"}])
        elif kind == "delete_order":
            mark_orders_deleted(store, [op[1]])
        else:
            mark_refunds_deleted(store, [op[1]])


def cell_map(store: Store) -> dict[tuple, Totals]:
    out = {}
    for row in DailyRollup.objects.filter(store=store):
        t = row.totals()
        if not t.is_zero():
            out[(row.basis, row.day, row.currency, row.status)] = t
    return out


def customer_map(values: list[CustomerValue]) -> dict[int, tuple]:
    return {v.customer_id: (v.orders, v.net_minor, v.first_at, v.last_at, v.currency) for v in values}


def page_figures(s: CustomerSummary) -> tuple:
    top = [(v.customer_id, v.net_minor, v.orders, v.first_at, v.last_at, v.segment) for v in s.top]
    return (s.customers, s.ltv_avg_minor, s.ltv_median_minor, s.top20_share, s.segments, top)


def customer_rollup_map(store: Store) -> dict[tuple, tuple]:
    return {
        (r.customer_id, r.basis, r.status, r.currency): (r.orders, r.net_minor, r.first_at, r.last_at)
        for r in CustomerRollup.objects.filter(store=store)
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ops=ops_strategy,
    first=st.dates(FIRST_DAY, LAST_DAY),
    length=st.integers(0, 8),
    basis=st.sampled_from(list(DateBasis)),
    excluded=st.sets(st.sampled_from(STATUSES[:7]), max_size=4),
    currency=st.sampled_from([None, "USD", "EUR"]),
)
def test_rollups_equal_raw_rows_after_random_writes(
    ops: list[tuple], first: date, length: int, basis: DateBasis, excluded: set[str], currency: str | None
) -> None:
    with transaction.atomic():
        workspace = Workspace.objects.create(name="Prop")
        store = Store.objects.create(
            workspace=workspace,
            currency="USD",
            timezone_string="America/New_York",
            date_basis=basis.value,
            excluded_statuses=sorted(excluded),
        )
        run(store, ops)
        report = ReportSettings(tz=store_timezone("America/New_York"), date_basis=basis, excluded_statuses=excluded)
        last = first + timedelta(days=length)
        orders, refunds = raw_rows(store)

        assert totals(store, report, first, last, currency) == range_totals(
            orders, refunds, report, first, last, currency
        )
        per_day = daily(store, report, FIRST_DAY, LAST_DAY + timedelta(days=3), currency)
        for day in (FIRST_DAY + timedelta(days=i) for i in range(15)):
            assert per_day.get(day, Totals()) == range_totals(orders, refunds, report, day, day, currency)

        # Customers from the grouped SQL equal the definitions over raw rows.
        assert new_and_returning_from_orders(store, report, first, last) == new_and_returning_definition(
            orders, report, first, last
        )

        # Customers' lifetime figures from the customer rollups equal those from raw orders and refunds.
        assert customer_map(customer_values(store, report)) == customer_map(customer_values_raw(store, report))

        # The Customers page from its snapshot (refreshed as at the end of a sync pass) equals the raw computation,
        # and the range's new and returning customers equal the definitions (from the orders while the snapshot is
        # stale, from the standings once it is fresh).
        expected = new_and_returning_definition(orders, report, first, last)
        assert new_and_returning([store], first, last) == expected
        refresh(store)
        assert new_and_returning([store], first, last) == expected
        assert page_figures(overview([store])) == page_figures(
            customer_summary(rfm(customer_values_raw(store, report)))
        )

        # And the incremental cells are exactly the cells a rebuild from raw rows makes.
        incremental, incremental_customers = cell_map(store), customer_rollup_map(store)
        rebuild(store)
        assert incremental == cell_map(store)
        assert incremental_customers == customer_rollup_map(store)
        transaction.set_rollback(True)


def test_totals_columns_cover_every_metric() -> None:
    assert set(TOTALS_COLUMNS) == set(Totals.names())

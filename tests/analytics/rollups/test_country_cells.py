"""Per-country rollups kept by the change feed answer exactly what the raw rows of that country answer, after
random writes the sync can make (an order moving country or status, refunds before their orders, deletions), and
the incremental cells equal a rebuild. The Sales page's country filter reads them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.orders import contributions
from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.metrics.types import Totals
from storelens.analytics.models import CountryDailyRollup
from storelens.analytics.reports.cells import country_daily, filtered_daily
from storelens.analytics.rollups.rebuild import rebuild
from storelens.analytics.rollups.rows import raw_rows
from storelens.commerce import mark_orders_deleted, mark_refunds_deleted, upsert_orders, upsert_refunds
from storelens.stores.models import Store
from storelens.stores.reporting import ALWAYS_EXCLUDED, DateBasis
from storelens.stores.zones import store_timezone

pytestmark = pytest.mark.django_db(transaction=False)

T0 = datetime(2025, 3, 6, 0, 0, tzinfo=UTC)  # around New York's spring-forward night
FIRST_DAY, LAST_DAY = date(2025, 3, 5), date(2025, 3, 16)
STATUSES = ["completed", "processing", "on-hold", "pending", "cancelled", "refunded", "trash"]
COUNTRIES = ["US", "CA", "de", ""]

order_op = st.tuples(
    st.just("order"),
    st.integers(1, 5),
    st.sampled_from(STATUSES),
    st.sampled_from(COUNTRIES),
    st.integers(0, 200),  # created, hours after T0
    st.one_of(st.none(), st.integers(0, 40)),  # paid, hours after created
    st.integers(0, 40000),
    st.integers(0, 4000),
)
refund_op = st.tuples(
    st.just("refund"), st.integers(100, 104), st.integers(1, 6), st.integers(0, 250), st.integers(0, 9000)
)
delete_op = st.tuples(st.sampled_from(["delete_order", "delete_refund"]), st.integers(1, 104))


def gmt(hours: int) -> str:
    return (T0 + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%S")


def money(cents: int) -> str:
    return str(Decimal(cents) / 100)


def run(store: Store, ops: list[tuple]) -> None:
    for op in ops:
        if op[0] == "order":
            _, oid, status, country, created, paid, total, tax = op
            payload = {
                "id": oid,
                "status": status,
                "currency": "USD",
                "date_created_gmt": gmt(created),
                "date_modified_gmt": gmt(created),
                "date_paid_gmt": gmt(created + paid) if paid is not None else None,
                "total": money(total + tax),
                "total_tax": money(tax),
                "line_items": [{"id": oid * 10, "product_id": 7, "quantity": 1, "subtotal": money(total)}],
                "billing": {"email": f"c{oid}@example.com", "country": country},
            }
            upsert_orders(store, [payload])
        elif op[0] == "refund":
            _, rid, parent, when, amount = op
            payload = {
                "id": rid,
                "parent_id": parent,
                "date_created_gmt": gmt(when),
                "amount": money(amount),
                "line_items": [{"id": rid * 10, "quantity": -1, "total": money(-amount), "total_tax": "0.00"}],
            }
            upsert_refunds(store, [payload])
        elif op[0] == "delete_order":
            mark_orders_deleted(store, [op[1]])
        else:
            mark_refunds_deleted(store, [op[1]])


def raw_country_daily(store: Store, report: ReportSettings, country: str, statuses: set[str]) -> dict[date, Totals]:
    """The definitions over the raw rows of the orders billed to `country` (and their refunds)."""
    orders, refunds = raw_rows(store)
    out: dict[date, Totals] = {}
    mine = [o for o in orders if o.country == country]
    for c in contributions(mine, refunds, report.date_basis, report.tz):
        wanted = c.status in statuses - ALWAYS_EXCLUDED if statuses else c.status not in report.all_excluded
        if FIRST_DAY <= c.day <= LAST_DAY + timedelta(days=3) and wanted:
            out.setdefault(c.day, Totals()).add(c.totals)
    return {d: t for d, t in out.items() if not t.is_zero()}


def cells(store: Store) -> dict[tuple, Totals]:
    return {
        (r.basis, r.country, r.day, r.currency, r.status): r.totals()
        for r in CountryDailyRollup.objects.filter(store=store)
        if not r.totals().is_zero()
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ops=st.lists(st.one_of(order_op, refund_op, delete_op), min_size=1, max_size=14),
    basis=st.sampled_from(list(DateBasis)),
    country=st.sampled_from(["US", "CA", "DE"]),
    statuses=st.sets(st.sampled_from(STATUSES), max_size=2),
)
def test_country_rollups_equal_the_raw_rows_of_that_country_after_random_writes(
    ops: list[tuple], basis: DateBasis, country: str, statuses: set[str]
) -> None:
    with transaction.atomic():
        store = Store.objects.create(
            workspace=Workspace.objects.create(name="Prop"), currency="USD", timezone_string="America/New_York"
        )
        run(store, ops)
        report = ReportSettings(tz=store_timezone("America/New_York"), date_basis=basis)
        last = LAST_DAY + timedelta(days=3)
        answer = country_daily(store, report, FIRST_DAY, last, country, sorted(statuses))
        assert {d: t for d, t in answer.items() if not t.is_zero()} == raw_country_daily(
            store, report, country, statuses
        )
        incremental = cells(store)
        rebuild(store)
        assert incremental == cells(store)
        transaction.set_rollback(True)


def test_filtered_daily_by_country_reads_the_country_cells(db: None) -> None:
    store = Store.objects.create(
        workspace=Workspace.objects.create(name="One"), currency="USD", timezone_string="America/New_York"
    )
    run(
        store,
        [
            ("order", 1, "completed", "CA", 20, 1, 10000, 0),
            ("order", 2, "completed", "US", 20, 1, 5000, 0),
            ("order", 3, "cancelled", "CA", 20, 1, 700, 0),
            ("refund", 100, 1, 60, 2500),
        ],
    )
    report = ReportSettings(tz=store_timezone("America/New_York"))
    daily = filtered_daily(store, report, FIRST_DAY, LAST_DAY, country="ca")
    assert {d: (t.orders, t.net_sales) for d, t in daily.items()} == {
        date(2025, 3, 6): (1, 10000),
        date(2025, 3, 8): (0, -2500),
    }
    # Filtering to an excluded status shows those orders, like the Sales page's status filter.
    only_cancelled = filtered_daily(store, report, FIRST_DAY, LAST_DAY, country="CA", statuses=["cancelled"])
    assert {d: t.orders for d, t in only_cancelled.items()} == {date(2025, 3, 6): 1}

"""Breakdown rollups (coupons, payment and shipping methods) kept by the change feed answer exactly what the raw rows
answer per value, after random writes the sync can make (an order changing payment method, shipping, coupons or
status, refunds before their orders, deletions), and the incremental cells equal a rebuild. Payment methods
partition the orders, so their rows add up to the daily cells."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.orders import contributions
from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.models import BreakdownDailyRollup
from storelens.analytics.reports.breakdowns import breakdown
from storelens.analytics.reports.cells import daily
from storelens.analytics.rollups.rebuild import rebuild, rebuild_breakdowns
from storelens.analytics.rollups.rows import raw_rows
from storelens.commerce import mark_orders_deleted, mark_refunds_deleted, upsert_orders, upsert_refunds
from storelens.stores.models import Store
from storelens.stores.reporting import DateBasis
from storelens.stores.zones import store_timezone
from tests.analytics.rollups.test_country_cells import FIRST_DAY, LAST_DAY, STATUSES, gmt, money

pytestmark = pytest.mark.django_db(transaction=False)
LAST = LAST_DAY + timedelta(days=3)
PAYMENTS = [("stripe", "Credit card"), ("bacs", ""), ("", "")]
SHIPPING = ["Flat rate", "Free shipping", "Local pickup"]
COUPONS = ["SAVE10", "vip", "spring"]

order_op = st.tuples(
    st.just("order"),
    st.integers(1, 5),
    st.sampled_from(STATUSES),
    st.integers(0, 200),  # created, hours after T0
    st.one_of(st.none(), st.integers(0, 40)),  # paid, hours after created
    st.integers(0, 40000),
    st.sampled_from(PAYMENTS),
    st.lists(st.sampled_from(SHIPPING), max_size=3),  # a method twice counts once
    st.dictionaries(st.sampled_from(COUPONS), st.integers(0, 3000), max_size=2),
)
refund_op = st.tuples(
    st.just("refund"), st.integers(100, 104), st.integers(1, 6), st.integers(0, 250), st.integers(0, 9000)
)
delete_op = st.tuples(st.sampled_from(["delete_order", "delete_refund"]), st.integers(1, 104))


def order_payload(
    oid: int,
    status: str,
    created: int,
    paid: int | None,
    total: int,
    payment: tuple[str, str],
    shipping: list[str],
    coupons: dict[str, int],
) -> dict:
    return {
        "id": oid,
        "status": status,
        "currency": "USD",
        "date_created_gmt": gmt(created),
        "date_modified_gmt": gmt(created),
        "date_paid_gmt": gmt(created + paid) if paid is not None else None,
        "total": money(total),
        "discount_total": money(sum(coupons.values())),
        "payment_method": payment[0],
        "payment_method_title": payment[1],
        "shipping_lines": [{"id": i, "method_id": m.lower(), "method_title": m} for i, m in enumerate(shipping)],
        "coupon_lines": [{"id": i, "code": c, "discount": money(d)} for i, (c, d) in enumerate(coupons.items())],
        "line_items": [{"id": oid * 10, "product_id": 7, "quantity": 1, "subtotal": money(total)}],
        "billing": {"email": f"c{oid}@example.com", "country": "US"},
    }


def run(store: Store, ops: list[tuple]) -> None:
    for op in ops:
        if op[0] == "order":
            upsert_orders(store, [order_payload(*op[1:])])
        elif op[0] == "refund":
            _, rid, parent, when, amount = op
            upsert_refunds(
                store, [{"id": rid, "parent_id": parent, "date_created_gmt": gmt(when), "amount": money(amount)}]
            )
        elif op[0] == "delete_order":
            mark_orders_deleted(store, [op[1]])
        else:
            mark_refunds_deleted(store, [op[1]])


def raw_breakdown(store: Store, report: ReportSettings, dimension: str) -> dict[str, list[int]]:
    """The definitions over the raw rows: each contribution in the range, split over its order's values."""
    orders, refunds = raw_rows(store)
    out: dict[str, list[int]] = {}
    for c in contributions(orders, refunds, report.date_basis, report.tz):
        if not (FIRST_DAY <= c.day <= LAST) or c.status in report.all_excluded:
            continue
        o = c.order
        assert o is not None
        if dimension == "payment":
            values = [(o.payment, c.totals.coupons)]
        elif dimension == "shipping":
            values = [(m, c.totals.coupons) for m in o.shipping or ("",)]
        else:
            values = [(code, d if c.totals.orders else 0) for code, d in o.coupons]
        for value, discount in values:
            cell = out.setdefault(value, [0, 0, 0])
            cell[0] += c.totals.orders
            cell[1] += c.totals.net_sales
            cell[2] += discount
    return {v: f for v, f in out.items() if any(f)}


def cells(store: Store) -> dict[tuple, tuple[int, int, int]]:
    return {
        (r.basis, r.dimension, r.value, r.day, r.currency, r.status): (r.orders, r.net_sales_minor, r.discount_minor)
        for r in BreakdownDailyRollup.objects.filter(store=store)
        if r.orders or r.net_sales_minor or r.discount_minor
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ops=st.lists(st.one_of(order_op, refund_op, delete_op), min_size=1, max_size=14),
    basis=st.sampled_from(list(DateBasis)),
    dimension=st.sampled_from(["coupon", "payment", "shipping"]),
)
def test_breakdown_rollups_equal_the_raw_rows_per_value_after_random_writes(
    ops: list[tuple], basis: DateBasis, dimension: str
) -> None:
    with transaction.atomic():
        store = Store.objects.create(
            workspace=Workspace.objects.create(name="Prop"), currency="USD", timezone_string="America/New_York"
        )
        run(store, ops)
        report = ReportSettings(tz=store_timezone("America/New_York"), date_basis=basis)
        answer = breakdown([store], FIRST_DAY, LAST, dimension, date_basis=basis.value)
        assert {r.value: [r.orders, r.net_sales, r.discount] for r in answer.rows} == raw_breakdown(
            store, report, dimension
        )
        if dimension == "payment":  # one payment method per order: the rows add up to the days
            days = daily(store, report, FIRST_DAY, LAST)
            assert answer.orders == sum(t.orders for t in days.values())
            assert answer.net_sales == sum(t.net_sales for t in days.values())
        incremental = cells(store)
        rebuild(store)
        assert incremental == cells(store)
        rebuild_breakdowns(store)
        assert incremental == cells(store)
        transaction.set_rollback(True)


def test_an_order_counts_once_per_shipping_method_and_each_coupon_keeps_its_own_discount(db: None) -> None:
    store = Store.objects.create(workspace=Workspace.objects.create(name="One"), currency="USD", timezone_string="UTC")
    payload = order_payload(
        1,
        "completed",
        30,
        0,
        9000,
        ("stripe", "Credit card"),
        ["Flat rate", "Flat rate", "Express"],
        {"SAVE10": 1000, "VIP": 500},
    )
    upsert_orders(store, [payload])
    upsert_refunds(store, [{"id": 100, "parent_id": 1, "date_created_gmt": gmt(60), "amount": "20.00"}])
    first, last = date(2025, 3, 1), date(2025, 3, 31)
    shipping = breakdown([store], first, last, "shipping")
    assert [(r.label, r.orders, r.net_sales) for r in shipping.rows] == [("Express", 1, 7000), ("Flat rate", 1, 7000)]
    coupons = breakdown([store], first, last, "coupon")
    assert sorted((r.value, r.orders, r.discount, r.net_sales) for r in coupons.rows) == [
        ("save10", 1, 1000, 7000),
        ("vip", 1, 500, 7000),
    ]
    payment = breakdown([store], first, last, "payment")
    assert [(r.label, r.orders, r.net_sales, r.discount) for r in payment.rows] == [("Credit card", 1, 7000, 1500)]

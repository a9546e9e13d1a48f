"""Per-product rollups kept by the change feed answer exactly what the raw rows answer, after any sequence of writes the
sync can make: orders created and edited (line items added, removed, changed, status and date changes, trash), refunds
full or partial on later days (also before their order arrives, or dropped from its list), hard deletions; for any
range, basis and excluded statuses, per product and per variation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.products import ProductLineRow, product_range_totals
from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.models import ProductDailyRollup
from storelens.analytics.reports.products import ProductLine, product_leaderboard, product_leaderboard_raw
from storelens.analytics.rollups.rebuild import rebuild
from storelens.analytics.rollups.rows import raw_rows
from storelens.commerce import mark_orders_deleted, mark_refunds_deleted, upsert_orders, upsert_refunds
from storelens.commerce.models import LineItem, RefundLine
from storelens.stores.models import Store
from storelens.stores.reporting import DateBasis
from storelens.stores.zones import store_timezone

pytestmark = pytest.mark.django_db(transaction=False)

T0 = datetime(2025, 3, 6, 0, 0, tzinfo=UTC)  # around New York's spring-forward night
FIRST_DAY = date(2025, 3, 5)
LAST_DAY = date(2025, 3, 20)
STATUSES = ["completed", "processing", "on-hold", "pending", "cancelled", "refunded", "failed", "trash"]
PRODUCTS = [(7, 0), (8, 81), (8, 82), (9, 0)]


def gmt(hours: int) -> str:
    return (T0 + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%S")


def money(cents: int) -> str:
    return str(Decimal(cents) / 100)


sold_line = st.tuples(st.sampled_from(PRODUCTS), st.integers(0, 3), st.integers(0, 5000), st.integers(0, 500))
refund_line = st.tuples(st.sampled_from(PRODUCTS), st.integers(-2, 0), st.integers(-3000, -1))
orders_op = st.tuples(
    st.just("order"),
    st.integers(1, 4),
    st.sampled_from(STATUSES),
    st.sampled_from(["USD", "EUR"]),
    st.integers(0, 300),  # created, hours after T0
    st.one_of(st.none(), st.integers(0, 40)),  # paid, hours after created
    st.one_of(st.none(), st.integers(0, 60)),  # completed, hours after created
    st.lists(sold_line, min_size=1, max_size=3),
    st.booleans(),  # list the refunds we hold (False: held refunds are dropped)
)
refund_op = st.tuples(
    st.just("refund"),
    st.integers(100, 104),
    st.integers(1, 5),
    st.integers(0, 360),  # often days after the order
    st.lists(refund_line, min_size=1, max_size=2),
)
delete_op = st.tuples(
    st.sampled_from(["delete_order", "delete_refund"]), st.sampled_from([1, 2, 3, 4, 5, 100, 101, 102])
)
ops_strategy = st.lists(st.one_of(orders_op, orders_op, refund_op, refund_op, delete_op), min_size=1, max_size=14)


def run(store: Store, ops: list[tuple]) -> None:
    refunds_of: dict[int, set[int]] = {}
    for n, op in enumerate(ops):
        if op[0] == "order":
            _, oid, status, currency, created, paid, completed, lines, list_refunds = op
            items = [
                {
                    "id": oid * 100 + i,
                    "name": f"P{product}",
                    "product_id": product,
                    "variation_id": variation,
                    "quantity": quantity,
                    "subtotal": money(total + discount),
                    "total": money(total),
                    "total_tax": "0.00",
                }
                for i, ((product, variation), quantity, total, discount) in enumerate(lines)
            ]
            net = sum(total for _, _, total, _ in lines)
            payload = {
                "id": oid,
                "status": status,
                "currency": currency,
                "date_created_gmt": gmt(created),
                "date_modified_gmt": gmt(created + n),
                "date_paid_gmt": gmt(created + paid) if paid is not None else None,
                "date_completed_gmt": gmt(created + completed) if completed is not None else None,
                "total": money(net),
                "total_tax": "0.00",
                "shipping_total": "0.00",
                "line_items": items,
                "billing": {"email": f"c{oid}@example.com"},
                "refunds": [{"id": r} for r in sorted(refunds_of.get(oid, ()))] if list_refunds else [],
            }
            upsert_orders(store, [payload])
        elif op[0] == "refund":
            _, rid, parent, when, lines = op
            items = [
                {
                    "id": rid * 100 + i,
                    "product_id": product,
                    "variation_id": variation,
                    "quantity": quantity,
                    "subtotal": money(total),
                    "total": money(total),
                    "total_tax": "0.00",
                }
                for i, ((product, variation), quantity, total) in enumerate(lines)
            ]
            amount = -sum(total for _, _, total in lines)
            payload = {"id": rid, "parent_id": parent, "date_created_gmt": gmt(when), "amount": money(amount)}
            upsert_refunds(store, [{**payload, "line_items": items, "shipping_lines": [], "fee_lines": []}])
            for ids in refunds_of.values():
                ids.discard(rid)
            refunds_of.setdefault(parent, set()).add(rid)
        elif op[0] == "delete_order":
            mark_orders_deleted(store, [op[1]])
        else:
            mark_refunds_deleted(store, [op[1]])


def board(lines: list[ProductLine]) -> dict[tuple, tuple]:
    return {(p.currency, p.product_wc_id, p.variation_wc_id): p.figures() for p in lines}


def raw_board(store: Store, report: ReportSettings, first: date, last: date, by_variation: bool) -> dict:
    """The definitions applied to every raw row in Python."""
    orders, refunds = raw_rows(store)
    columns = ("product_wc_id", "variation_wc_id", "quantity", "subtotal_minor", "total_minor")
    order_lines: dict[int, list[ProductLineRow]] = {}
    for wc_id, *values in LineItem.objects.filter(store=store).values_list("order__wc_id", *columns):
        order_lines.setdefault(wc_id, []).append(ProductLineRow(*values))
    refund_lines: dict[int, list[ProductLineRow]] = {}
    for wc_id, *values in RefundLine.objects.filter(store=store).values_list("refund__wc_id", *columns):
        refund_lines.setdefault(wc_id, []).append(ProductLineRow(*values))
    totals = product_range_totals(orders, order_lines, refunds, refund_lines, report, first, last, by_variation)
    return {
        key: (t.units, t.net_sales, t.refunded_units, t.refunds, t.orders, t.gross_sales) for key, t in totals.items()
    }


def cells(store: Store) -> list[tuple]:
    keys = ("basis", "span", "day", "currency", "status", "product_wc_id", "variation_wc_id")
    values = ("net_sales_minor", "gross_sales_minor", "units", "refunds_minor", "refunded_units", "orders")
    rows = ProductDailyRollup.objects.filter(store=store).values_list(*keys, *values, "product_orders")
    return sorted(row for row in rows if any(row[len(keys) :]))  # emptied cells aside


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ops=ops_strategy,
    first=st.dates(FIRST_DAY, LAST_DAY),
    length=st.integers(0, 10),
    basis=st.sampled_from(list(DateBasis)),
    excluded=st.sets(st.sampled_from(STATUSES[:7]), max_size=4),
)
def test_product_rollups_equal_raw_rows_after_random_writes(
    ops: list[tuple], first: date, length: int, basis: DateBasis, excluded: set[str]
) -> None:
    with transaction.atomic():
        workspace = Workspace.objects.create(name="Prop")
        store = Store.objects.create(workspace=workspace, currency="USD", timezone_string="America/New_York")
        run(store, ops)
        report = ReportSettings(tz=store_timezone("America/New_York"), date_basis=basis, excluded_statuses=excluded)
        last = first + timedelta(days=length)
        for by_variation in (False, True):
            rolled = board(product_leaderboard(store, report, first, last, by_variation))
            assert rolled == raw_board(store, report, first, last, by_variation)
            assert rolled == board(product_leaderboard_raw(store, report, first, last, by_variation))
        # Variations listed under a product add up to it (orders aside: one order may hold two variations).
        for product in product_leaderboard(store, report, first, last):
            if product.variations:
                summed = [sum(v.figures()[i] for v in product.variations) for i in range(6)]
                assert summed[:4] + summed[5:] == [*product.figures()[:4], product.figures()[5]]
        # The incremental cells are exactly the cells a rebuild from raw rows makes.
        incremental = cells(store)
        rebuild(store)
        assert incremental == cells(store)
        transaction.set_rollback(True)

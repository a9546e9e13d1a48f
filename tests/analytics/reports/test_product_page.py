"""The product page's figures equal what the raw rows say, after any sequence of writes the sync can make (the
random histories of tests/analytics/rollups/test_products_property.py): its series per day and variation equals the
Products leaderboard computed from raw rows day by day, and its buyers and bought-together equal a plain Python pass
over every order, line item and refund line of the store, both as read from their rollups (kept by the sync, then
rebuilt) and as computed by the raw SQL the benchmark compares them with."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.orders import is_counted, order_day
from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.reports.product_buyers import (
    bought_together,
    bought_together_raw,
    product_buyers,
    product_buyers_raw,
    product_lists,
)
from storelens.analytics.reports.product_page import product_series, product_series_raw
from storelens.analytics.rollups import product_orders
from storelens.analytics.rollups.rows import raw_rows
from storelens.commerce.models import LineItem, Order, Refund, RefundLine
from storelens.stores.models import Store
from storelens.stores.reporting import DateBasis
from storelens.stores.zones import store_timezone
from tests.analytics.rollups.test_products_property import FIRST_DAY, LAST_DAY, STATUSES, ops_strategy, run

pytestmark = pytest.mark.django_db(transaction=False)


def raw_buyers_and_together(
    store: Store, report: ReportSettings, product: int, first: date, last: date
) -> tuple[dict, dict[int, int], int]:
    """(customer, currency) → [orders, units, net] and product → orders with both, from every raw row in Python."""
    orders, _ = raw_rows(store)
    counted = {
        o.id
        for o in orders
        if is_counted(o, report) and first <= (order_day(o, report.date_basis, report.tz) or date.min) <= last
    }
    customer = dict(Order.objects.filter(store=store).values_list("wc_id", "customer_id"))
    currency = dict(Order.objects.filter(store=store).values_list("wc_id", "currency"))
    lines: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for wc_id, p, quantity, total in LineItem.objects.filter(store=store).values_list(
        "order__wc_id", "product_wc_id", "quantity", "total_minor"
    ):
        if wc_id in counted and not (quantity == 0 and total >= 0):
            lines[wc_id].append((p, int(quantity), total))
    buyers: dict[tuple, list[int]] = {}
    together: dict[int, int] = defaultdict(int)
    with_product = [o for o, ls in lines.items() if any(p == product for p, _, _ in ls)]
    for o in with_product:
        f = buyers.setdefault((customer[o], currency[o]), [0, 0, 0])
        f[0] += 1
        for p, quantity, total in lines[o]:
            if p == product:
                f[1] += quantity
                f[2] += total
        for p in {p for p, _, _ in lines[o]} - {product, 0}:
            together[p] += 1
    live = {
        pk: parent
        for pk, parent in Refund.objects.filter(store=store, deleted_at__isnull=True).values_list("pk", "parent_wc_id")
    }
    for refund_pk, p, quantity, total in RefundLine.objects.filter(store=store).values_list(
        "refund_id", "product_wc_id", "quantity", "total_minor"
    ):
        parent = live.get(refund_pk)
        if parent in with_product and p == product and not (quantity == 0 and total >= 0):
            f = buyers[(customer[parent], currency[parent])]
            f[1] -= abs(int(quantity))
            f[2] += total
    return buyers, dict(together), len(with_product)


def check_lists(store: Store, report: ReportSettings, first: date, last: date) -> None:
    """Buyers and bought-together of products 7, 8 and 9, from their rollups and from the raw SQL, equal the Python
    pass over every raw row."""
    for product in (7, 8, 9):
        expected, together, orders = raw_buyers_and_together(store, report, product, first, last)
        for read in (product_buyers, product_buyers_raw):
            buyers, count = read(store, report, product, first, last, limit=1000)
            assert {(b.customer_id, b.currency): [b.orders, b.units, b.net_minor] for b in buyers} == expected
            assert count == len(expected)
        for pairs_of in (bought_together, bought_together_raw):
            pairs, total = pairs_of(store, report, product, first, last, limit=1000)
            assert {t.product_wc_id: t.orders for t in pairs} == together and total == orders
        # What the page shows: the top few of each, in the raw side's order, cut where it cuts, with the same counts.
        shown = product_lists(store, report, product, first, last, buyers=3, together=2)
        assert (shown.buyers, shown.buyer_count) == product_buyers_raw(store, report, product, first, last, limit=3)
        assert (shown.together, shown.product_orders) == bought_together_raw(
            store, report, product, first, last, limit=2
        )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ops=ops_strategy,
    first=st.dates(FIRST_DAY, LAST_DAY),
    length=st.integers(0, 10),
    basis=st.sampled_from(list(DateBasis)),
    excluded=st.sets(st.sampled_from(STATUSES[:7]), max_size=4),
)
def test_product_page_figures_equal_raw_rows_after_random_writes(
    ops: list[tuple], first: date, length: int, basis: DateBasis, excluded: set[str]
) -> None:
    with transaction.atomic():
        workspace = Workspace.objects.create(name="Prop")
        store = Store.objects.create(workspace=workspace, currency="USD", timezone_string="America/New_York")
        run(store, ops)
        report = ReportSettings(tz=store_timezone("America/New_York"), date_basis=basis, excluded_statuses=excluded)
        last = first + timedelta(days=length)
        for rebuilt in (False, True):  # the cells the sync kept, then the ones the repair path writes
            if rebuilt:
                product_orders.rebuild(store)
            for product in (7, 8, 9):
                rolled = product_series(store, report, product, first, last)
                assert rolled.days == product_series_raw(store, report, product, first, last).days
            check_lists(store, report, first, last)
            check_lists(store, report, FIRST_DAY, LAST_DAY + timedelta(days=15))  # every order of the history
        transaction.set_rollback(True)

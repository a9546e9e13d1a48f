"""The products leaderboard against hand-computed figures (WooCommerce Analytics' Products report rules): refund lines
on the refund's own day, an amount-only line refund, a refund of an excluded order, an order outside the range
refunded inside it, a variable product's orders counted once, names from the catalogue."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.models import ProductDailyRollup
from storelens.analytics.reports.cells import filtered_daily
from storelens.analytics.reports.products import ProductLine, product_leaderboard, product_leaderboard_raw
from storelens.analytics.rollups.rebuild import rebuild
from storelens.commerce import upsert_orders, upsert_refunds
from storelens.commerce.catalogue import upsert_products, upsert_variations
from storelens.stores.models import Store
from storelens.stores.reporting import DateBasis
from storelens.stores.zones import store_timezone
from tests.analytics.payloads import money

pytestmark = pytest.mark.django_db

NY = store_timezone("America/New_York")
PAID = ReportSettings(tz=NY)
MARCH = (date(2025, 3, 1), date(2025, 3, 31))
APRIL = (date(2025, 4, 1), date(2025, 4, 30))


def line(item_id: int, product: int, quantity: int, total: int, *, variation: int = 0, subtotal: int | None = None):
    return {
        "id": item_id,
        "name": f"Line of {product}",
        "product_id": product,
        "variation_id": variation,
        "quantity": quantity,
        "subtotal": money(total if subtotal is None else subtotal),
        "total": money(total),
        "total_tax": "0.00",
    }


def order(wc_id: int, when: str, lines: list[dict], status: str = "completed", paid: bool = True) -> dict[str, Any]:
    net = sum(round(float(li["total"]) * 100) for li in lines)
    return {
        "id": wc_id,
        "status": status,
        "currency": "USD",
        "date_created_gmt": when,
        "date_modified_gmt": when,
        "date_paid_gmt": when if paid else None,
        "total": money(net),
        "total_tax": "0.00",
        "shipping_total": "0.00",
        "line_items": lines,
        "billing": {"email": f"c{wc_id}@example.com"},
    }


def refund(wc_id: int, parent: int, when: str, lines: list[dict]) -> dict[str, Any]:
    amount = -sum(round(float(li["total"]) * 100) for li in lines)
    return {"id": wc_id, "parent_id": parent, "date_created_gmt": when, "amount": money(amount), "line_items": lines}


@pytest.fixture
def shop() -> Store:
    workspace = Workspace.objects.create(name="Products")
    store = Store.objects.create(workspace=workspace, currency="USD", timezone_string="America/New_York")
    upsert_products(store, [{"id": 10, "name": "Mug", "sku": "MUG"}, {"id": 20, "name": "Hoodie", "sku": "HD"}])
    upsert_variations(
        store,
        20,
        [
            {"id": 21, "sku": "HD-M", "attributes": [{"name": "Size", "option": "M"}]},
            {"id": 22, "sku": "HD-L", "attributes": [{"name": "Size", "option": "L"}]},
        ],
    )
    upsert_orders(
        store,
        [
            # 1 March local (04:59 UTC on the 2nd is 23:59 EST on the 1st): 2 mugs 30.00 after a 5.00 coupon,
            # a hoodie M 15.00 and three hoodies L 45.00.
            order(
                1,
                "2025-03-02T04:59:00",
                [
                    line(11, 10, 2, 3000, subtotal=3500),
                    line(12, 20, 1, 1500, variation=21),
                    line(13, 20, 3, 4500, variation=22),
                ],
            ),
            order(2, "2025-03-03T15:00:00", [line(21, 20, 2, 3000, variation=21), line(22, 10, 1, 1500)]),
            # pending and unpaid: excluded, and so is its refund
            order(3, "2025-03-04T15:00:00", [line(31, 10, 5, 7500)], status="pending", paid=False),
            # February, refunded in March
            order(4, "2025-02-10T15:00:00", [line(41, 10, 1, 1500)]),
            # a line with no quantity and no amount is not a product sale (WooCommerce skips it)
            order(5, "2025-03-04T15:00:00", [line(51, 30, 0, 0)]),
        ],
    )
    upsert_refunds(
        store,
        [
            refund(60, 4, "2025-03-06T15:00:00", [line(61, 10, -1, -1500)]),  # 6 March: one mug back
            refund(70, 1, "2025-03-05T15:00:00", [line(71, 10, 0, -500)]),  # 5 March: 5.00 off the mugs, none back
            refund(80, 3, "2025-03-05T15:00:00", [line(81, 10, -1, -1500)]),  # of the excluded order
            refund(90, 1, "2025-04-02T15:00:00", [line(91, 20, -1, -1500, variation=22)]),  # April: a hoodie L back
        ],
    )
    return store


def figures(lines: list[ProductLine]) -> list[tuple]:
    return [(p.product_wc_id, p.variation_wc_id, p.name, p.sku, *p.figures()) for p in lines]


def test_march_by_product_with_refunds_on_their_own_days(shop: Store) -> None:
    lines = product_leaderboard(shop, PAID, *MARCH)
    # (id, variation, name, sku, units, net, refunded units, refunds, orders, gross)
    # Hoodie: 1 + 2 (M) + 3 (L) units, 15 + 30 + 45 net; orders 1 and 2, order 1 once though it holds both sizes.
    # Mug: 2 + 1 − 1 units; 30 + 15 − 15 (order 4's refund) − 5 (amount-only refund) net; gross 35 + 15.
    assert figures(lines) == [
        (20, 0, "Hoodie", "HD", 6, 9000, 0, 0, 2, 9000),
        (10, 0, "Mug", "MUG", 2, 2500, 1, 2000, 2, 5000),
    ]
    hoodie = lines[0]
    assert figures(hoodie.variations) == [
        (20, 21, "Hoodie – M", "HD-M", 3, 4500, 0, 0, 2, 4500),  # ties rank by id
        (20, 22, "Hoodie – L", "HD-L", 3, 4500, 0, 0, 1, 4500),
    ]
    assert lines[1].variations == []  # a simple product has no variation rows
    assert all(type(v) is int for p in lines for v in p.figures())  # never floats, on SQLite either


def test_a_refund_on_a_later_day_counts_in_its_own_range(shop: Store) -> None:
    assert figures(product_leaderboard(shop, PAID, *APRIL, by_variation=True)) == [
        (20, 22, "Hoodie – L", "HD-L", -1, -1500, 1, 1500, 0, 0)
    ]


def test_excluded_statuses_and_basis_apply_to_products(shop: Store) -> None:
    everything = ReportSettings(tz=NY, date_basis=DateBasis.CREATED, excluded_statuses=frozenset())
    mug = next(p for p in product_leaderboard(shop, everything, *MARCH) if p.product_wc_id == 10)
    # the pending order (5 mugs, 75.00) and its refund (1 mug, 15.00) now count
    assert mug.figures() == (2 + 5 - 1, 2500 + 7500 - 1500, 2, 3500, 3, 5000 + 7500)
    paid_everything = ReportSettings(tz=NY, excluded_statuses=frozenset())
    mug_paid = next(p for p in product_leaderboard(shop, paid_everything, *MARCH) if p.product_wc_id == 10)
    assert mug_paid.figures() == (2, 2500, 1, 2000, 2, 5000)  # unpaid: no paid date, so never on the paid basis


def test_rollup_equals_raw_rows_and_a_rebuild(shop: Store) -> None:
    for first, last in (MARCH, APRIL, (date(2025, 2, 1), date(2025, 4, 30))):
        for by_variation in (False, True):
            assert figures(product_leaderboard(shop, PAID, first, last, by_variation)) == figures(
                product_leaderboard_raw(shop, PAID, first, last, by_variation)
            )

    keys = ("basis", "span", "day", "currency", "status", "product_wc_id", "variation_wc_id")
    values = ("net_sales_minor", "gross_sales_minor", "units", "refunds_minor", "refunded_units", "orders")

    def cells() -> list[tuple]:
        return sorted(ProductDailyRollup.objects.filter(store=shop).values_list(*keys, *values, "product_orders"))

    incremental = cells()
    rebuild(shop)
    assert cells() == [row for row in incremental if any(row[len(keys) :])]  # a rebuild leaves no emptied cells


def test_edits_move_the_cells(shop: Store) -> None:
    # Order 2 loses its mug and is cancelled: its hoodies leave March, the mug line leaves with it.
    upsert_orders(shop, [order(2, "2025-03-03T15:00:00", [line(21, 20, 2, 3000, variation=21)], status="cancelled")])
    assert figures(product_leaderboard(shop, PAID, *MARCH)) == [
        (20, 0, "Hoodie", "HD", 4, 6000, 0, 0, 1, 6000),
        (10, 0, "Mug", "MUG", 1, 1000, 1, 2000, 1, 3500),
    ]


def test_sales_product_filter_counts_whole_orders_and_their_refunds_in_the_range(shop: Store) -> None:
    # The Sales page's product filter: orders that sold the mug, whole (order 1's 90.00 includes its hoodies), and
    # the refunds of such orders made in the range, whatever day their order fell on (order 4 is February's).
    mug = filtered_daily(shop, PAID, *MARCH, product=10)
    assert {day: (t.orders, t.net_sales, t.refunds) for day, t in mug.items()} == {
        date(2025, 3, 1): (1, 9000, 0),
        date(2025, 3, 3): (1, 4500, 0),
        date(2025, 3, 5): (0, -500, 500),
        date(2025, 3, 6): (0, -1500, 1500),
    }
    # April: order 1's hoodie refund is a refund of an order that sold a mug, so it is in the mug's view too.
    for product in (10, 20):
        april = filtered_daily(shop, PAID, *APRIL, product=product)
        assert {day: (t.orders, t.net_sales) for day, t in april.items()} == {date(2025, 4, 2): (0, -1500)}
    assert filtered_daily(shop, PAID, *APRIL, product=30) == {}  # nothing of product 30 happened in April

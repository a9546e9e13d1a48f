"""The product page's lists as shown: the buyers ranked and cut in SQL (`ranked_buyers`) in the order the raw side
ranks them, with ties broken the same way, and the order count bought-together divides by read with them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.reports.product_buyers import product_buyers_raw, product_lists, ranked_buyers
from storelens.commerce import upsert_orders
from storelens.commerce.models import Customer
from storelens.stores.models import Store
from tests.analytics.payloads import money

pytestmark = pytest.mark.django_db

HAT, SCARF = 5, 6
MARCH = (date(2025, 3, 1), date(2025, 3, 31))


def order(wc_id: int, email: str, hat_units: int, hat_total: int, currency: str = "USD") -> dict[str, Any]:
    when = f"2025-03-{wc_id:02d}T15:00:00"
    lines = [
        {"id": wc_id * 10, "name": "Hat", "product_id": HAT, "variation_id": 0, "quantity": hat_units,
         "subtotal": money(hat_total), "total": money(hat_total), "total_tax": "0.00"},
        {"id": wc_id * 10 + 1, "name": "Scarf", "product_id": SCARF, "variation_id": 0, "quantity": 1,
         "subtotal": "5.00", "total": "5.00", "total_tax": "0.00"},
    ]  # fmt: skip
    return {
        "id": wc_id, "number": str(wc_id), "status": "completed", "currency": currency,
        "date_created_gmt": when, "date_modified_gmt": when, "date_paid_gmt": when, "date_completed_gmt": when,
        "total": money(hat_total + 500), "total_tax": "0.00", "shipping_total": "0.00", "discount_total": "0.00",
        "line_items": lines, "billing": {"email": email, "first_name": email.split("@")[0].capitalize()},
        "customer_id": 0, "refunds": [],
    }  # fmt: skip


@pytest.fixture
def store() -> Store:
    shop = Store.objects.create(
        workspace=Workspace.objects.create(name="Hats"), currency="USD", timezone_string="America/New_York"
    )
    upsert_orders(
        shop,
        [
            order(1, "ann@x.org", 1, 5000),  # 50.00, 1 unit
            order(2, "bo@x.org", 3, 5000),  # 50.00, 3 units: before ann (more units)
            order(3, "", 3, 5000),  # no customer: after bo (named first), before ann
            order(4, "cy@x.org", 1, 8000),  # 80.00: first
            order(5, "di@x.org", 1, 1000),  # 10.00 in USD …
            order(6, "di@x.org", 1, 1000, currency="EUR"),  # … and in EUR: the same customer twice, EUR first
            order(7, "ed@x.org", 1, 0),  # 0.00: still a buyer (an order of it)
        ],
    )
    return shop


def test_buyers_are_ranked_by_net_then_units_named_first_then_currency_and_cut_in_sql(store: Store) -> None:
    settings = report_settings(store)
    ids = dict(Customer.objects.filter(store=store).values_list("email", "pk"))
    ranked = ranked_buyers(store, settings, HAT, *MARCH, limit=10)
    assert [(cid, cur, net) for cid, cur, _, _, net in ranked.top] == [
        (ids["cy@x.org"], "USD", 8000),
        (ids["bo@x.org"], "USD", 5000),
        (None, "USD", 5000),
        (ids["ann@x.org"], "USD", 5000),
        (ids["di@x.org"], "EUR", 1000),
        (ids["di@x.org"], "USD", 1000),
        (ids["ed@x.org"], "USD", 0),
    ]
    assert (ranked.count, ranked.orders) == (7, 7)
    cut = ranked_buyers(store, settings, HAT, *MARCH, limit=3)
    assert cut.top == ranked.top[:3] and (cut.count, cut.orders) == (7, 7)  # counted before the cut


def test_the_page_lists_equal_the_raw_side_at_every_cut(store: Store) -> None:
    settings = report_settings(store)
    for limit in (1, 3, 6, 50):
        shown = product_lists(store, settings, HAT, *MARCH, buyers=limit, together=limit)
        assert (shown.buyers, shown.buyer_count) == product_buyers_raw(store, settings, HAT, *MARCH, limit=limit)
        assert [t.product_wc_id for t in shown.together] == [SCARF] and shown.product_orders == 7
        assert shown.together[0].share == 1.0


def test_a_range_without_orders_of_it_has_no_buyers_and_no_orders(store: Store) -> None:
    shown = product_lists(store, report_settings(store), HAT, date(2025, 4, 1), date(2025, 4, 30))
    assert (shown.buyers, shown.buyer_count, shown.together, shown.product_orders) == ([], 0, [], 0)

"""The Breakdowns page, its CSVs and `/api/v1/breakdowns`: coupons, payment and shipping methods, countries and new
vs returning customers, with hand-checked figures from the two small shops (tests/analytics/shops.py, paid basis)
plus one order that used a coupon, a card and two shipping methods."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.commerce import upsert_orders
from tests.analytics.payloads import order_payload
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db
MARCH = "from=2025-03-01&to=2025-03-31"


@pytest.fixture
def shops(alice: Any) -> tuple[Any, Any]:
    ny, berlin = make_shops(Workspace.objects.get(name="Alice's Shop"))
    # 10 March: net 50.00 after a 5.00 coupon, paid by card, shipped in two parcels two ways; a new customer.
    order = order_payload(
        6, created="2025-03-10T15:00:00", paid="2025-03-10T15:00:00", net=5000, discount=500, email="dee@x.org"
    )
    order |= {
        "payment_method": "stripe",
        "payment_method_title": "Credit card",
        "shipping_lines": [
            {"id": 61, "method_id": "flat_rate", "method_title": "Flat rate"},
            {"id": 62, "method_id": "flat_rate", "method_title": "Flat rate"},
            {"id": 63, "method_id": "express", "method_title": "Express"},
        ],
        "coupon_lines": [{"id": 64, "code": "SPRING", "discount": "5.00", "discount_tax": "0.00"}],
    }
    upsert_orders(ny, [order])
    return ny, berlin


def csv_rows(client: Any, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_coupon_tab_shows_uses_discount_and_net_sales_of_the_orders_using_it(
    shops: Any, alice: Any, client_for: Any
) -> None:
    ny, _ = shops
    page = client_for(alice).get(f"/sales/breakdowns/?{MARCH}&source={ny.pk}&tab=coupon")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<code>spring</code>" in html and "$50.00" in html and "$5.00" in html
    rows = csv_rows(client_for(alice), f"/sales/breakdowns/?{MARCH}&source={ny.pk}&tab=coupon&format=csv")
    assert rows == [
        {
            "coupon": "spring",
            "label": "spring",
            "orders": "1",
            "net_sales": "50.00",
            "discount": "5.00",
            "currency": "USD",
            "compared_net_sales": "0.00",  # 29 Jan – 28 Feb: no coupon used
        }
    ]


def test_payment_methods_and_countries_add_up_to_the_sales_report(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    client = client_for(alice)
    payment = csv_rows(client, f"/sales/breakdowns/?{MARCH}&source={ny.pk}&tab=payment&format=csv")
    assert [(r["label"], r["orders"], r["net_sales"]) for r in payment] == [
        ("No payment method", "3", "140.00"),  # orders 1, 2, 5 less order 1's refund: `storelens report`'s 140.00
        ("Credit card", "1", "50.00"),
    ]
    countries = csv_rows(client, f"/sales/breakdowns/?{MARCH}&source={ny.pk}&tab=country&format=csv")
    assert [(r["country"], r["label"], r["orders"], r["net_sales"]) for r in countries] == [
        ("US", "United States", "3", "170.00"),
        ("CA", "Canada", "1", "20.00"),
    ]
    assert "Total" in client.get(f"/sales/breakdowns/?{MARCH}&source={ny.pk}&tab=country").content.decode()


def test_an_order_shipped_two_ways_counts_once_under_each(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    rows = csv_rows(client_for(alice), f"/sales/breakdowns/?{MARCH}&source={ny.pk}&tab=shipping&format=csv")
    assert {r["label"]: (r["orders"], r["net_sales"]) for r in rows} == {
        "No shipping": ("3", "140.00"),
        "Express": ("1", "50.00"),
        "Flat rate": ("1", "50.00"),
    }


def test_new_vs_returning_counts_each_period_like_the_customers_page(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    url = f"/sales/breakdowns/?from=2025-02-01&to=2025-03-31&source={ny.pk}&tab=customers&grain=month"
    rows = csv_rows(client_for(alice), url + "&format=csv")
    # February: cy's first order. March: ann and dee are new, cy returns.
    assert rows == [
        {"period_start": "2025-02-01", "period_end": "2025-02-28", "new_customers": "1", "returning_customers": "0"},
        {"period_start": "2025-03-01", "period_end": "2025-03-31", "new_customers": "2", "returning_customers": "1"},
    ]
    html = client_for(alice).get(url).content.decode()
    assert "New and returning customers by month" in html and 'data-chart="breakdown-chart"' in html


def test_an_unknown_tab_falls_back_to_coupons(shops: Any, alice: Any, client_for: Any) -> None:
    html = client_for(alice).get(f"/sales/breakdowns/?{MARCH}&tab=profit").content.decode()
    assert 'aria-current="page">Coupons</a>' in html


def test_api_breakdowns_by_dimension(shops: Any, alice: Any, api_client_for: Any) -> None:
    ny, _ = shops
    api = api_client_for(alice)
    base = f"/api/v1/breakdowns?source={ny.pk}&date_from=2025-03-01&date_to=2025-03-31"
    body = api.get(base + "&dimension=coupon").json()
    assert body["currency"] == "USD" and body["dimension"] == "coupon"
    assert body["rows"] == [
        {"value": "spring", "label": "spring", "orders": 1, "net_sales": "50.00", "discount": "5.00"}
    ]
    shipping = api.get(base + "&dimension=shipping").json()["rows"]
    assert [r["value"] for r in shipping] == ["", "Express", "Flat rate"]
    assert api.get(base + "&dimension=profit").status_code == 422


def test_support_role_sees_neither_the_page_nor_the_api(
    shops: Any, make_member: Any, client_for: Any, api_client_for: Any
) -> None:
    helper = make_member("sam@example.com", "Alice's Shop", role="support")
    assert client_for(helper).get(f"/sales/breakdowns/?{MARCH}").status_code == 403
    assert api_client_for(helper).get("/api/v1/breakdowns?dimension=payment").status_code == 403

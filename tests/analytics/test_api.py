"""The metrics, orders, customers and products API: same numbers as the report, scoped (its OpenAPI document is
fuzzed by schemathesis in tests/api/test_fuzz_openapi.py)."""

from __future__ import annotations

from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.commerce.models import Order
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db
MARCH = "date_from=2025-03-01&date_to=2025-03-31"


@pytest.fixture
def shops(alice: Any) -> tuple[Any, Any]:
    return make_shops(Workspace.objects.get(name="Alice's Shop"))


def test_summary_equals_the_report(shops: Any, alice: Any, api_client_for: Any) -> None:
    ny, _ = shops
    body = api_client_for(alice).get(f"/api/v1/metrics/summary?source={ny.pk}&{MARCH}").json()
    assert (body["orders"], body["net_sales"], body["refunds"], body["aov"]) == (3, "140.00", "26.60", "46.67")
    assert (body["date_from"], body["date_to"], body["timezone"]) == ("2025-03-01", "2025-03-31", "America/New_York")


def test_summary_of_stores_in_two_currencies_converts_at_ecb_rates(shops: Any, alice: Any, api_client_for: Any) -> None:
    client = api_client_for(alice)
    assert client.get(f"/api/v1/metrics/summary?{MARCH}").json()["net_sales"] == "248.57"  # into USD, the first's
    # 140.00 USD on 1–6 March at their days' rates + 100.00 EUR.
    in_eur = client.get(f"/api/v1/metrics/summary?{MARCH}&currency=EUR").json()
    assert in_eur["currency"] == "EUR"
    assert client.get(f"/api/v1/metrics/summary?{MARCH}&currency=XAF").status_code == 422  # not an ECB currency


def test_series_is_gap_free_and_adds_up(shops: Any, alice: Any, api_client_for: Any) -> None:
    ny, _ = shops
    body = api_client_for(alice).get(f"/api/v1/metrics/series?source={ny.pk}&{MARCH}&grain=week").json()
    assert [p["period"] for p in body["points"]][:2] == ["2025-02-24", "2025-03-03"]
    assert sum(p["orders"] for p in body["points"]) == 3


def test_orders_customers_products(shops: Any, alice: Any, api_client_for: Any) -> None:
    ny, _ = shops
    client = api_client_for(alice)
    page = client.get(f"/api/v1/orders?source={ny.pk}&{MARCH}&status=completed").json()
    assert sorted(o["number"] for o in page["results"]) == ["1", "2", "5"]
    one = client.get(f"/api/v1/orders/{Order.objects.get(store=ny, wc_id=1).pk}").json()
    assert (one["net"], one["refunds"][0]["amount"], one["line_items"][0]["quantity"]) == ("100.00", "26.60", "2")
    customers = client.get(f"/api/v1/customers?source={ny.pk}").json()["results"]
    assert [(c["email"], c["lifetime_net"]) for c in customers] == [("ann@x.org", "120.00"), ("cy@x.org", "30.00")]
    products = client.get(f"/api/v1/products?source={ny.pk}&{MARCH}").json()
    assert [(p["product_wc_id"], p["units"], p["net_sales"]) for p in products] == [(7, 3, "140.00")]


@pytest.mark.parametrize("path", ["/api/v1/orders", "/api/v1/customers"])
def test_a_page_number_past_any_real_list_is_refused_not_a_server_error(
    shops: Any, alice: Any, api_client_for: Any, path: str
) -> None:
    # Found by schemathesis on PostgreSQL: page=79466870254395280 became an OFFSET beyond 64 bits and answered 500.
    ny, _ = shops
    client = api_client_for(alice)
    assert client.get(f"{path}?source={ny.pk}&page=79466870254395280&per_page=356").status_code == 422
    last_allowed = client.get(f"{path}?source={ny.pk}&page=1000000&per_page=500")
    assert last_allowed.status_code == 200, last_allowed.content
    assert last_allowed.json()["results"] == []


def test_a_store_of_another_workspace_is_404(shops: Any, bob: Any, api_client_for: Any) -> None:
    ny, _ = shops
    assert api_client_for(bob).get(f"/api/v1/metrics/summary?source={ny.pk}").status_code == 404

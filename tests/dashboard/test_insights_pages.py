"""The analytics pages render the same figures as `storelens report`, export CSV, and stream new activity."""

from __future__ import annotations

import asyncio
import csv
import io
from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.analytics.models import MonthlyGoal
from storelens.commerce import upsert_orders
from storelens.commerce.models import Customer, Order
from tests.analytics.payloads import order_payload
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db
MARCH = "from=2025-03-01&to=2025-03-31"


@pytest.fixture
def shops(alice: Any) -> tuple[Any, Any]:
    return make_shops(Workspace.objects.get(name="Alice's Shop"))


def test_pages_say_how_to_connect_a_store_when_there_is_none(alice: Any, client_for: Any) -> None:
    client = client_for(alice)
    for url in ("/sales/", "/orders/", "/customers/", "/products/", "/subscriptions/"):
        page = client.get(url)
        assert page.status_code == 200 and "No store connected yet" in page.content.decode(), url


def test_sales_for_one_store_equal_the_report(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    html = client_for(alice).get(f"/sales/?{MARCH}&source={ny.pk}").content.decode()
    assert "$140.00" in html  # net sales, as `storelens report` prints for this store and month
    assert "$26.60" in html  # refunds
    assert "$46.67" in html  # AOV


def test_sales_of_all_stores_convert_into_the_first_stores_currency(shops: Any, alice: Any, client_for: Any) -> None:
    html = client_for(alice).get(f"/sales/?{MARCH}").content.decode()
    assert "$248.57" in html  # 140.00 USD + 100.00 EUR at 1.0857 on 7 March


def test_sales_filtered_by_country_count_only_those_orders(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    html = client_for(alice).get(f"/sales/?{MARCH}&source={ny.pk}&country=CA").content.decode()
    assert "$20.00" in html and "$140.00" not in html


def test_sales_csv_has_one_row_per_day_and_the_total_adds_up(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    response = client_for(alice).get(f"/sales/?{MARCH}&source={ny.pk}&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 31
    assert sum(int(r["orders"]) for r in rows) == 3
    assert {r["period"]: r["net_sales"] for r in rows}["2025-03-06"] == "-20.00"


def test_orders_list_searches_filters_and_exports(shops: Any, alice: Any, client_for: Any) -> None:
    client = client_for(alice)
    html = client.get(f"/orders/?{MARCH}&q=bo@x.org").content.decode()
    assert "#3" in html and "#1<" not in html
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/orders/?{MARCH}&status=completed&format=csv").content.decode()))
    )
    assert sorted(r["number"] for r in rows) == ["1", "2", "5", "9"]


def test_order_detail_shows_items_refunds_and_whether_it_counts(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    client = client_for(alice)
    html = client.get(f"/orders/{Order.objects.get(store=ny, wc_id=1).pk}/").content.decode()
    assert "Item 1" in html and "#50" in html and "$26.60" in html
    on_hold = client.get(f"/orders/{Order.objects.get(store=ny, wc_id=3).pk}/").content.decode()
    assert "not counted" in on_hold


def test_customers_page_and_profile(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    client = client_for(alice)
    html = client.get(f"/customers/?{MARCH}&source={ny.pk}").content.decode()
    assert "RFM segments" in html and "ann@x.org" in html
    ann = Customer.objects.get(store=ny, email="ann@x.org")
    profile = client.get(f"/customers/{ann.pk}/").content.decode()
    assert "$120.00" in profile  # lifetime net: 100 + 40 − 20
    rows = list(csv.DictReader(io.StringIO(client.get(f"/customers/?source={ny.pk}&format=csv").content.decode())))
    assert {r["email"]: r["lifetime_net"] for r in rows} == {"ann@x.org": "120.00", "cy@x.org": "30.00"}


def test_products_leaderboard_and_csv(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    client = client_for(alice)
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/products/?{MARCH}&source={ny.pk}&format=csv").content.decode()))
    )
    # Every order sells product 7: units 2 + 1 + 1, net 100 + 40 + 20; 1 unit and 20.00 refunded on 6 March come off
    # units and net sales, as in WooCommerce's Products report.
    assert [(r["product_id"], r["units"], r["net_sales"], r["refunded_units"], r["refunds"]) for r in rows] == [
        ("7", "3", "140.00", "1", "20.00")
    ]
    assert client.get(f"/products/?{MARCH}&by=variation").status_code == 200


def test_home_shows_month_figures_and_saves_a_goal(shops: Any, alice: Any, client_for: Any) -> None:
    client = client_for(alice)
    html = client.get("/").content.decode()
    assert "Month to date" in html and "Forecast this month" in html and "Live activity" in html
    client.post("/goal/", {"goal": "25000", "currency": "USD"})
    goal = MonthlyGoal.objects.get()
    assert (goal.amount_minor, goal.currency) == (2500000, "USD")
    assert "$25,000.00" in client.get("/").content.decode()


def test_subscriptions_page_without_subscriptions_says_so(shops: Any, alice: Any, client_for: Any) -> None:
    assert "No subscriptions" in client_for(alice).get("/subscriptions/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_live_feed_sends_a_new_order_as_an_event(alice: Any, client_for: Any) -> None:
    ny, _ = make_shops(Workspace.objects.get(name="Alice's Shop"))
    after = Order.objects.order_by("-pk").first().pk  # type: ignore[union-attr]
    upsert_orders(ny, [order_payload(77, created="2026-11-28T10:00:00", net=5000, email="new@x.org")])
    response = client_for(alice).get(f"/live/activity/?after={after}-0&once=1")
    assert response["Content-Type"] == "text/event-stream"

    async def collect() -> bytes:
        return b"".join([chunk async for chunk in response.streaming_content])  # type: ignore[attr-defined]

    text = asyncio.run(collect()).decode()
    assert "event: activity" in text and "Order #77" in text and "Order #9" not in text


def test_owner_changes_how_a_store_counts_and_figures_follow(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    client = client_for(alice)
    client.post(f"/stores/{ny.pk}/figures/", {"date_basis": "created", "excluded": ["failed", "cancelled"]})
    ny.refresh_from_db()
    assert (ny.date_basis, ny.excluded_statuses, ny.settings_from_store) == ("created", ["cancelled", "failed"], False)
    # On the created basis the unpaid on-hold order (25.00) counts too: 140 + 25.
    assert "$165.00" in client.get(f"/sales/?{MARCH}&source={ny.pk}").content.decode()


def test_sales_filtered_to_one_status_show_it_even_when_the_store_excludes_it(
    shops: Any, alice: Any, client_for: Any
) -> None:
    ny, _ = shops
    upsert_orders(
        ny, [order_payload(60, status="cancelled", created="2025-03-10T15:00:00", paid="2025-03-10T15:00:00", net=777)]
    )
    client = client_for(alice)
    assert "$7.77" in client.get(f"/sales/?{MARCH}&source={ny.pk}&status=cancelled").content.decode()
    assert "$7.77" not in client.get(f"/sales/?{MARCH}&source={ny.pk}").content.decode()

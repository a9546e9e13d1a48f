"""The product page, its CSV and `/api/v1/products/{source}/{product}`, hand-checked on a small store (paid basis).

The store, March 2025, New York:
- order 1 (ann, 2 Mar): T-shirt (20) red × 2 = 30.00, Mug (30) × 1 = 12.00
- order 2 (ann, 4 Mar): T-shirt blue × 1 = 15.00
- order 3 (bo, 4 Mar): T-shirt red × 1 = 15.00, Mug × 2 = 24.00, Cap (40) × 1 = 9.00
- order 4 (cy, 5 Mar): Mug × 1 = 12.00 (no T-shirt)
- order 5 (guest, 6 Mar, on hold, never paid): T-shirt red × 5 — not counted
- refund 60 on 9 Mar of order 3: T-shirt red × 1, 15.00 back
T-shirt: net 30 + 15 + 15 − 15 = 45.00, units 4 − 1 = 3, 3 orders, refunds 15.00; red 30.00 (2 units), blue 15.00.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.commerce import upsert_orders, upsert_refunds
from storelens.stores.models import Store
from tests.analytics.payloads import money

pytestmark = pytest.mark.django_db
MARCH = "from=2025-03-01&to=2025-03-31"
TSHIRT, MUG, CAP = 20, 30, 40


def line(item_id: int, product: int, variation: int, quantity: int, total: int) -> dict[str, Any]:
    return {
        "id": item_id,
        "name": {TSHIRT: "T-shirt", MUG: "Mug", CAP: "Cap"}[product] + (" - Red" if variation == 21 else ""),
        "product_id": product,
        "variation_id": variation,
        "quantity": quantity,
        "subtotal": money(total),
        "total": money(total),
        "total_tax": "0.00",
    }


def order(wc_id: int, day: int, email: str, lines: list[dict], status: str = "completed") -> dict[str, Any]:
    when = f"2025-03-{day:02d}T15:00:00"
    return {
        "id": wc_id,
        "number": str(wc_id),
        "status": status,
        "currency": "USD",
        "date_created_gmt": when,
        "date_modified_gmt": when,
        "date_paid_gmt": when if status != "on-hold" else None,
        "date_completed_gmt": None,
        "total": money(sum(int(float(x["total"]) * 100) for x in lines)),
        "total_tax": "0.00",
        "shipping_total": "0.00",
        "discount_total": "0.00",
        "line_items": lines,
        "billing": {"email": email, "first_name": email.split("@")[0].capitalize(), "country": "US"},
        "customer_id": 0,
        "refunds": [{"id": 60}] if wc_id == 3 else [],
    }


@pytest.fixture
def shop(alice: Any) -> Store:
    store = Store.objects.create(
        workspace=Workspace.objects.get(name="Alice's Shop"),
        currency="USD",
        timezone_string="America/New_York",
        name="NY",
    )
    upsert_orders(
        store,
        [
            order(1, 2, "ann@x.org", [line(11, TSHIRT, 21, 2, 3000), line(12, MUG, 0, 1, 1200)]),
            order(2, 4, "ann@x.org", [line(21, TSHIRT, 22, 1, 1500)]),
            order(
                3, 4, "bo@x.org", [line(31, TSHIRT, 21, 1, 1500), line(32, MUG, 0, 2, 2400), line(33, CAP, 0, 1, 900)]
            ),
            order(4, 5, "cy@x.org", [line(41, MUG, 0, 1, 1200)]),
            order(5, 6, "", [line(51, TSHIRT, 21, 5, 7500)], status="on-hold"),
        ],
    )
    refund_line = {"id": 601, "product_id": TSHIRT, "variation_id": 21, "quantity": -1, "total": "-15.00"}
    upsert_refunds(
        store,
        [
            {
                "id": 60,
                "parent_id": 3,
                "date_created_gmt": "2025-03-09T15:00:00",
                "amount": "15.00",
                "reason": "",
                "line_items": [{**refund_line, "subtotal": "-15.00", "total_tax": "0.00"}],
                "shipping_lines": [],
                "fee_lines": [],
            }
        ],
    )
    return store


def test_product_page_shows_its_net_sales_units_refunds_and_variations(
    shop: Store, alice: Any, client_for: Any
) -> None:
    page = client_for(alice).get(f"/products/{shop.pk}/{TSHIRT}/?{MARCH}")
    assert page.status_code == 200
    context = page.context
    assert context["totals"]["net_minor"] == 4500 and context["totals"]["units"] == 3
    assert context["totals"]["orders"] == 3 and context["totals"]["refunds_minor"] == 1500
    assert context["totals"]["refunded_units"] == 1
    by_variation = {v["id"]: (v["net_minor"], v["units"], v["orders"]) for v in context["variation_rows"]}
    assert by_variation == {21: (3000, 2, 2), 22: (1500, 1, 1)}
    days = {label: f for label, f in context["rows"]}
    assert days["Tue 4 Mar 2025"]["net_minor"] == 3000 and days["Sun 9 Mar 2025"]["net_minor"] == -1500
    assert len(days) == 31  # every day of the range, empty ones as zero


def test_buyers_and_bought_together_are_read_from_the_products_orders(shop: Store, alice: Any, client_for: Any) -> None:
    context = client_for(alice).get(f"/products/{shop.pk}/{TSHIRT}/?{MARCH}").context
    buyers = [(b.email, b.orders, b.units, b.net_minor) for b in context["buyers"]]
    # ann: orders 1 and 2 (3 units, 45.00); bo: order 3, its T-shirt refunded (0 units, 0.00); the on-hold guest is out.
    assert buyers == [("ann@x.org", 2, 3, 4500), ("bo@x.org", 1, 0, 0)]
    assert context["buyer_count"] == 2
    together = [(t.product_wc_id, t.name, t.orders, round(t.share, 4)) for t in context["together"]]
    assert together == [(MUG, "Mug", 2, 0.6667), (CAP, "Cap", 1, 0.3333)]
    assert context["product_orders"] == 3


def test_a_simple_product_has_no_variation_table_and_links_its_companions(
    shop: Store, alice: Any, client_for: Any
) -> None:
    html = client_for(alice).get(f"/products/{shop.pk}/{MUG}/?{MARCH}").content.decode()
    assert "Variations</h2>" not in html
    assert f'href="/products/{shop.pk}/{TSHIRT}/?' in html  # bought together with the T-shirt in orders 1 and 3


def test_product_csv_has_the_product_and_each_variation_per_day(shop: Store, alice: Any, client_for: Any) -> None:
    body = client_for(alice).get(f"/products/{shop.pk}/{TSHIRT}/?{MARCH}&grain=month&format=csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [(r["variation_id"], r["net_sales"], r["units"], r["refunds"]) for r in rows] == [
        ("0", "45.00", "3", "15.00"),
        ("21", "30.00", "2", "15.00"),
        ("22", "15.00", "1", "0.00"),
    ]


def test_api_product_answers_the_pages_figures(shop: Store, alice: Any, api_client_for: Any) -> None:
    response = api_client_for(alice).get(
        f"/api/v1/products/{shop.pk}/{TSHIRT}?date_from=2025-03-01&date_to=2025-03-31&grain=week"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["currency"] == "USD" and body["product_orders"] == 3 and body["buyer_count"] == 2
    assert sum(float(p["net_sales"]) for p in body["points"]) == pytest.approx(45.00)
    assert [v["variation_wc_id"] for v in body["variations"]] == [21, 22]
    assert body["bought_together"][0] == {"product_wc_id": MUG, "name": "Mug", "orders": 2, "share": 0.6667}
    assert body["buyers"][0]["net_sales"] == "45.00"


def test_another_workspaces_store_is_not_found(shop: Store, bob: Any, client_for: Any, api_client_for: Any) -> None:
    assert client_for(bob).get(f"/products/{shop.pk}/{TSHIRT}/").status_code == 404
    assert api_client_for(bob).get(f"/api/v1/products/{shop.pk}/{TSHIRT}").status_code == 404


def test_support_role_sees_neither_the_product_page_nor_its_api(
    shop: Store, make_member: Any, client_for: Any, api_client_for: Any
) -> None:
    helper = make_member("sam@example.com", "Alice's Shop", role="support")
    assert client_for(helper).get(f"/products/{shop.pk}/{TSHIRT}/?{MARCH}").status_code == 403
    assert api_client_for(helper).get(f"/api/v1/products/{shop.pk}/{TSHIRT}").status_code == 403


def test_product_names_link_to_the_product_page_from_products_orders_and_sales(
    shop: Store, alice: Any, client_for: Any
) -> None:
    from storelens.commerce.models import Order, Product

    client = client_for(alice)
    link = f'href="/products/{shop.pk}/{TSHIRT}/'
    assert link in client.get(f"/products/?{MARCH}&source={shop.pk}").content.decode()
    order = Order.objects.get(store=shop, wc_id=1)
    assert link in client.get(f"/orders/{order.pk}/").content.decode()
    tshirt = Product.objects.create(store=shop, wc_id=TSHIRT, name="T-shirt")
    assert link in client.get(f"/sales/?{MARCH}&source={shop.pk}&product={tshirt.pk}").content.decode()


def test_support_sees_order_lines_without_a_link_to_the_revenue_page(
    shop: Store, make_member: Any, client_for: Any
) -> None:
    from storelens.commerce.models import Order

    helper = make_member("sam@example.com", "Alice's Shop", role="support")
    html = client_for(helper).get(f"/orders/{Order.objects.get(store=shop, wc_id=1).pk}/").content.decode()
    assert "T-shirt - Red" in html and f"/products/{shop.pk}/" not in html


def test_customer_profile_lists_the_products_bought_with_links(shop: Store, alice: Any, client_for: Any) -> None:
    from storelens.commerce.models import Customer

    bo = Customer.objects.get(store=shop, email="bo@x.org")
    page = client_for(alice).get(f"/customers/{bo.pk}/")
    assert [(p, n, units) for p, _, n, units in page.context["products"]] == [(TSHIRT, 1, 1), (MUG, 1, 2), (CAP, 1, 1)]
    assert f'href="/products/{shop.pk}/{MUG}/"' in page.content.decode()


def test_ids_beyond_64_bits_are_not_found_rather_than_a_server_error(
    shop: Store, alice: Any, client_for: Any, api_client_for: Any
) -> None:
    huge = 10**20
    assert api_client_for(alice).get(f"/api/v1/products/{shop.pk}/{huge}").status_code in (404, 422)
    assert api_client_for(alice).get(f"/api/v1/products/{huge}/{TSHIRT}").status_code in (404, 422)
    assert api_client_for(alice).get(f"/api/v1/products/{shop.pk}/-{huge}").status_code in (404, 422)
    assert client_for(alice).get(f"/products/{shop.pk}/{huge}/").status_code == 404


def test_a_selected_variation_shows_its_own_figures_and_keeps_the_products_lists(
    shop: Store, alice: Any, client_for: Any
) -> None:
    page = client_for(alice).get(f"/products/{shop.pk}/{TSHIRT}/?{MARCH}&variation=21")
    context, html = page.context, page.content.decode()
    # Red: orders 1 and 3, 3 units, 45.00, less order 3's refund on 9 Mar (1 unit, 15.00).
    assert context["variation"] == 21 and context["variation_name"] == "T-shirt - Red"
    assert (context["totals"]["net_minor"], context["totals"]["units"], context["totals"]["orders"]) == (3000, 2, 2)
    assert context["totals"]["refunds_minor"] == 1500
    assert context["buyer_count"] == 2 and context["product_orders"] == 3  # buyers and companions: the product's
    assert 'class="selected" aria-current="true"' in html
    assert '<input type="hidden" name="variation" value="21">' in html  # a new range keeps the variation


def test_a_variation_nobody_bought_in_the_range_shows_zeros_and_nonsense_shows_the_product(
    shop: Store, alice: Any, client_for: Any
) -> None:
    client = client_for(alice)
    context = client.get(f"/products/{shop.pk}/{TSHIRT}/?{MARCH}&variation=99").context
    assert context["variation"] == 99 and context["totals"]["net_minor"] == 0
    for nonsense in ("0", "x", "-1", str(10**20)):
        context = client.get(f"/products/{shop.pk}/{TSHIRT}/?{MARCH}&variation={nonsense}").context
        assert context["variation"] is None and context["totals"]["net_minor"] == 4500


def test_variation_names_link_to_their_products_page_with_the_variation_selected(
    shop: Store, alice: Any, client_for: Any
) -> None:
    from storelens.commerce.models import Order

    client = client_for(alice)
    selected = (
        f'href="/products/{shop.pk}/{TSHIRT}/?from=2025-03-01&amp;to=2025-03-31&amp;source={shop.pk}&amp;variation=21"'
    )
    assert selected in client.get(f"/products/?{MARCH}&source={shop.pk}").content.decode()  # under the product
    assert selected in client.get(f"/products/?{MARCH}&source={shop.pk}&by=variation").content.decode()
    assert '&variation=22"' in client.get(f"/products/{shop.pk}/{TSHIRT}/?{MARCH}").content.decode()
    order = Order.objects.get(store=shop, wc_id=1)
    assert f'href="/products/{shop.pk}/{TSHIRT}/?variation=21"' in client.get(f"/orders/{order.pk}/").content.decode()


def test_buyers_and_bought_together_export_as_csv(shop: Store, alice: Any, client_for: Any) -> None:
    client = client_for(alice)
    body = client.get(f"/products/{shop.pk}/{TSHIRT}/?{MARCH}&format=csv&part=buyers").content.decode()
    rows = [(r["email"], r["orders"], r["units"], r["net_sales"]) for r in csv.DictReader(io.StringIO(body))]
    assert rows == [("ann@x.org", "2", "3", "45.00"), ("bo@x.org", "1", "0", "0.00")]
    body = client.get(f"/products/{shop.pk}/{TSHIRT}/?{MARCH}&format=csv&part=together").content.decode()
    rows = [
        (r["product_id"], r["orders_with_both"], r["product_orders"], r["share"])
        for r in csv.DictReader(io.StringIO(body))
    ]
    assert rows == [(str(MUG), "2", "3", "0.6667"), (str(CAP), "1", "3", "0.3333")]


def test_analyst_exports_but_no_csv_for_a_role_without_export(shop: Store, make_member: Any, client_for: Any) -> None:
    analyst = make_member("ann@example.com", "Alice's Shop", role="analyst")
    html = client_for(analyst).get(f"/products/{shop.pk}/{TSHIRT}/?{MARCH}").content.decode()
    assert "part=buyers" in html and "part=together" in html
    helper = make_member("sam@example.com", "Alice's Shop", role="support")
    for part in ("series", "buyers", "together"):
        url = f"/products/{shop.pk}/{TSHIRT}/?{MARCH}&format=csv&part={part}"
        assert client_for(helper).get(url).status_code == 403


def test_buyers_follow_a_guest_merged_into_a_registered_customer_and_later_edits(shop: Store) -> None:
    from storelens.analytics.metrics.report_settings import report_settings
    from storelens.analytics.reports.product_buyers import product_buyers, product_buyers_raw
    from storelens.commerce import upsert_customers
    from storelens.commerce.models import Customer

    # ann registers: her guest identity is merged away and her orders 1 and 2 re-point, with no change of theirs.
    upsert_customers(shop, [{"id": 77, "email": "ann@x.org", "first_name": "Ann", "last_name": "Lee", "billing": {}}])
    registered = Customer.objects.get(store=shop, key="wc:77")
    assert not Customer.objects.filter(store=shop, key="email:ann@x.org").exists()
    settings = report_settings(shop)
    first, last = date(2025, 3, 1), date(2025, 3, 31)

    def lists() -> tuple[list, list]:
        rolled, _ = product_buyers(shop, settings, TSHIRT, first, last)
        raw, _ = product_buyers_raw(shop, settings, TSHIRT, first, last)
        return [(b.customer_id, b.name, b.orders, b.units, b.net_minor) for b in rolled], [
            (b.customer_id, b.name, b.orders, b.units, b.net_minor) for b in raw
        ]

    rolled, raw = lists()
    assert rolled == raw and rolled[0] == (registered.pk, "Ann Lee", 2, 3, 4500)
    # Order 2 changes after the merge (its old state now carries the registered key): still one buyer, two orders.
    upsert_orders(shop, [{**order(2, 4, "ann@x.org", [line(21, TSHIRT, 22, 1, 1500)]), "status": "processing"}])
    rolled, raw = lists()
    assert rolled == raw and rolled[0] == (registered.pk, "Ann Lee", 2, 3, 4500)


def test_api_answers_each_part_on_its_own(shop: Store, alice: Any, api_client_for: Any) -> None:
    client, march = api_client_for(alice), "date_from=2025-03-01&date_to=2025-03-31"
    body = client.get(f"/api/v1/products/{shop.pk}/{TSHIRT}/buyers?{march}&limit=1").json()
    assert body["buyer_count"] == 2 and [(b["name"], b["orders"], b["net_sales"]) for b in body["buyers"]] == [
        ("Ann", 2, "45.00")
    ]
    body = client.get(f"/api/v1/products/{shop.pk}/{TSHIRT}/bought-together?{march}").json()
    assert body["product_orders"] == 3
    assert [(t["product_wc_id"], t["orders"], t["share"]) for t in body["bought_together"]] == [
        (MUG, 2, 0.6667),
        (CAP, 1, 0.3333),
    ]
    assert client.get(f"/api/v1/products/{shop.pk}/{TSHIRT}/buyers?{march}&limit=0").status_code == 422
    assert client.get(f"/api/v1/products/{shop.pk}/{10**20}/buyers").status_code in (404, 422)


def test_support_gets_neither_part_of_the_api(shop: Store, make_member: Any, api_client_for: Any) -> None:
    helper = api_client_for(make_member("sam@example.com", "Alice's Shop", role="support"))
    assert helper.get(f"/api/v1/products/{shop.pk}/{TSHIRT}/buyers").status_code == 403
    assert helper.get(f"/api/v1/products/{shop.pk}/{TSHIRT}/bought-together").status_code == 403

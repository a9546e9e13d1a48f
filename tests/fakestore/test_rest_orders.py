"""wc/v3 orders and refunds on a generated store: listing, filters, pagination and every write."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pytest

from fakestore.store import FakeStore

from .rest_helpers import call, key_for, make_store


@pytest.fixture(scope="module")
def store() -> FakeStore:
    return make_store(orders=240, seed=21, months=6)


@pytest.fixture(scope="module")
def key(store: FakeStore):
    return key_for(store)


def get(store: FakeStore, key, path: str, **params: str):
    return call(store, "GET", path, key=key, params=params)


def not_trash(store: FakeStore) -> int:
    return sum(1 for i in store.orders.ids if store.orders.status_of(i) not in ("trash", "deleted"))


def test_default_list_is_any_status_but_trash_newest_first_with_totals_and_next_link(store, key) -> None:
    r = get(store, key, "/wp-json/wc/v3/orders")
    assert r.status_code == 200
    total = not_trash(store)
    assert r.headers["X-WP-Total"] == str(total)
    assert r.headers["X-WP-TotalPages"] == str(math.ceil(total / 10))
    assert r.headers["Link"] == (
        '<https://shop.test/wp-json/wc/v3/orders?status%5B0%5D=any&dp=2&context=view&page=2>; rel="next"'
    )
    body = r.json()
    assert len(body) == 10
    dates = [(o["date_created_gmt"], o["id"]) for o in body]
    assert dates == sorted(dates, reverse=True)
    assert "checkout-draft" in {
        o["status"] for o in get(store, key, "/wp-json/wc/v3/orders", per_page="100").json()
    } or any(store.orders.status_of(i) == "checkout-draft" for i in store.orders.ids)
    assert r.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert r.headers["Cache-Control"] == "no-cache, must-revalidate, max-age=0, no-store, private"
    assert r.headers["Allow"] == "GET, POST"


def test_any_includes_checkout_drafts_and_trash_is_listed_on_its_own(store, key) -> None:
    drafts = get(store, key, "/wp-json/wc/v3/orders", status="checkout-draft", per_page="100").json()
    trashed = get(store, key, "/wp-json/wc/v3/orders", status="trash", per_page="100").json()
    assert drafts and trashed
    any_ids = set()
    page = 1
    while True:
        r = get(store, key, "/wp-json/wc/v3/orders", per_page="100", page=str(page), _fields="id")
        any_ids |= {o["id"] for o in r.json()}
        if page >= int(r.headers["X-WP-TotalPages"]):
            break
        page += 1
    assert {o["id"] for o in drafts} <= any_ids
    assert not ({o["id"] for o in trashed} & any_ids)
    assert all(o["status"] == "trash" for o in trashed)


def test_status_accepts_comma_lists_and_arrays_and_refuses_unknown_values(store, key) -> None:
    comma = get(store, key, "/wp-json/wc/v3/orders", status="completed,refunded", per_page="100")
    arr = call(
        store, "GET", "/wp-json/wc/v3/orders", key=key, raw_query="status[]=completed&status[]=refunded&per_page=100"
    )
    assert comma.headers["X-WP-Total"] == arr.headers["X-WP-Total"]
    assert {o["status"] for o in comma.json()} <= {"completed", "refunded"}
    assert "status%5B0%5D=completed&status%5B1%5D=refunded" in comma.headers.get(
        "Link", "status%5B0%5D=completed&status%5B1%5D=refunded"
    )
    bad = get(store, key, "/wp-json/wc/v3/orders", status="shipped")
    assert bad.status_code == 400
    assert bad.json()["data"]["details"]["status"]["code"] == "rest_not_in_enum"
    assert bad.json()["message"] == "Invalid parameter(s): status"


@pytest.mark.parametrize(
    ("params", "name", "code", "message"),
    [
        (
            {"per_page": "101"},
            "per_page",
            "rest_out_of_bounds",
            "per_page must be between 1 (inclusive) and 100 (inclusive)",
        ),
        (
            {"per_page": "0"},
            "per_page",
            "rest_out_of_bounds",
            "per_page must be between 1 (inclusive) and 100 (inclusive)",
        ),
        ({"page": "0"}, "page", "rest_out_of_bounds", "page must be greater than or equal to 1"),
        (
            {"orderby": "total"},
            "orderby",
            "rest_not_in_enum",
            "orderby is not one of date, id, include, title, slug, and modified.",
        ),
        ({"modified_after": "2025-01-01"}, "modified_after", "rest_invalid_date", "Invalid date."),
        ({"order": "up"}, "order", "rest_not_in_enum", "order is not one of asc and desc."),
    ],
)
def test_invalid_list_parameters_answer_400_with_wordpress_details(store, key, params, name, code, message) -> None:
    r = get(store, key, "/wp-json/wc/v3/orders", **params)
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "rest_invalid_param"
    assert body["data"]["params"] == {name: message}
    assert body["data"]["details"][name] == {"code": code, "message": message, "data": None}


def test_invalid_parameters_are_reported_before_authentication_is_required(store) -> None:
    r = call(store, "GET", "/wp-json/wc/v3/orders", params={"per_page": "500"})
    assert r.status_code == 400


def test_page_past_the_end_is_empty_with_zero_totals_and_a_prev_link_to_page_zero(store, key) -> None:
    r = get(store, key, "/wp-json/wc/v3/orders", per_page="100", page="9")
    assert r.status_code == 200 and r.json() == []
    assert (r.headers["X-WP-Total"], r.headers["X-WP-TotalPages"]) == ("0", "0")
    assert (
        r.headers["Link"]
        == '<https://shop.test/wp-json/wc/v3/orders?per_page=100&page=0&status%5B0%5D=any>; rel="prev"'
    )


def test_last_page_has_only_a_prev_link_and_offset_overrides_page(store, key) -> None:
    total = not_trash(store)
    last = math.ceil(total / 100)
    r = get(store, key, "/wp-json/wc/v3/orders", per_page="100", page=str(last))
    assert len(r.json()) == total - 100 * (last - 1)
    assert r.headers["Link"].endswith('rel="prev"') and 'rel="next"' not in r.headers["Link"]
    ids = [o["id"] for o in get(store, key, "/wp-json/wc/v3/orders", per_page="20").json()]
    offset = [o["id"] for o in get(store, key, "/wp-json/wc/v3/orders", per_page="5", offset="15").json()]
    assert offset == ids[15:20]


def test_orderby_id_and_modified_both_ways_and_include_exclude(store, key) -> None:
    asc = [o["id"] for o in get(store, key, "/wp-json/wc/v3/orders", orderby="id", order="asc", per_page="30").json()]
    assert asc == sorted(asc)
    mod = get(store, key, "/wp-json/wc/v3/orders", orderby="modified", order="asc", per_page="30").json()
    assert [o["date_modified_gmt"] for o in mod] == sorted(o["date_modified_gmt"] for o in mod)
    some = asc[:5]
    inc = get(store, key, "/wp-json/wc/v3/orders", include=",".join(map(str, some)), orderby="include")
    assert [o["id"] for o in inc.json()] == some
    exc = get(
        store, key, "/wp-json/wc/v3/orders", exclude=",".join(map(str, some)), orderby="id", order="asc", per_page="30"
    )
    assert not set(some) & {o["id"] for o in exc.json()}


def test_fields_select_top_level_and_nested_object_keys_but_not_keys_inside_lists(store, key) -> None:
    r = get(store, key, "/wp-json/wc/v3/orders", per_page="3", _fields="id,billing.email,line_items.product_id,total")
    for o in r.json():
        assert list(o) == ["id", "total", "billing"]
        assert list(o["billing"]) == ["email"]


def test_dp_changes_the_decimals_of_money_fields(store, key) -> None:
    oid = store.orders.ids[-1]
    o2 = get(store, key, f"/wp-json/wc/v3/orders/{oid}").json()
    o4 = get(store, key, f"/wp-json/wc/v3/orders/{oid}", dp="4").json()
    assert Decimal(o2["total"]) == Decimal(o4["total"]) and len(o4["total"].split(".")[1]) == 4
    assert o4["line_items"][0]["total"].count(".") == 1 and len(o4["line_items"][0]["total"].split(".")[1]) == 4


def test_customer_and_search_filters(store, key) -> None:
    some = get(store, key, "/wp-json/wc/v3/orders", per_page="50").json()
    customer = next(o["customer_id"] for o in some if o["customer_id"])
    mine = get(store, key, "/wp-json/wc/v3/orders", customer=str(customer), per_page="100").json()
    assert mine and all(o["customer_id"] == customer for o in mine)
    name = some[0]["line_items"][0]["name"].split(" ")[0]
    found = get(store, key, "/wp-json/wc/v3/orders", search=name.upper(), per_page="100").json()
    assert some[0]["id"] in {o["id"] for o in found}


def test_date_filters_reproduce_the_measured_quirks_and_compare_strictly(store, key) -> None:
    ordered = get(store, key, "/wp-json/wc/v3/orders", orderby="modified", order="asc", per_page="100").json()
    pivot = ordered[40]
    utc = pivot["date_modified_gmt"]
    local = pivot["date_modified"]

    def total(**params: str) -> int:
        return int(get(store, key, "/wp-json/wc/v3/orders", **params).headers["X-WP-Total"])

    strictly_after = total(modified_after=utc, dates_are_gmt="true")
    assert strictly_after == sum(
        1
        for i in store.orders.ids
        if store.orders.status_of(i) not in ("trash", "deleted")
        and store.orders.modified[store.orders.position(i)] > store.orders.modified[store.orders.position(pivot["id"])]
    )
    assert total(modified_after=local, dates_are_gmt="false") == strictly_after  # naive + false: store-local
    assert total(modified_after=utc + "Z", dates_are_gmt="false") == strictly_after  # offset + false: right
    # offset + true: shifted by the store's UTC offset (New York: -4/-5 h), so older rows come back too
    assert total(modified_after=utc + "Z", dates_are_gmt="true") > strictly_after


def test_single_order_unknown_id_and_non_numeric_id_and_post_on_get_only_routes(store, key) -> None:
    assert get(store, key, "/wp-json/wc/v3/orders/99999999").json() == {
        "code": "woocommerce_rest_shop_order_invalid_id",
        "message": "Invalid ID.",
        "data": {"status": 404},
    }
    no_route = {
        "code": "rest_no_route",
        "message": "No route was found matching the URL and request method.",
        "data": {"status": 404},
    }
    assert get(store, key, "/wp-json/wc/v3/orders/abc").json() == no_route
    assert call(store, "POST", "/wp-json/wc/v3/reports/orders/totals", key=key).json() == no_route
    assert get(store, key, "/wp-json/wc/v4/orders").status_code == 404


def test_create_order_computes_totals_from_products_and_tax_address_and_fires_created() -> None:
    store = make_store(orders=20)
    key = key_for(store)
    changes = []
    store.bus.subscribe(changes.append)
    product = next(
        store.products.get(i)
        for i in store.products.ids
        if store.products.get(i)["type"] == "simple" and store.products.get(i)["price"] not in ("", "0.00")
    )
    payload = {
        "status": "on-hold",
        "billing": {
            "first_name": "Zoë",
            "last_name": "Webhook",
            "country": "US",
            "state": "NY",
            "email": "z@example.com",
        },
        "line_items": [{"product_id": product["id"], "quantity": 2}],
        "shipping_lines": [{"method_id": "flat_rate", "method_title": "Flat rate", "total": "7.50"}],
    }
    r = call(store, "POST", "/wp-json/wc/v3/orders", key=key, json=payload)
    assert r.status_code == 201
    order = r.json()
    assert r.headers["Location"] == f"https://shop.test/wp-json/wc/v3/orders/{order['id']}"
    price = Decimal(product["price"])
    tax = (price * 2 * Decimal("0.08875")).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    ship_tax = (Decimal("7.50") * Decimal("0.08875")).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    assert Decimal(order["total"]) == price * 2 + Decimal("7.50") + tax + ship_tax
    assert order["created_via"] == "rest-api" and order["status"] == "on-hold" and order["date_paid"] is None
    assert [(c.resource, c.event, c.object_id) for c in changes] == [("order", "created", order["id"])]
    listed = call(store, "GET", "/wp-json/wc/v3/orders", key=key).json()
    assert listed[0]["id"] == order["id"]


def test_update_bumps_date_modified_sets_paid_and_completed_dates_and_fires_updated() -> None:
    store = make_store(orders=30)
    key = key_for(store)
    oid = next(i for i in store.orders.ids if store.orders.status_of(i) == "on-hold")
    store.set_now(store.history_end + 3600)
    changes = []
    store.bus.subscribe(changes.append)
    r = call(store, "PUT", f"/wp-json/wc/v3/orders/{oid}", key=key, json={"status": "completed"})
    body = r.json()
    assert r.status_code == 200 and body["status"] == "completed"
    assert body["date_modified_gmt"] == "2026-11-28T01:00:00"
    assert body["date_paid_gmt"] == body["date_completed_gmt"] == "2026-11-28T01:00:00"
    assert [(c.event, c.object_id) for c in changes] == [("updated", oid)]


def test_silent_edit_changes_data_without_bumping_date_modified() -> None:
    store = make_store(orders=30)
    oid = store.orders.ids[5]
    before = store.order_json(oid)
    line = before["line_items"][0]
    store.silent_edit_order(oid, {"line_items": [{"id": line["id"], "quantity": line["quantity"] + 1}]})
    after = store.order_json(oid)
    assert after["date_modified_gmt"] == before["date_modified_gmt"]
    assert after["line_items"][0]["quantity"] == line["quantity"] + 1
    assert Decimal(after["total"]) > Decimal(before["total"])


def test_delete_trashes_and_returns_the_order_as_it_was_then_410_and_force_deletes() -> None:
    store = make_store(orders=60)
    key = key_for(store)
    oid = next(i for i in store.orders.ids if store.orders.status_of(i) == "cancelled")
    changes = []
    store.bus.subscribe(changes.append)
    r = call(store, "DELETE", f"/wp-json/wc/v3/orders/{oid}", key=key)
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert call(store, "GET", f"/wp-json/wc/v3/orders/{oid}", key=key).json()["status"] == "trash"
    again = call(store, "DELETE", f"/wp-json/wc/v3/orders/{oid}", key=key)
    assert (again.status_code, again.json()["code"]) == (410, "woocommerce_rest_already_trashed")
    gone = call(store, "DELETE", f"/wp-json/wc/v3/orders/{oid}", key=key, params={"force": "true"})
    assert gone.status_code == 200
    assert call(store, "GET", f"/wp-json/wc/v3/orders/{oid}", key=key).status_code == 404
    assert [(c.event, c.object_id) for c in changes] == [("deleted", oid)]  # force delete fires nothing


def test_refunds_partial_then_full_make_the_order_refunded_and_bump_the_parent() -> None:
    store = make_store(orders=40)
    key = key_for(store)
    oid = next(i for i in store.orders.ids if store.orders.status_of(i) == "completed" and not store.refund_ids_of(i))
    order = store.order_json(oid)
    store.set_now(store.history_end + 7200)
    refused = call(store, "POST", f"/wp-json/wc/v3/orders/{oid}/refunds", key=key, json={"amount": "1.00"})
    assert refused.status_code == 500 and refused.json()["code"] == "woocommerce_rest_cannot_create_order_refund"
    r = call(
        store,
        "POST",
        f"/wp-json/wc/v3/orders/{oid}/refunds",
        key=key,
        json={"amount": "1.00", "reason": "Partial", "api_refund": False},
    )
    assert r.status_code == 201 and r.json()["amount"] == "1.00" and "parent_id" not in r.json()
    assert "(?P<order_id>" in r.headers["Location"]
    parent = store.order_json(oid)
    assert parent["status"] == "completed" and parent["refunds"][0]["total"] == "-1.00"
    assert parent["date_modified_gmt"] == "2026-11-28T02:00:00"
    rest = str(Decimal(order["total"]) - Decimal("1.00"))
    full = call(
        store, "POST", f"/wp-json/wc/v3/orders/{oid}/refunds", key=key, json={"amount": rest, "api_refund": False}
    )
    assert full.status_code == 201
    parent = store.order_json(oid)
    assert parent["status"] == "refunded" and parent["total"] == order["total"]
    too_much = call(
        store, "POST", f"/wp-json/wc/v3/orders/{oid}/refunds", key=key, json={"amount": "1.00", "api_refund": False}
    )
    assert too_much.json()["message"] == "Invalid refund amount."
    listed = call(store, "GET", f"/wp-json/wc/v3/orders/{oid}/refunds", key=key).json()
    assert [x["amount"] for x in listed] == [Decimal(rest).quantize(Decimal("0.01")).to_eng_string(), "1.00"]
    top = call(store, "GET", "/wp-json/wc/v3/refunds", key=key, params={"per_page": "100"})
    assert (
        top.headers["Link"].startswith("<https://shop.test/wp-json/wc/v3/refunds?per_page=100&dp=2&page=2>")
        or int(top.headers["X-WP-TotalPages"]) <= 1
    )
    assert {x["parent_id"] for x in top.json()} and all("parent_id" in x for x in top.json())


def test_refund_with_line_items_has_negative_lines_pointing_at_the_order_items() -> None:
    store = make_store(orders=40)
    key = key_for(store)
    oid = next(i for i in store.orders.ids if store.orders.status_of(i) == "processing" and not store.refund_ids_of(i))
    line = store.order_json(oid)["line_items"][0]
    taxes = [{"id": t["id"], "refund_total": t["total"]} for t in line["taxes"]]
    r = call(
        store,
        "POST",
        f"/wp-json/wc/v3/orders/{oid}/refunds",
        key=key,
        json={
            "api_refund": False,
            "line_items": [
                {"id": line["id"], "quantity": line["quantity"], "refund_total": line["total"], "refund_tax": taxes}
            ],
        },
    )
    refund = r.json()
    assert Decimal(refund["amount"]) == Decimal(line["total"]) + Decimal(line["total_tax"])
    item = refund["line_items"][0]
    assert item["quantity"] == -line["quantity"] and item["total"] == "-" + line["total"]
    assert item["meta_data"][0]["key"] == "_refunded_item_id" and item["meta_data"][0]["value"] == str(line["id"])
    # WooCommerce 11's summary in the order: the refund's tax, negative, printed with dp like the total
    summary = get(store, key, f"/wp-json/wc/v3/orders/{oid}", dp="4").json()["refunds"][0]
    tax = -sum((Decimal(t["tax_total"]) + Decimal(t["shipping_tax_total"]) for t in refund["tax_lines"]), Decimal(0))
    assert tax > 0 and summary == {
        "id": refund["id"],
        "reason": "",
        "total": f"-{Decimal(refund['amount']):.4f}",
        "total_tax": f"-{tax:.4f}",
    }
    deleted = call(
        store, "DELETE", f"/wp-json/wc/v3/orders/{oid}/refunds/{refund['id']}", key=key, params={"force": "true"}
    )
    assert deleted.status_code == 200
    assert store.order_json(oid)["refunds"] == []


def test_reports_orders_totals_count_every_status_but_trash(store, key) -> None:
    rows = get(store, key, "/wp-json/wc/v3/reports/orders/totals").json()
    assert [r["slug"] for r in rows] == [
        "pending",
        "processing",
        "on-hold",
        "completed",
        "cancelled",
        "refunded",
        "failed",
        "checkout-draft",
    ]
    assert sum(r["total"] for r in rows) == not_trash(store)


def test_method_override_lets_a_post_act_as_delete_and_bad_statuses_are_refused() -> None:
    store = make_store(orders=60)
    key = key_for(store)
    oid = next(i for i in store.orders.ids if store.orders.status_of(i) == "completed")
    r = call(store, "POST", f"/wp-json/wc/v3/orders/{oid}", key=key, params={"_method": "DELETE"})
    assert r.status_code == 200 and store.orders.status_of(oid) == "trash"
    other = next(i for i in store.orders.ids if store.orders.status_of(i) == "pending")
    r = call(store, "POST", f"/wp-json/wc/v3/orders/{other}", key=key, json={"status": "shipped"})
    assert r.status_code == 400 and r.json()["data"]["params"]["status"].startswith("status is not one of pending, ")


@pytest.fixture(scope="module")
def eu_store() -> FakeStore:
    return make_store(orders=30, seed=5, tax_profile="eu", currency="EUR", timezone="Europe/Berlin")


CENT, MICRO = Decimal("0.01"), Decimal("0.000001")


def _net(gross: Decimal, percent: int) -> Decimal:
    """The gross price less its tax at `percent`, the tax kept to 6 decimals (WC_Tax::calc_inclusive_tax)."""
    return gross - (gross - gross / (1 + Decimal(percent) / 100)).quantize(MICRO)


def _eu_products(store: FakeStore) -> tuple[dict, dict]:
    simple = [store.products.get(i) for i in store.products.ids]
    simple = [p for p in simple if p["type"] == "simple" and p["status"] == "publish" and Decimal(p["price"]) > 1]
    return next(p for p in simple if not p["tax_class"]), next(p for p in simple if p["tax_class"] == "reduced-rate")


def test_a_rest_order_on_a_tax_inclusive_store_is_priced_as_woocommerce_11_prices_it(eu_store) -> None:
    """Measured on the real EU store (prices with tax, DE base, 19/7 % DE and 20/10 % AT, round at subtotal): POST
    /orders with set_paid takes the product's price less the BASE rate's tax, unrounded, as the net line and adds
    the customer's rate on top; the order's total is the sum rounded once (3×19.99 + 12.99 + 2×24.90 for DE: 122.76
    plus shipping 5.80 + 1.102 → 129.66; 7×1.99 + 8.49 for AT → nets 11.705882 and 7.934579, total 22.78)."""
    key = key_for(eu_store)
    standard, reduced = _eu_products(eu_store)
    de = {"first_name": "Jörg", "last_name": "Käufer", "country": "DE", "city": "Berlin", "email": "j@example.com"}
    at = dict(de, country="AT", city="Wien")
    body = {
        "billing": de,
        "shipping": de,
        "set_paid": True,
        "line_items": [{"product_id": standard["id"], "quantity": 3}, {"product_id": reduced["id"], "quantity": 2}],
        "shipping_lines": [{"method_id": "flat_rate", "method_title": "Flat rate", "total": "5.80"}],
    }
    r = call(eu_store, "POST", "/wp-json/wc/v3/orders", key=key, params={"dp": "6"}, json=body)
    assert r.status_code == 201, r.text
    o = r.json()
    assert o["prices_include_tax"] is True
    gross = [Decimal(standard["price"]) * 3, Decimal(reduced["price"]) * 2]
    for li, g, pct in zip(o["line_items"], gross, (19, 7), strict=True):
        net = _net(g, pct)
        assert Decimal(li["total"]) == Decimal(li["subtotal"]) == net
        assert Decimal(li["total_tax"]) == (net * pct / 100).quantize(MICRO)
    # German customer: pays the listed prices; the total is their sum plus shipping with its tax, rounded once
    assert Decimal(o["total"]) == (sum(gross) + Decimal("5.80") * Decimal("1.19")).quantize(CENT, ROUND_HALF_UP)
    assert Decimal(o["shipping_tax"]) == Decimal("1.102")

    body = dict(body, billing=at, shipping=at, shipping_lines=[])
    o = call(eu_store, "POST", "/wp-json/wc/v3/orders", key=key, params={"dp": "6"}, json=body).json()
    nets = [_net(g, p) for g, p in zip(gross, (19, 7), strict=True)]  # the German (base) rates come out
    taxes = [(n * p / 100).quantize(MICRO) for n, p in zip(nets, (20, 10), strict=True)]
    assert [Decimal(li["total_tax"]) for li in o["line_items"]] == taxes  # Austrian rates on the German net
    assert Decimal(o["total"]) == (sum(nets) + sum(taxes)).quantize(CENT, ROUND_HALF_UP)
    assert Decimal(o["total_tax"]) == sum(taxes).quantize(CENT, ROUND_HALF_UP)


def test_a_tax_inclusive_order_totals_the_gross_prices_rounded_once(eu_store) -> None:
    """With prices including tax and tax rounded at subtotal (the seeded real EU store), WooCommerce's order total
    is the sum of the lines' gross amounts rounded once: true for all 268 orders of the real EU store, while rounding
    each line's tax first would be a cent off in 73 of them. The fake's generated orders must agree."""
    key = key_for(eu_store)
    orders = call(eu_store, "GET", "/wp-json/wc/v3/orders", key=key, params={"per_page": "100", "dp": "6"}).json()
    assert len(orders) >= 20
    for o in orders:
        gross = sum(
            Decimal(x["total"]) + Decimal(x["total_tax"])
            for group in ("line_items", "shipping_lines", "fee_lines")
            for x in o[group]
        )
        assert Decimal(o["total"]) == gross.quantize(CENT, ROUND_HALF_UP), o["id"]

"""Customers, products, variations, coupons, webhooks, settings, system status, wc-admin options and the index."""

from __future__ import annotations

import unicodedata

import pytest

from fakestore.store import FakeStore

from .rest_helpers import call, key_for, make_store


@pytest.fixture(scope="module")
def store() -> FakeStore:
    return make_store(orders=300, seed=31)


@pytest.fixture(scope="module")
def key(store: FakeStore):
    return key_for(store)


def test_customers_default_to_role_customer_sorted_by_name_and_role_all_adds_the_admin(store, key) -> None:
    r = call(store, "GET", "/wp-json/wc/v3/customers", key=key, params={"per_page": "100"})
    assert r.status_code == 200
    body = r.json()
    assert all(c["role"] == "customer" for c in body)

    def folded(c: dict) -> str:  # MySQL's case- and accent-insensitive collation, roughly
        text = unicodedata.normalize("NFKD", f"{c['first_name']} {c['last_name']}".casefold())
        return "".join(ch for ch in text if not unicodedata.combining(ch))

    names = [folded(c) for c in body]
    assert names == sorted(names)
    assert r.headers["X-WP-Total"] == str(len(store.customers) - 1)
    assert r.headers.get("Link", "").find("status") == -1  # customers add nothing to their links
    everyone = call(store, "GET", "/wp-json/wc/v3/customers", key=key, params={"role": "all", "per_page": "100"})
    assert everyone.headers["X-WP-Total"] == str(len(store.customers))
    assert everyone.json()[0]["username"] == "admin"


def test_customers_silently_ignore_modified_after(store, key) -> None:
    plain = call(store, "GET", "/wp-json/wc/v3/customers", key=key, params={"per_page": "5"})
    since = call(
        store,
        "GET",
        "/wp-json/wc/v3/customers",
        key=key,
        params={"per_page": "5", "modified_after": "2030-01-01T00:00:00"},
    )
    assert since.headers["X-WP-Total"] == plain.headers["X-WP-Total"]
    assert since.headers["Link"] == (
        "<https://shop.test/wp-json/wc/v3/customers?per_page=5&modified_after=2030-01-01T00%3A00%3A00&page=2>;"
        ' rel="next"'
    )


def test_customers_orderby_registered_date_and_single_customer(store, key) -> None:
    r = call(store, "GET", "/wp-json/wc/v3/customers", key=key, params={"orderby": "registered_date", "order": "desc"})
    dates = [c["date_created_gmt"] for c in r.json()]
    assert dates == sorted(dates, reverse=True)
    one = call(store, "GET", "/wp-json/wc/v3/customers/2", key=key).json()
    assert one["id"] == 2 and one["first_name"] == "Zoë"
    assert call(store, "GET", "/wp-json/wc/v3/customers/99999", key=key).status_code == 404


def test_updating_a_customer_bumps_date_modified_and_fires_customer_updated() -> None:
    store = make_store(orders=40)
    key = key_for(store)
    changes = []
    store.bus.subscribe(changes.append)
    store.set_now(store.history_end + 60)
    r = call(store, "PUT", "/wp-json/wc/v3/customers/3", key=key, json={"billing": {"phone": "+1-555-0100"}})
    assert r.json()["billing"]["phone"] == "+1-555-0100"
    assert r.json()["date_modified_gmt"] == "2026-11-28T00:01:00"
    assert [(c.resource, c.event, c.object_id) for c in changes] == [("customer", "updated", 3)]


def test_products_list_variations_and_filters(store, key) -> None:
    r = call(store, "GET", "/wp-json/wc/v3/products", key=key, params={"per_page": "100"})
    products = r.json()
    assert any(p["status"] == "draft" for p in products)  # status defaults to any
    variable = [p for p in products if p["type"] == "variable"]
    assert variable
    only_variable = call(
        store, "GET", "/wp-json/wc/v3/products", key=key, params={"type": "variable", "per_page": "100"}
    )
    assert {p["id"] for p in only_variable.json()} == {p["id"] for p in variable}
    on_sale = call(
        store, "GET", "/wp-json/wc/v3/products", key=key, params={"on_sale": "true", "per_page": "100"}
    ).json()
    assert on_sale and all(p["on_sale"] for p in on_sale)
    parent = variable[0]
    variations = call(
        store, "GET", f"/wp-json/wc/v3/products/{parent['id']}/variations", key=key, params={"per_page": "100"}
    ).json()
    assert sorted(v["id"] for v in variations) == sorted(parent["variations"])
    assert variations[0]["_links"]["up"][0]["href"] == f"https://shop.test/wp-json/wc/v3/products/{parent['id']}"
    # WooCommerce's get_item loads any id with wc_get_product(): a variation answers as a product of type variation
    # (its own webhook payloads are built from this route); only writes refuse it.
    vid = parent["variations"][0]
    as_product = call(store, "GET", f"/wp-json/wc/v3/products/{vid}", key=key)
    assert as_product.status_code == 200
    shown = as_product.json()
    assert (shown["id"], shown["type"], shown["parent_id"]) == (vid, "variation", parent["id"])
    assert shown["name"].startswith(parent["name"] + " - ") and shown["variations"] == []
    assert shown["categories"] == parent["categories"]
    assert set(shown) == set(parent)  # the products controller's schema, not the variations controller's
    assert shown["_links"]["up"][0]["href"] == f"https://shop.test/wp-json/wc/v3/products/{parent['id']}"
    write = call(store, "PUT", f"/wp-json/wc/v3/products/{vid}", key=key, json={"regular_price": "1.00"})
    assert write.status_code == 404 and "variations" in write.json()["message"]
    assert products[0]["permalink"].startswith("https://shop.test/product/")


def test_coupons_list_and_lookup_by_code(store, key) -> None:
    coupons = call(store, "GET", "/wp-json/wc/v3/coupons", key=key, params={"per_page": "100"}).json()
    codes = {c["code"] for c in coupons}
    assert {"été20", "save5", "freeship"} <= codes
    used = next(c for c in coupons if c["code"] == "save5")
    assert used["usage_count"] == len(used["used_by"])
    one = call(store, "GET", "/wp-json/wc/v3/coupons", key=key, params={"code": "SAVE5"}).json()
    assert [c["code"] for c in one] == ["save5"]


def test_webhooks_crud_as_captured() -> None:
    store = make_store(orders=10)
    key = key_for(store)
    changes = []
    store.bus.subscribe(changes.append)
    r = call(
        store,
        "POST",
        "/wp-json/wc/v3/webhooks",
        key=key,
        json={
            "name": "Lab order.updated",
            "topic": "order.updated",
            "secret": "s3cret",
            "status": "paused",
            "delivery_url": "https://hooks.test/wc-webhook/order.updated",
        },
    )
    assert r.status_code == 201
    hook = r.json()
    assert hook["status"] == "active"  # the requested status is ignored on create
    assert "secret" not in hook and hook["hooks"] == ["woocommerce_update_order", "woocommerce_order_refunded"]
    assert hook["date_modified"] is None and r.headers["Location"].endswith(f"/wc/v3/webhooks/{hook['id']}")
    assert store.webhooks[hook["id"]].secret == "s3cret"
    assert [(c.resource, c.event) for c in changes] == [("webhook", "created")]
    bad_topic = call(
        store,
        "POST",
        "/wp-json/wc/v3/webhooks",
        key=key,
        json={"name": "bad", "topic": "order.shipped", "delivery_url": "https://hooks.test/x"},
    )
    assert bad_topic.json() == {
        "code": "woocommerce_rest_shop_webhook_invalid_topic",
        "message": "Webhook topic is required and must be valid.",
        "data": {"status": 400},
    }
    bad_url = call(
        store,
        "POST",
        "/wp-json/wc/v3/webhooks",
        key=key,
        json={"name": "bad", "topic": "order.updated", "delivery_url": "ftp://hooks.test/x"},
    )
    assert bad_url.json()["code"] == "woocommerce_rest_shop_webhook_invalid_delivery_url"
    paused = call(store, "PUT", f"/wp-json/wc/v3/webhooks/{hook['id']}", key=key, json={"status": "paused"}).json()
    assert paused["status"] == "paused" and paused["date_modified"] is not None
    listed = call(store, "GET", "/wp-json/wc/v3/webhooks", key=key).json()
    assert [h["id"] for h in listed] == [hook["id"]]
    not_forced = call(store, "DELETE", f"/wp-json/wc/v3/webhooks/{hook['id']}", key=key)
    assert not_forced.status_code == 501
    assert (
        call(store, "DELETE", f"/wp-json/wc/v3/webhooks/{hook['id']}", key=key, params={"force": "true"}).status_code
        == 200
    )
    assert call(store, "GET", f"/wp-json/wc/v3/webhooks/{hook['id']}", key=key).status_code == 404
    no_secret = store.create_webhook({"topic": "coupon.created", "delivery_url": "https://hooks.test/c"})
    assert len(no_secret.secret) == 50


def test_settings_general_system_status_and_wc_admin_options(store, key) -> None:
    settings = call(store, "GET", "/wp-json/wc/v3/settings/general", key=key).json()
    assert {s["id"]: s["value"] for s in settings}["woocommerce_currency"] == "USD"
    status = call(store, "GET", "/wp-json/wc/v3/system_status", key=key).json()
    assert status["environment"]["home_url"] == "https://shop.test"
    assert status["settings"]["currency_symbol"] == "&#36;" and status["settings"]["HPOS_enabled"] is True
    options = call(
        store,
        "GET",
        "/wp-json/wc-admin/options",
        key=key,
        params={"options": "woocommerce_date_type,woocommerce_excluded_report_order_statuses"},
    )
    assert options.json() == {"woocommerce_date_type": False, "woocommerce_excluded_report_order_statuses": False}
    configured = make_store(
        orders=5, analytics_date_type="date_created", analytics_excluded_statuses=["pending", "failed", "cancelled"]
    )
    ck = key_for(configured)
    options = call(
        configured,
        "GET",
        "/wp-json/wc-admin/options",
        key=ck,
        params={"options": "woocommerce_date_type,woocommerce_excluded_report_order_statuses"},
    ).json()
    assert options == {
        "woocommerce_date_type": "date_created",
        "woocommerce_excluded_report_order_statuses": ["pending", "failed", "cancelled"],
    }


def test_home_page_announces_the_api_and_the_index_describes_the_site() -> None:
    store = make_store(orders=5, timezone="Asia/Tokyo")
    home = call(store, "GET", "/")
    assert home.status_code == 200 and home.headers["Content-Type"] == "text/html; charset=UTF-8"
    assert home.headers["Link"] == '<https://shop.test/wp-json/>; rel="https://api.w.org/"'
    index = call(store, "GET", "/wp-json/")
    body = index.json()
    assert (body["home"], body["url"], body["timezone_string"], body["gmt_offset"]) == (
        "https://shop.test",
        "https://shop.test",
        "Asia/Tokyo",
        9,
    )
    assert "wc/v3" in body["namespaces"]
    assert index.headers["Allow"] == "GET" and index.headers["Vary"] == "Origin"
    wc = call(store, "GET", "/wp-json/wc/v3").json()
    assert {"/wc/v3/orders", "/wc/v3/refunds", "/wc/v3/webhooks"} <= set(wc["routes"])

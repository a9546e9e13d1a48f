"""The modes the REST core handles: plain permalinks, legacy WooCommerce, no WooCommerce, REST disabled,
a stripped Authorization header and TLS terminated before WordPress. Modes are read at request time."""

from __future__ import annotations

import pytest

from fakestore.store import FakeStore

from .rest_helpers import call, key_for, make_store, oauth_params

NO_ROUTE = {
    "code": "rest_no_route",
    "message": "No route was found matching the URL and request method.",
    "data": {"status": 404},
}


@pytest.fixture
def store() -> FakeStore:
    return make_store(orders=40)


def test_plain_permalinks_move_the_api_to_rest_route(store: FakeStore) -> None:
    key = key_for(store)
    store.config.set_modes({"plain-permalinks"})
    home = call(store, "GET", "/")
    assert home.headers["Link"] == '<https://shop.test/index.php?rest_route=/>; rel="https://api.w.org/"'
    redirect = call(store, "GET", "/wp-json/wc/v3/orders", key=key, params={"per_page": "2"})
    assert redirect.status_code == 301
    assert redirect.headers["Location"] == "https://shop.test/wp-json/wc/v3/orders/?per_page=2"
    theme = call(store, "GET", "/wp-json/", key=key)
    assert theme.status_code == 200 and theme.headers["Content-Type"].startswith("text/html")
    index = call(store, "GET", "/", params={"rest_route": "/"})
    assert index.json()["routes"]["/wc/v3/orders"]["methods"] == ["GET", "POST"]
    orders = call(store, "GET", "/", key=key, raw_query="rest_route=/wc/v3/orders&per_page=2&_x=/wp-json/wc/")
    assert orders.status_code == 200
    first = orders.json()[0]
    assert first["_links"]["self"][0]["href"] == f"https://shop.test/index.php?rest_route=/wc/v3/orders/{first['id']}"
    assert orders.headers["Link"].startswith("<https://shop.test/index.php?rest_route=%2Fwc%2Fv3%2Forders&")


def test_pretty_permalinks_serve_the_api_and_a_theme_404_elsewhere(store: FakeStore) -> None:
    assert call(store, "GET", "/wp-json/").json()["home"] == "https://shop.test"
    page = call(store, "GET", "/no-such-page/")
    assert page.status_code == 404 and "Page not found" in page.text
    assert page.headers["Link"] == '<https://shop.test/wp-json/>; rel="https://api.w.org/"'


def test_legacy_woocommerce_ignores_modified_after_and_has_no_refunds_route(store: FakeStore) -> None:
    key = key_for(store)
    everything = call(store, "GET", "/wp-json/wc/v3/orders", key=key).headers["X-WP-Total"]
    recent = {"modified_after": "2026-11-20T00:00:00", "dates_are_gmt": "true"}
    assert call(store, "GET", "/wp-json/wc/v3/orders", key=key, params=recent).headers["X-WP-Total"] != everything
    store.config.set_modes({"legacy-woocommerce"})
    assert call(store, "GET", "/wp-json/wc/v3/orders", key=key, params=recent).headers["X-WP-Total"] == everything
    assert call(store, "GET", "/wp-json/wc/v3/refunds", key=key).json() == NO_ROUTE
    routes = call(store, "GET", "/wp-json/wc/v3").json()["routes"]
    assert "/wc/v3/refunds" not in routes
    assert "modified_after" not in routes["/wc/v3/orders"]["endpoints"][0]["args"]
    assert call(store, "GET", "/wp-json/wc/v3/system_status", key=key).json()["environment"]["version"] == "5.7.2"


def test_no_woocommerce_leaves_plain_wordpress(store: FakeStore) -> None:
    key = key_for(store)
    store.config.set_modes({"no-woocommerce"})
    index = call(store, "GET", "/wp-json/").json()
    assert "wc/v3" not in index["namespaces"] and "wp/v2" in index["namespaces"]
    assert call(store, "GET", "/wp-json/wc/v3/orders", key=key).json() == NO_ROUTE
    assert call(store, "GET", "/wp-json/wc/v3").json() == NO_ROUTE


def test_rest_disabled_answers_rest_cannot_access_even_with_keys(store: FakeStore) -> None:
    key = key_for(store)
    store.config.set_modes({"rest-disabled"})
    expected = {
        "code": "rest_cannot_access",
        "message": "Only authenticated users can access the REST API.",
        "data": {"status": 401},
    }
    for path in ("/wp-json/", "/wp-json/wc/v3/orders"):
        r = call(store, "GET", path, key=key)
        assert (r.status_code, r.json()) == (401, expected)
    assert call(store, "GET", "/").status_code == 200


def test_strip_auth_drops_the_authorization_header_but_query_keys_still_work(store: FakeStore) -> None:
    key = key_for(store)
    store.config.set_modes({"strip-auth"})
    assert call(store, "GET", "/wp-json/wc/v3/orders", key=key).status_code == 401
    assert call(store, "GET", "/wp-json/wc/v3/orders", key=key, auth="query").status_code == 200
    store.config.set_modes(set())
    assert call(store, "GET", "/wp-json/wc/v3/orders", key=key).status_code == 200


def test_proxy_without_ssl_ignores_keys_over_https_and_wants_oauth_signed_for_http(store: FakeStore) -> None:
    key = key_for(store)
    store.config.set_modes({"proxy-no-ssl"})
    assert call(store, "GET", "/wp-json/wc/v3/orders", key=key).status_code == 401
    assert call(store, "GET", "/wp-json/wc/v3/orders", key=key, auth="query").status_code == 401
    https_signed = oauth_params("GET", "https://shop.test/wp-json/wc/v3/orders", key)
    assert call(store, "GET", "/wp-json/wc/v3/orders", params=https_signed).status_code == 401
    http_signed = oauth_params(
        "GET", "https://shop.test/wp-json/wc/v3/orders", key, sign_as="http://shop.test/wp-json/wc/v3/orders"
    )
    assert call(store, "GET", "/wp-json/wc/v3/orders", params=http_signed).status_code == 200


def test_subscriptions_routes_exist_only_with_the_plugin() -> None:
    plain = make_store(orders=20)
    key = key_for(plain)
    assert call(plain, "GET", "/wp-json/wc/v3/subscriptions", key=key).json() == NO_ROUTE
    assert call(plain, "GET", "/wp-json/wc/v3/subscriptions/statuses").json() == NO_ROUTE
    subs = make_store(orders=200, subscriptions=True)
    key = key_for(subs)
    statuses = call(subs, "GET", "/wp-json/wc/v3/subscriptions/statuses")
    assert statuses.status_code == 200 and statuses.json()["wc-active"] == "Active"
    listed = call(subs, "GET", "/wp-json/wc/v3/subscriptions", key=key, params={"status": "active"})
    assert listed.status_code == 200 and all(s["status"] == "active" for s in listed.json())
    assert "/wc/v3/subscriptions/statuses" in call(subs, "GET", "/wp-json/wc/v3").json()["routes"]

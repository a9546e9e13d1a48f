"""REST authentication as WooCommerce does it: Basic/query keys only over HTTPS, OAuth 1.0a, the URI marker."""

from __future__ import annotations

import base64
import time

import pytest

from fakestore.store import FakeStore

from .rest_helpers import call, key_for, make_store, oauth_params

CANNOT_LIST = {
    "code": "woocommerce_rest_cannot_view",
    "message": "Sorry, you cannot list resources.",
    "data": {"status": 401},
}


def auth_error(message: str) -> dict:
    return {"code": "woocommerce_rest_authentication_error", "message": message, "data": {"status": 401}}


@pytest.fixture
def store() -> FakeStore:
    return make_store(orders=15, home="http://shop.test")


def https(store: FakeStore) -> str:
    return "https://shop.test"


def test_basic_and_query_keys_work_over_https(store: FakeStore) -> None:
    key = key_for(store)
    assert call(store, "GET", "/wp-json/wc/v3/orders", key=key, base_url=https(store)).status_code == 200
    assert call(store, "GET", "/wp-json/wc/v3/orders", key=key, auth="query", base_url=https(store)).status_code == 200


def test_basic_and_query_keys_are_ignored_over_plain_http(store: FakeStore) -> None:
    key = key_for(store)
    for mode in ("basic", "query"):
        r = call(store, "GET", "/wp-json/wc/v3/orders", key=key, auth=mode)
        assert (r.status_code, r.json()) == (401, CANNOT_LIST)
        assert "www-authenticate" not in r.headers
        assert r.headers["Vary"] == "Origin" and "Cache-Control" not in r.headers


def test_oauth_over_http_with_sha1_and_sha256_and_in_the_header(store: FakeStore) -> None:
    key = key_for(store)
    url = "http://shop.test/wp-json/wc/v3/orders"
    for algorithm in ("HMAC-SHA1", "HMAC-SHA256"):
        params = oauth_params("GET", url, key, params={"per_page": "5"}, algorithm=algorithm)
        r = call(store, "GET", "/wp-json/wc/v3/orders", params=params)
        assert r.status_code == 200, r.text
    params = oauth_params("GET", url, key, params={"per_page": "3"})
    header = "OAuth " + ", ".join(f'{k}="{v}"' for k, v in params.items() if k.startswith("oauth_"))
    r = call(store, "GET", "/wp-json/wc/v3/orders", params={"per_page": "3"}, headers={"Authorization": header})
    assert r.status_code == 200 and len(r.json()) == 3


def test_oauth_signs_every_query_parameter_including_non_ascii_and_slashes(store: FakeStore) -> None:
    key = key_for(store)
    url = "http://shop.test/wp-json/wc/v3/orders"
    params = oauth_params(
        "GET", url, key, params={"search": "Zoë 東京", "_fields": "id,billing", "after": "2025-01-01T00:00:00+05:30"}
    )
    assert call(store, "GET", "/wp-json/wc/v3/orders", params=params).status_code == 200
    unsigned = dict(params, per_page="5")
    r = call(store, "GET", "/wp-json/wc/v3/orders", params=unsigned)
    assert r.json() == auth_error("Invalid signature - provided signature does not match.")


def test_oauth_base_url_comes_from_the_home_url_and_is_ssl(store: FakeStore) -> None:
    key = key_for(store)
    signed_https = oauth_params("GET", "https://shop.test/wp-json/wc/v3/orders", key)
    r = call(store, "GET", "/wp-json/wc/v3/orders", params=signed_https)  # sent over http
    assert r.json() == auth_error("Invalid signature - provided signature does not match.")
    other_host = oauth_params("GET", "http://www.shop.test/wp-json/wc/v3/orders", key)
    assert call(store, "GET", "/wp-json/wc/v3/orders", params=other_host).status_code == 401
    over_https = oauth_params("GET", "https://shop.test/wp-json/wc/v3/orders", key)
    assert call(store, "GET", "/wp-json/wc/v3/orders", params=over_https, base_url=https(store)).status_code == 200


def test_oauth_nonce_reuse_timestamp_window_method_and_missing_parameters(store: FakeStore) -> None:
    key = key_for(store)
    url = "http://shop.test/wp-json/wc/v3/orders"
    params = oauth_params("GET", url, key)
    assert call(store, "GET", "/wp-json/wc/v3/orders", params=params).status_code == 200
    assert call(store, "GET", "/wp-json/wc/v3/orders", params=params).json() == auth_error(
        "Invalid nonce - nonce has already been used."
    )
    old = oauth_params("GET", url, key, timestamp=int(time.time()) - 16 * 60)
    assert call(store, "GET", "/wp-json/wc/v3/orders", params=old).json() == auth_error("Invalid timestamp.")
    store.set_now(time.time() - 14 * 60)  # a clock 14 minutes behind still accepts it
    assert call(store, "GET", "/wp-json/wc/v3/orders", params=oauth_params("GET", url, key)).status_code == 200
    store.set_now(None)
    plaintext = dict(oauth_params("GET", url, key), oauth_signature_method="PLAINTEXT")
    assert call(store, "GET", "/wp-json/wc/v3/orders", params=plaintext).json() == auth_error(
        "Invalid signature - signature method is invalid."
    )
    missing = {k: v for k, v in oauth_params("GET", url, key).items() if k not in ("oauth_nonce", "oauth_timestamp")}
    assert call(store, "GET", "/wp-json/wc/v3/orders", params=missing).json() == {
        "code": "woocommerce_rest_authentication_missing_parameter",
        "message": "Missing OAuth parameters oauth_timestamp, oauth_nonce",
        "data": {"status": 401},
    }


def test_unknown_keys_and_wrong_secrets_get_the_captured_errors(store: FakeStore) -> None:
    key = key_for(store)
    unknown = type(key)(0, 1, "", "read_write", "ck_" + "f" * 40, "cs_" + "f" * 40)
    assert call(store, "GET", "/wp-json/wc/v3/orders", key=unknown, base_url=https(store)).json() == CANNOT_LIST
    params = oauth_params("GET", "http://shop.test/wp-json/wc/v3/orders", unknown)
    assert call(store, "GET", "/wp-json/wc/v3/orders", params=params).json() == auth_error("Consumer key is invalid.")
    wrong = type(key)(0, 1, "", "read_write", key.consumer_key, "cs_" + "0" * 40)
    assert call(store, "GET", "/wp-json/wc/v3/orders", key=wrong, base_url=https(store)).json() == auth_error(
        "Consumer secret is invalid."
    )
    r = call(store, "GET", "/wp-json/wc/v3/orders", key=wrong, auth="query", base_url=https(store))
    assert r.json() == auth_error("Consumer secret is invalid.") and "www-authenticate" not in r.headers


def test_read_and_write_permissions_answer_401_and_a_user_without_rights_403(store: FakeStore) -> None:
    read, write = key_for(store, "read"), key_for(store, "write")
    base = https(store)
    oid = store.orders.ids[0]
    r = call(store, "PUT", f"/wp-json/wc/v3/orders/{oid}", key=read, json={"status": "completed"}, base_url=base)
    assert r.json() == auth_error("The API key provided does not have write permissions.")
    assert r.headers["Cache-Control"].startswith("no-cache") and "Allow" not in r.headers  # logged in, refused early
    r = call(store, "GET", "/wp-json/wc/v3/orders", key=write, base_url=base)
    assert r.json() == auth_error("The API key provided does not have read permissions.")
    assert call(store, "GET", "/wp-json/wc/v3/orders", key=read, base_url=base).status_code == 200
    store.accounts.set_role(1, "customer")
    r = call(store, "GET", "/wp-json/wc/v3/orders", key=read, base_url=base)
    assert (r.status_code, r.json()["code"]) == (403, "woocommerce_rest_cannot_view")
    assert "Allow" not in r.headers


def test_a_revoked_key_is_simply_unknown(store: FakeStore) -> None:
    key = key_for(store)
    store.accounts.delete_key(key.key_id)
    assert call(store, "GET", "/wp-json/wc/v3/orders", key=key, base_url=https(store)).json() == CANNOT_LIST


def test_keys_only_count_when_the_raw_uri_contains_the_wp_json_wc_marker(store: FakeStore) -> None:
    key = key_for(store)
    base = https(store)
    r = call(store, "GET", "/", key=key, params={"rest_route": "/wc/v3/orders"}, base_url=base)
    assert (r.status_code, r.json()) == (401, CANNOT_LIST)
    encoded = call(
        store, "GET", "/", key=key, raw_query="rest_route=%2Fwc%2Fv3%2Forders&_x=wp-json%2Fwc%2F", base_url=base
    )
    assert encoded.status_code == 401
    marked = call(store, "GET", "/", key=key, raw_query="rest_route=/wc/v3/orders&_x=/wp-json/wc/", base_url=base)
    assert marked.status_code == 200
    analytics = call(
        store, "GET", "/wp-json/wc-admin/options", key=key, params={"options": "woocommerce_date_type"}, base_url=base
    )
    assert analytics.json() == {"woocommerce_date_type": False}


def test_the_indexes_answer_without_authentication(store: FakeStore) -> None:
    assert call(store, "GET", "/wp-json/").status_code == 200
    r = call(store, "GET", "/wp-json/wc/v3")
    assert r.status_code == 200 and r.json()["namespace"] == "wc/v3" and r.headers["Allow"] == "GET"


def test_authorization_header_with_bad_base64_is_just_anonymous(store: FakeStore) -> None:
    r = call(store, "GET", "/wp-json/wc/v3/orders", headers={"Authorization": "Basic %%%"}, base_url=https(store))
    assert r.json() == CANNOT_LIST
    token = base64.b64encode(b"no-colon").decode()
    r = call(store, "GET", "/wp-json/wc/v3/orders", headers={"Authorization": f"Basic {token}"}, base_url=https(store))
    assert r.json() == CANNOT_LIST


def test_oauth_on_the_home_route_signs_the_bare_home_url(store: FakeStore) -> None:
    """`/?rest_route=…&_x=/wp-json/wc/`: WooCommerce strips the home path, and home_url('') has no slash."""
    key = key_for(store)
    store.config.set_modes({"plain-permalinks"})
    query = {"rest_route": "/wc/v3/orders", "_x": "/wp-json/wc/"}
    bare = oauth_params("GET", "http://shop.test/", key, params=query, sign_as="http://shop.test")
    raw = "&".join(f"{k}={v}" for k, v in bare.items() if k in query)
    signed = {k: v for k, v in bare.items() if k not in query}
    from urllib.parse import quote, urlencode

    r = call(store, "GET", "/", raw_query=raw + "&" + urlencode(signed, quote_via=quote))
    assert r.status_code == 200, r.text
    slashed = oauth_params("GET", "http://shop.test/", key, params=query)
    signed = {k: v for k, v in slashed.items() if k not in query}
    r = call(store, "GET", "/", raw_query=raw + "&" + urlencode(signed, quote_via=quote))
    assert r.json()["message"] == "Invalid signature - provided signature does not match."

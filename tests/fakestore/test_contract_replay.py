"""Contract: the captured requests of the real lab store, replayed against the fake serving the recorded dataset.

Same status, same error code and message, the headers that matter (totals, Link, Content-Type, Allow, cache and
Vary, never WWW-Authenticate), and the same JSON keys and value types, object by object (matched by id). For
single objects of the dataset the whole body must be identical.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from .captures import CAPTURES, Replayed, dataset_store, load, replay, shape_differences

# The dataset was exported after the webhook journey, which created order 2357, completed 2355, trashed 2343,
# refunded 2345 and edited customer 186: captures taken before it differ on those objects and on counts by status.
CHANGED_AFTER_CAPTURE = {2343, 2345, 2355, 2357, 186}
TOTALS_CHANGED = {
    "orders/orders-status-trash.json",
    "orders/orders-status-refunded.json",
    "orders/orders-status-comma-list.json",
    "orders/orders-status-array.json",
    "orders/orders-created_via-admin.json",
    "orders/refunds-top-level.json",
    "orders/refunds-top-level-page2.json",
}

# Routes the issue does not ask for (legacy reports, wc-analytics, notes, taxes, gateways...): not served.
NOT_SERVED = {
    "orders/order-notes.json",
    "products/product-attributes.json",
    "products/product-categories.json",
    "settings/data-currencies-current.json",
    "settings/payment-gateways.json",
    "settings/settings-groups.json",
    "settings/taxes.json",
}
EDGES = ("auth/", "permalinks-plain/wc-auth", "permalinks-postname/wc-auth")  # wc-auth screens: tested with wcauth


def _names(*folders: str) -> list[str]:
    out = []
    for folder in folders:
        for path in sorted((CAPTURES / folder).glob("*.json")):
            name = f"{folder}/{path.name}"
            data = json.loads(path.read_text())
            if not isinstance(data, dict) or "request" not in data or name in NOT_SERVED or name.startswith(EDGES):
                continue
            if name.startswith("reports/") and name != "reports/reports-orders-totals.json":
                continue
            out.append(name)
    return out


def run(name: str, **kwargs: Any) -> Replayed:
    url = load(name)["request"]["url"]
    home = "https://127.0.0.1:8443" if url.startswith("https") else "http://127.0.0.1:8080"
    store = kwargs.setdefault("store", dataset_store(home))
    modes = kwargs.pop("modes", None)
    if modes:
        store.config.set_modes(modes)
    try:
        return asyncio.run(replay(name, **kwargs))
    finally:
        if modes:
            store.config.set_modes(set())


def assert_headers_match(r: Replayed) -> None:
    real = r.expected["headers"]
    fake = r.response.headers
    assert "www-authenticate" not in fake
    assert fake.get("content-type") == real.get("Content-Type")
    for header in ("Allow", "Vary", "Cache-Control", "Expires", "X-Robots-Tag", "Access-Control-Expose-Headers"):
        assert fake.get(header) == real.get(header), header
    link = real.get("Link", "")
    if "api.w.org" in link:
        assert fake.get("link") == link


def assert_same_shapes(real: Any, fake: Any) -> None:
    if isinstance(real, list):
        assert isinstance(fake, list)
        by_id = {item.get("id"): item for item in fake if isinstance(item, dict)}
        compared = 0
        for item in real:
            twin = by_id.get(item.get("id")) if isinstance(item, dict) else None
            if twin is not None:
                assert shape_differences(item, twin) == [], item.get("id")
                compared += 1
        if real and fake and not compared:
            # No id in common (e.g. a date window on another day): the captured object must still have the shape
            # of what the fake returned, except that only a registered customer's order links to its customer.
            expected = []
            if isinstance(real[0], dict) and bool(real[0].get("customer_id")) != bool(fake[0].get("customer_id")):
                expected = [d for d in shape_differences(real[0], fake[0]) if "'customer'" in d and "_links" in d]
            assert shape_differences(real[0], fake[0]) == expected
    else:
        assert shape_differences(real, fake) == []


ERRORS = [n for n in _names("errors") if not n.startswith("errors/oauth1-")]


@pytest.mark.parametrize("name", ERRORS)
def test_captured_error_answers_match_code_message_status_and_headers(name: str) -> None:
    r = run(name)
    assert r.response.status_code == r.expected["status"]
    assert r.response.json() == r.expected["body"]
    assert_headers_match(r)


OAUTH_ERRORS = [n for n in _names("errors") if n.startswith("errors/oauth1-")]


@pytest.mark.parametrize("name", OAUTH_ERRORS)
def test_captured_oauth_errors_match_with_the_lab_clock(name: str) -> None:
    store = dataset_store("http://127.0.0.1:8080")
    if name == "errors/oauth1-nonce-reused.json":
        run(name, store=store)  # the first use of the nonce succeeds; the capture is the second
    r = run(name, store=store)
    assert (r.response.status_code, r.response.json()) == (r.expected["status"], r.expected["body"])
    assert_headers_match(r)


LISTS_AND_OBJECTS = _names(
    "orders", "authmodes", "dates", "customers", "products", "coupons", "settings", "index", "reports", "resources"
)
LISTS_AND_OBJECTS = [n for n in LISTS_AND_OBJECTS if n != "authmodes/orders-oauth1-authorization-header-http.json"]


@pytest.mark.parametrize("name", LISTS_AND_OBJECTS)
def test_captured_reads_match_status_headers_and_shapes(name: str) -> None:
    r = run(name)
    assert r.response.status_code == r.expected["status"]
    assert_headers_match(r)
    real, fake = r.expected["body"], r.response.json()
    if name.startswith("index/") or name.endswith("system-status.json"):
        assert list(fake) == list(real) if not name.endswith("system-status.json") else set(fake) == set(real)
        return
    assert_same_shapes(real, fake)
    if "X-WP-Total" in r.expected["headers"] and name not in TOTALS_CHANGED:
        assert r.response.headers["X-WP-Total"] == r.expected["headers"]["X-WP-Total"]
        assert r.response.headers["X-WP-TotalPages"] == r.expected["headers"]["X-WP-TotalPages"]
        assert r.response.headers.get("Link") == r.expected["headers"].get("Link")


SINGLE_ORDERS = [
    n for n in _names("orders") if n.startswith("orders/order-single-") or n.startswith("orders/order-refund")
]


@pytest.mark.parametrize("name", SINGLE_ORDERS)
def test_single_objects_of_the_dataset_come_back_byte_for_byte(name: str) -> None:
    r = run(name)
    real = r.expected["body"]
    if isinstance(real, dict) and real.get("id") in CHANGED_AFTER_CAPTURE:
        pytest.skip("changed by the webhook journey after this capture")
    assert r.response.json() == real


def test_list_pages_hold_the_captured_orders_in_the_captured_order() -> None:
    # (products are left out: the lab store seeded them within the same seconds and MySQL orders such ties freely)
    for name in (
        "orders/orders-page1-default.json",
        "orders/orders-orderby-id-asc.json",
        "orders/orders-orderby-modified-desc.json",
        "orders/orders-offset.json",
        "orders/orders-per_page-100-last-page.json",
        "customers/customers-page1.json",
        "customers/customers-role-all.json",
        "customers/customers-orderby-registered_date.json",
        "orders/refunds-top-level.json",
    ):
        r = run(name)
        real_ids = [o["id"] for o in r.expected["body"] if o["id"] not in CHANGED_AFTER_CAPTURE]
        fake_ids = [o["id"] for o in r.response.json() if o["id"] not in CHANGED_AFTER_CAPTURE]
        common = set(real_ids) & set(fake_ids)
        assert len(common) >= len(real_ids) - 2, name  # a page may shift by the objects added since
        assert [i for i in fake_ids if i in common] == [i for i in real_ids if i in common], name


def test_date_filter_quirks_give_the_captured_totals() -> None:
    for name in sorted(p.name for p in (CAPTURES / "dates").glob("orders-*.json")):
        r = run(f"dates/{name}")
        assert r.response.headers["X-WP-Total"] == r.expected["headers"]["X-WP-Total"], name
        fake_ids = [o["id"] for o in r.response.json() if o["id"] not in CHANGED_AFTER_CAPTURE]
        real_ids = [o["id"] for o in r.expected["body"] if o["id"] not in CHANGED_AFTER_CAPTURE]
        assert fake_ids[: len(real_ids)] == real_ids[: len(fake_ids)], name


@pytest.mark.parametrize(
    "name",
    [
        "permalinks-plain/wp-json-orders-basic-https.json",
        "permalinks-plain/wp-json-index.json",
        "permalinks-plain/rest_route-index.json",
        "permalinks-plain/rest_route-orders-basic-https.json",
        "permalinks-plain/rest_route-orders-query-keys-https.json",
        "permalinks-plain/rest_route-orders-basic-https-with-wp-json-wc-marker.json",
    ],
)
def test_plain_permalink_captures_match(name: str) -> None:
    r = run(name, modes={"plain-permalinks"})
    assert r.response.status_code == r.expected["status"]
    real = r.expected["headers"]
    for header in ("Location", "X-Redirect-By", "Content-Type", "Link"):
        assert r.response.headers.get(header) == real.get(header), header
    if isinstance(r.expected["body"], dict) and "code" in r.expected["body"]:
        assert r.response.json() == r.expected["body"]


@pytest.mark.parametrize("name", [n for n in _names("permalinks-postname") if "wc-auth" not in n])
def test_pretty_permalink_captures_match(name: str) -> None:
    r = run(name)
    assert r.response.status_code == r.expected["status"]
    assert_headers_match(r)
    if isinstance(r.expected["body"], dict) and "code" in r.expected["body"]:
        assert r.response.json() == r.expected["body"]


def test_oauth_over_plain_permalinks_is_refused_without_the_marker() -> None:
    store = dataset_store("http://127.0.0.1:8080")
    store.config.set_modes({"plain-permalinks"})
    try:
        r = run("permalinks-plain/rest_route-orders-oauth1-http.json", store=store)
    finally:
        store.config.set_modes(set())
    assert (r.response.status_code, r.response.json()) == (401, r.expected["body"])


def test_webhook_crud_journey_replays_as_captured() -> None:
    """create (valid, invalid topic, invalid URL, no secret, a paused one that comes out active), list, pause, get."""
    from fakestore.config import FakeStoreConfig
    from fakestore.store import FakeStore

    from .captures import DATASET, install_capture_keys

    store = FakeStore(FakeStoreConfig(home_url="https://127.0.0.1:8443", dataset_dir=str(DATASET)))
    install_capture_keys(store)
    creates = ["order.updated", "order.created", "order.deleted", "customer.updated", "failing-http", "no-secret"]
    for topic in creates:
        r = run(f"webhooks/create-webhook-{topic}.json", store=store)
        assert r.response.status_code == 201
        real, fake = r.expected["body"], r.response.json()
        assert shape_differences(real, fake) == []
        for field in ("id", "name", "status", "topic", "resource", "event", "hooks", "delivery_url", "date_modified"):
            assert fake[field] == real[field], field
        assert r.response.headers["Location"] == r.expected["headers"]["Location"]
    for invalid in ("invalid-topic", "invalid-url"):
        r = run(f"webhooks/create-webhook-{invalid}.json", store=store)
        assert (r.response.status_code, r.response.json()) == (r.expected["status"], r.expected["body"])
    listed = run("webhooks/list-webhooks.json", store=store)
    assert sorted(h["id"] for h in listed.response.json()) == sorted(h["id"] for h in listed.expected["body"])
    assert_same_shapes(listed.expected["body"], listed.response.json())
    for n in range(1, 7):
        r = run(f"webhooks/pause-webhook-{n}.json", store=store)
        assert r.response.status_code == 200 and r.response.json()["status"] == r.expected["body"]["status"]
        assert_headers_match(r)
    got = run("webhooks/get-webhook-after-deliveries.json", store=store)
    assert got.response.status_code == 200 and shape_differences(got.expected["body"], got.response.json()) == []

"""Contract: generated objects have the keys and value types of the real store's (the recorded dataset)."""

from __future__ import annotations

import copy
import json
from functools import cache

import pytest

from fakestore.store import FakeStore

from .captures import DATASET, shape_differences
from .rest_helpers import call, key_for, make_store

# The dataset was recorded on WooCommerce 9.9; the fake follows 11.0.1 (test_contract_real_store compares it with the
# real 11.0.1 stores), which added these keys. Each is required in the fake and absent from the 9.9 object, then left
# out of the comparison: (list the key sits in, or None for the object itself; key).
ADDED_IN_WOOCOMMERCE_11: dict[str, list[tuple[str | None, str]]] = {
    "order": [("line_items", "global_unique_id"), ("refunds", "total_tax")],
    "refund": [("line_items", "global_unique_id")],
    "variation": [(None, "gallery_image_ids")],
}


def without_keys_added_in_woocommerce_11(kind: str, real_99: dict, fake: dict) -> dict:
    """The fake object without the keys WooCommerce 11 added, after checking the fake has them and 9.9 had not."""
    fake = copy.deepcopy(fake)
    for group, key in ADDED_IN_WOOCOMMERCE_11[kind]:
        for holder in [real_99] if group is None else real_99[group]:
            assert key not in holder, f"the 9.9 dataset has {group}[].{key}: not a WooCommerce 11 addition"
        for holder in [fake] if group is None else fake[group]:
            assert key in holder, f"WooCommerce 11 has {group or kind}.{key}; the fake lacks it"
            del holder[key]
    return fake


@cache
def dataset(name: str) -> list[dict]:
    return json.loads((DATASET / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def store() -> FakeStore:
    return make_store(orders=400, seed=17)


def _real_like(objects: list[dict], predicate) -> dict:
    return next(o for o in objects if predicate(o))


@pytest.mark.parametrize(
    "kind",
    ["with coupon", "with fee", "with refund", "guest", "checkout-draft", "trash", "variation line", "paid"],
)
def test_generated_orders_have_the_real_keys_and_types(store: FakeStore, kind: str) -> None:
    real_orders = dataset("orders.json") + dataset("orders-trash.json")
    predicates = {
        "with coupon": lambda o: o["coupon_lines"],
        "with fee": lambda o: o["fee_lines"] and o["fee_lines"][0]["taxes"],
        "with refund": lambda o: o["refunds"],
        "guest": lambda o: o["customer_id"] == 0,
        "checkout-draft": lambda o: o["status"] == "checkout-draft",
        "trash": lambda o: o["status"] == "trash",
        "variation line": lambda o: any(li["variation_id"] for li in o["line_items"]) and o["tax_lines"],
        "paid": lambda o: o["date_paid"] and o["shipping_lines"] and o["shipping_lines"][0]["taxes"],
    }
    real = json.loads(json.dumps(_real_like(real_orders, predicates[kind])))
    key = key_for(store)
    fake = None
    for oid in store.orders.ids:
        candidate = store.order_json(oid)
        if candidate is not None and predicates[kind](candidate):
            fake = call(store, "GET", f"/wp-json/wc/v3/orders/{oid}", key=key).json()
            break
    assert fake is not None, f"no generated order {kind}"
    for order in (real, fake):  # a customer link exists for registered customers only
        order["_links"].pop("customer", None)
    fake = without_keys_added_in_woocommerce_11("order", real, fake)
    assert shape_differences(real, fake) == []
    assert list(fake) == list(real)


def test_generated_refunds_have_the_real_keys_and_types(store: FakeStore) -> None:
    key = key_for(store)
    fake = call(store, "GET", "/wp-json/wc/v3/refunds", key=key, params={"per_page": "100"}).json()
    real = dataset("refunds.json")
    with_items = [r for r in fake if r["line_items"]]
    assert with_items
    real_with_items = _real_like(real, lambda r: r["line_items"] and r["tax_lines"])
    fake_with_items = next(r for r in with_items if r["tax_lines"])
    fake_with_items = without_keys_added_in_woocommerce_11("refund", real_with_items, fake_with_items)
    assert shape_differences(real_with_items, fake_with_items) == []
    assert (
        shape_differences(_real_like(real, lambda r: not r["line_items"]), next(r for r in fake if not r["line_items"]))
        == []
    )


@pytest.mark.parametrize(
    ("path", "file", "pick"),
    [
        ("/wp-json/wc/v3/customers/2", "customers.json", lambda c: c["role"] == "customer"),
        ("/wp-json/wc/v3/coupons/{coupon}", "coupons.json", lambda c: True),
        ("/wp-json/wc/v3/products/{simple}", "products.json", lambda p: p["type"] == "simple" and p["on_sale"]),
        ("/wp-json/wc/v3/products/{variable}", "products.json", lambda p: p["type"] == "variable"),
    ],
)
def test_generated_customers_products_and_coupons_have_the_real_keys_and_types(store, path, file, pick) -> None:
    key = key_for(store)
    products = [store.products.get(i) for i in store.products.ids]
    ids = {
        "coupon": store.coupons.ids[0],
        "simple": next(p["id"] for p in products if p["type"] == "simple" and p["on_sale"]),
        "variable": next(p["id"] for p in products if p["type"] == "variable"),
    }
    fake = call(store, "GET", path.format(**ids), key=key).json()
    real = _real_like(dataset(file), pick)
    assert shape_differences(real, fake) == []
    assert set(fake) == set(real)


def test_generated_variations_have_the_real_keys_and_types(store: FakeStore) -> None:
    key = key_for(store)
    parent = next(store.products.get(i) for i in store.products.ids if store.products.get(i)["type"] == "variable")
    fake = call(store, "GET", f"/wp-json/wc/v3/products/{parent['id']}/variations", key=key).json()[0]
    real = dataset("variations.json")[0]
    fake = without_keys_added_in_woocommerce_11("variation", real, fake)
    assert shape_differences(real, fake) == []
    assert set(fake) == set(real)

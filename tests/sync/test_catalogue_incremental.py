"""Products, their variations and coupons changed on the store arrive with one incremental pass (no reconciliation)."""

from __future__ import annotations

from typing import Any

import pytest

from storelens.commerce.models import Coupon, Product, Variation
from storelens.sync.api import run_sync
from storelens.sync.models import Cursor

from .conftest import FAST_RETRIES, HOME, make_fake, make_store
from .equality import assert_catalogue_equals_store, assert_copy_equals_store

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(workspace: Any, serve_in_process: dict) -> tuple[Any, Any]:
    fake = make_fake(120, seed=31)
    serve_in_process[HOME] = fake
    store = make_store(workspace, fake)
    run_sync(store.pk, client_options=FAST_RETRIES)
    assert_catalogue_equals_store(store, fake.store)
    return fake, store


def _products(shop: Any, kind: str) -> list[int]:
    return [pid for pid in list(shop.products.ids) if (p := shop.products.get(pid)) and p["type"] == kind]


def _edit_variation(shop: Any, variation_id: int, price: str) -> None:
    """What saving a variation does on WooCommerce: the variation changes and its parent is re-synced (saved)."""
    rec = shop.variations.materialize(variation_id)
    rec["price"] = rec["regular_price"] = price
    rec["date_modified"] = rec["date_modified_gmt"] = shop.now()
    shop.variations.set_columns(variation_id, modified=shop.now())
    shop.update_product(rec["parent_id"], {})


def test_the_import_leaves_catalogue_cursors_for_the_incremental_pass(imported: tuple[Any, Any]) -> None:
    _, store = imported
    assert set(Cursor.objects.filter(store=store).values_list("resource", flat=True)) == {
        "orders",
        "products",
        "coupons",
    }


def test_product_variation_and_coupon_changes_arrive_with_one_incremental_pass(imported: tuple[Any, Any]) -> None:
    fake, store = imported
    shop = fake.store
    simple, variable = _products(shop, "simple"), _products(shop, "variable")
    shop.update_product(simple[0], {"regular_price": "123.45", "name": "Renamed mug"})
    shop.update_product(simple[1], {"status": "trash"})
    shop.update_product(simple[2], {"status": "draft", "sku": "NEW-SKU"})
    parent = shop.products.get(variable[0])
    edited, removed = parent["variations"][0], parent["variations"][1]
    _edit_variation(shop, edited, "77.70")
    shop.variations.delete(removed)
    shop.update_product(variable[0], {})
    shop.update_coupon(next(iter(shop.coupons.ids)), {"amount": "12.5", "discount_type": "fixed_cart"})
    created = shop.create_coupon({"code": "SPRING24", "amount": "5", "discount_type": "percent"})

    run_sync(store.pk, exact=False, client_options=FAST_RETRIES)

    renamed = Product.objects.get(store=store, wc_id=simple[0])
    assert (renamed.name, renamed.price_minor) == ("Renamed mug", 12345)
    assert Product.objects.get(store=store, wc_id=simple[1]).status == "trash"
    assert Variation.objects.get(store=store, wc_id=edited).price_minor == 7770
    assert Variation.objects.get(store=store, wc_id=removed).deleted_at is not None
    assert Coupon.objects.get(store=store, wc_id=created["id"]).code == "spring24"
    assert_catalogue_equals_store(store, shop)
    assert_copy_equals_store(store, shop)


def test_an_unchanged_catalogue_is_not_re_listed_by_the_incremental_pass(imported: tuple[Any, Any]) -> None:
    fake, store = imported
    synced = {p.wc_id: p.synced_at for p in Product.objects.filter(store=store)}
    run_sync(store.pk, exact=False, client_options=FAST_RETRIES)
    # Only the lag overlap is re-read: products modified long ago keep the import's synced_at.
    shop = fake.store
    old = [pid for pid in synced if shop.products.get(pid)["date_modified_gmt"] < shop.now() - 3600]
    assert old and all(Product.objects.get(store=store, wc_id=pid).synced_at == synced[pid] for pid in old)
    assert_catalogue_equals_store(store, shop)

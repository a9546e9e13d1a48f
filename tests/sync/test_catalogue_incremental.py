"""Products, their variations and coupons changed on the store arrive with one incremental pass (no reconciliation)."""

from __future__ import annotations

from typing import Any

import pytest

from storelens.commerce.models import Coupon, Product, Variation
from storelens.sync.api import run_sync
from storelens.sync.models import Cursor

from .conftest import FAST_RETRIES, HOME, make_fake, make_source
from .equality import assert_catalogue_equals_store, assert_copy_equals_store

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(workspace: Any, serve_in_process: dict) -> tuple[Any, Any]:
    fake = make_fake(120, seed=31)
    serve_in_process[HOME] = fake
    source = make_source(workspace, fake)
    run_sync(source.pk, client_options=FAST_RETRIES)
    assert_catalogue_equals_store(source, fake.store)
    return fake, source


def _products(store: Any, kind: str) -> list[int]:
    return [pid for pid in list(store.products.ids) if (p := store.products.get(pid)) and p["type"] == kind]


def _edit_variation(store: Any, variation_id: int, price: str) -> None:
    """What saving a variation does on WooCommerce: the variation changes and its parent is re-synced (saved)."""
    rec = store.variations.materialize(variation_id)
    rec["price"] = rec["regular_price"] = price
    rec["date_modified"] = rec["date_modified_gmt"] = store.now()
    store.variations.set_columns(variation_id, modified=store.now())
    store.update_product(rec["parent_id"], {})


def test_the_import_leaves_catalogue_cursors_for_the_incremental_pass(imported: tuple[Any, Any]) -> None:
    _, source = imported
    assert set(Cursor.objects.filter(source=source).values_list("resource", flat=True)) == {
        "orders",
        "products",
        "coupons",
    }


def test_product_variation_and_coupon_changes_arrive_with_one_incremental_pass(imported: tuple[Any, Any]) -> None:
    fake, source = imported
    store = fake.store
    simple, variable = _products(store, "simple"), _products(store, "variable")
    store.update_product(simple[0], {"regular_price": "123.45", "name": "Renamed mug"})
    store.update_product(simple[1], {"status": "trash"})
    store.update_product(simple[2], {"status": "draft", "sku": "NEW-SKU"})
    parent = store.products.get(variable[0])
    edited, removed = parent["variations"][0], parent["variations"][1]
    _edit_variation(store, edited, "77.70")
    store.variations.delete(removed)
    store.update_product(variable[0], {})
    store.update_coupon(next(iter(store.coupons.ids)), {"amount": "12.5", "discount_type": "fixed_cart"})
    created = store.create_coupon({"code": "SPRING24", "amount": "5", "discount_type": "percent"})

    run_sync(source.pk, exact=False, client_options=FAST_RETRIES)

    renamed = Product.objects.get(source=source, wc_id=simple[0])
    assert (renamed.name, renamed.price_minor) == ("Renamed mug", 12345)
    assert Product.objects.get(source=source, wc_id=simple[1]).status == "trash"
    assert Variation.objects.get(source=source, wc_id=edited).price_minor == 7770
    assert Variation.objects.get(source=source, wc_id=removed).deleted_at is not None
    assert Coupon.objects.get(source=source, wc_id=created["id"]).code == "spring24"
    assert_catalogue_equals_store(source, store)
    assert_copy_equals_store(source, store)


def test_an_unchanged_catalogue_is_not_re_listed_by_the_incremental_pass(imported: tuple[Any, Any]) -> None:
    fake, source = imported
    synced = {p.wc_id: p.synced_at for p in Product.objects.filter(source=source)}
    run_sync(source.pk, exact=False, client_options=FAST_RETRIES)
    # Only the lag overlap is re-read: products modified long ago keep the import's synced_at.
    store = fake.store
    old = [pid for pid in synced if store.products.get(pid)["date_modified_gmt"] < store.now() - 3600]
    assert old and all(Product.objects.get(source=source, wc_id=pid).synced_at == synced[pid] for pid in old)
    assert_catalogue_equals_store(source, store)

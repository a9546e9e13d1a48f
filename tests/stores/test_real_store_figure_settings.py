"""Check connection against the real WordPress + WooCommerce stores (tests/realstore) records each Analytics setting
with where it came from: the US store (`production`, never saved) has WooCommerce's defaults as an answer; the EU
store (`staging`) counts by creation date with on-hold excluded, read although /wc-admin/options refuses the
excluded statuses there; with the settings API closed too, the excluded statuses are assumed and the store's page
says so, with the environment type."""

from __future__ import annotations

import html
import io
import json
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from storelens.doctor.runner import check_store
from storelens.stores.models import Store

from ..woocommerce.test_real_store_analytics_settings import CLOSE_SETTINGS_API

pytestmark = [pytest.mark.realstore, pytest.mark.django_db]


def checked(shop: Any, alice: Any) -> Store:
    store = Store(
        workspace=alice.workspaces().first(),
        entered_url=shop.url,
        home_url=shop.url,
        rest_root=shop.url + "/wp-json/",
        status=Store.Status.CONNECTED,
        keys_verified_at=timezone.now(),
        key_permissions="read_write",
    )
    store.set_keys(shop.consumer_key, shop.consumer_secret)
    store.save()
    with override_settings(STORELENS_ALLOW_PRIVATE_STORES=True, STORELENS_STORE_CA_BUNDLE=str(shop.ca_bundle)):
        check_store(store)
    store.refresh_from_db()
    return store


def test_the_us_store_has_never_saved_its_settings_so_woocommerces_defaults_are_its_answer(
    real_store_us: Any, alice: Any
) -> None:
    store = checked(real_store_us, alice)
    assert (store.date_basis, sorted(store.excluded_statuses)) == ("paid", ["cancelled", "failed", "pending"])
    assert (store.date_basis_origin, store.excluded_statuses_origin) == ("default", "default")


def test_the_eu_staging_store_counts_by_creation_date_with_on_hold_excluded(real_store_eu: Any, alice: Any) -> None:
    store = checked(real_store_eu, alice)
    assert store.date_basis == "created"
    assert sorted(store.excluded_statuses) == ["cancelled", "failed", "on-hold", "pending"]
    assert (store.date_basis_origin, store.excluded_statuses_origin) == ("store", "store")


def test_with_its_settings_api_closed_the_eu_store_page_says_the_excluded_statuses_are_assumed(
    restored_real_store_eu: Any, alice: Any, client_for: Any
) -> None:
    shop = restored_real_store_eu
    (shop.wp_root / "wp-content" / "mu-plugins" / "close-settings-api.php").write_text(CLOSE_SETTINGS_API)
    store = checked(shop, alice)
    assert (store.date_basis, store.date_basis_origin) == ("created", "store")
    assert store.excluded_statuses == ["pending", "failed", "cancelled"]
    assert store.excluded_statuses_origin == "assumed"
    browser: Client = client_for(alice)
    page = html.unescape(
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", browser.get(f"/sources/{store.pk}/").content.decode()))
    )
    assert (
        "Orders excluded from reports: WooCommerce's default (pending, failed, cancelled), assumed: your store "
        "refused to tell us (its environment type is staging; WooCommerce said woocommerce_rest_cannot_view)"
    ) in page
    out = io.StringIO()
    call_command("sources", "list", "--json", stdout=out)
    figures = json.loads(out.getvalue())[0]["figure_settings"]
    assert figures["excluded_statuses"]["origin"] == "assumed" and figures["environment_type"] == "staging"

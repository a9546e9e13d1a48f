"""The Analytics settings reader against the real WordPress 7.1 + WooCommerce 11.0.1 stores (tests/realstore): the
US store (`production`, settings never saved) answers both options; the EU store (`staging`, counting by creation
date, on-hold excluded) refuses the excluded statuses on /wc-admin/options, and they are read from the settings API;
when a site also closes the settings API (WooCommerce's own `woocommerce_rest_check_permissions` filter), they are
refused, with the environment type, and Storelens must assume them."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from storelens.woocommerce.analytics_settings import (
    DATE_TYPE,
    EXCLUDED_STATUSES,
    AnalyticsSettings,
    Origin,
    read_analytics_settings,
)
from storelens.woocommerce.auth import Credentials
from storelens.woocommerce.client import ClientConfig, StoreClient

pytestmark = pytest.mark.realstore

# A site closing WooCommerce's settings API to REST keys through WooCommerce's own permission filter (as a hardening
# plugin does); orders and the rest stay readable.
CLOSE_SETTINGS_API = """<?php
add_filter('woocommerce_rest_check_permissions', function ($permission, $context, $object_id, $object) {
    return $object === 'settings' ? false : $permission;
}, 10, 4);
"""


def read(store: Any) -> AnalyticsSettings:
    async def go() -> AnalyticsSettings:
        config = ClientConfig(allow_private=True, verify=str(store.ca_bundle))
        credentials = Credentials(store.consumer_key, store.consumer_secret)
        async with StoreClient(store.url, credentials=credentials, config=config) as client:
            return await read_analytics_settings(client)

    return asyncio.run(go())


def test_woocommerce_11_refuses_the_combined_request_outside_production_only(
    real_store_us: Any, real_store_eu: Any
) -> None:
    both = {"options": f"{DATE_TYPE},{EXCLUDED_STATUSES}"}
    refused = real_store_eu.rest("GET", "/wp-json/wc-admin/options", params=both)
    assert refused.status_code == 403
    assert refused.json()["code"] == "woocommerce_rest_cannot_view"
    assert real_store_eu.rest("GET", "/wp-json/wc-admin/options", params={"options": DATE_TYPE}).status_code == 200
    answered = real_store_us.rest("GET", "/wp-json/wc-admin/options", params=both)
    assert answered.status_code == 200
    assert answered.json() == {DATE_TYPE: False, EXCLUDED_STATUSES: False}  # never saved: get_option's false


def test_the_us_store_in_production_answers_both_and_has_never_saved_them(real_store_us: Any) -> None:
    settings = read(real_store_us)
    assert [(r.origin, r.route) for r in settings.readings] == [
        (Origin.UNSET, "/wc-admin/options"),
        (Origin.UNSET, "/wc-admin/options"),
    ]
    assert settings.date_type.effective() == "date_paid"
    assert set(settings.excluded_statuses.effective()) == {"pending", "failed", "cancelled"}
    assert settings.environment_type is None  # nothing refused: not asked


def test_the_eu_staging_store_tells_its_excluded_statuses_through_the_settings_api(real_store_eu: Any) -> None:
    settings = read(real_store_eu)
    assert (settings.date_type.origin, settings.date_type.value) == (Origin.READ, "date_created")
    assert settings.date_type.route == "/wc-admin/options"
    excluded = settings.excluded_statuses
    assert excluded.origin is Origin.READ and excluded.route == f"/wc/v3/settings/wc_admin/{EXCLUDED_STATUSES}"
    assert set(excluded.value or ()) == {"pending", "failed", "cancelled", "on-hold"}


def test_with_the_settings_api_closed_the_eu_store_refuses_them_and_says_it_is_staging(
    restored_real_store_eu: Any,
) -> None:
    store = restored_real_store_eu
    (store.wp_root / "wp-content" / "mu-plugins" / "close-settings-api.php").write_text(CLOSE_SETTINGS_API)
    settings = read(store)
    assert (settings.date_type.origin, settings.date_type.value) == (Origin.READ, "date_created")
    excluded = settings.excluded_statuses
    assert (excluded.origin, excluded.status, excluded.code) == (Origin.REFUSED, 403, "woocommerce_rest_cannot_view")
    assert settings.environment_type == "staging"

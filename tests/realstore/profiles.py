"""The two store profiles: settings only (the orders, customers and products come from the seed, `seed/seed.php`).

- `us`: prices exclusive of tax, America/New_York, USD, WooCommerce's default Analytics settings, environment
  `production`.
- `eu`: prices inclusive of tax (19 % and 7 % for DE, 20 % and 10 % for AT), Europe/Berlin, EUR with German
  number formatting, taxes rounded at the subtotal (line amounts keep their unrounded decimals, as inclusive prices make
  them), Analytics counting by creation date with on-hold excluded, environment `staging` (where
  `GET /wc-admin/options` refuses options off its allow-list).

Both: pretty permalinks, HPOS on with compatibility sync off, Analytics importing each order as it changes
(`woocommerce_analytics_scheduled_import` = `no`), no "coming soon" page, no tracking or marketplace calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PERMALINKS = "/%postname%/"

COMMON_OPTIONS: dict[str, Any] = {
    "blogdescription": "",
    "woocommerce_custom_orders_table_enabled": "yes",
    "woocommerce_custom_orders_table_data_sync_enabled": "no",
    "woocommerce_analytics_scheduled_import": "no",
    "woocommerce_coming_soon": "no",
    "woocommerce_store_pages_only": "no",
    "woocommerce_allow_tracking": "no",
    "woocommerce_show_marketplace_suggestions": "no",
    "woocommerce_onboarding_profile": {"skipped": True},
    "woocommerce_task_list_hidden": "yes",
    "woocommerce_calc_taxes": "yes",
    "woocommerce_price_num_decimals": "2",
    "woocommerce_enable_guest_checkout": "yes",
    "woocommerce_manage_stock": "yes",
}


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    environment: str  # WP_ENVIRONMENT_TYPE
    options: dict[str, Any]
    tax_rates: list[dict[str, Any]]
    delete_options: list[str] = field(default_factory=list)

    def configuration(self) -> dict[str, Any]:
        """The JSON that php/configure.php applies."""
        return {
            "options": {**COMMON_OPTIONS, **self.options},
            "delete_options": self.delete_options,
            "tax_rates": self.tax_rates,
            "permalink_structure": PERMALINKS,
        }


US = Profile(
    name="us",
    title="Storelens Test Store (US)",
    environment="production",
    options={
        "timezone_string": "America/New_York",
        "gmt_offset": "",
        "woocommerce_currency": "USD",
        "woocommerce_default_country": "US:NY",
        "woocommerce_store_address": "1 Test Street",
        "woocommerce_store_city": "New York",
        "woocommerce_store_postcode": "10001",
        "woocommerce_prices_include_tax": "no",
        "woocommerce_tax_display_shop": "excl",
        "woocommerce_tax_display_cart": "excl",
        "woocommerce_price_thousand_sep": ",",
        "woocommerce_price_decimal_sep": ".",
        "woocommerce_currency_pos": "left",
    },
    # Analytics settings stay WooCommerce's defaults: never written, so the options do not exist.
    delete_options=["woocommerce_date_type", "woocommerce_excluded_report_order_statuses"],
    # The same rates as seed/profiles.php (the seed keeps an existing rate and adds what is missing).
    tax_rates=[
        {"country": "US", "state": "NY", "rate": "8.8750", "name": "NY State and City Tax", "shipping": True},
        {"country": "US", "state": "CA", "rate": "7.2500", "name": "CA State Tax", "shipping": True},
        {
            "country": "US",
            "state": "NY",
            "rate": "4.0000",
            "name": "NY Reduced",
            "class": "reduced-rate",
            "shipping": False,
        },
    ],
)

EU = Profile(
    name="eu",
    title="Storelens Test Store (EU)",
    environment="staging",
    options={
        "timezone_string": "Europe/Berlin",
        "gmt_offset": "",
        "woocommerce_currency": "EUR",
        "woocommerce_default_country": "DE",
        "woocommerce_store_address": "Teststraße 1",
        "woocommerce_store_city": "Berlin",
        "woocommerce_store_postcode": "10115",
        "woocommerce_prices_include_tax": "yes",
        "woocommerce_tax_display_shop": "incl",
        "woocommerce_tax_display_cart": "incl",
        "woocommerce_tax_round_at_subtotal": "yes",
        "woocommerce_price_thousand_sep": ".",
        "woocommerce_price_decimal_sep": ",",
        "woocommerce_currency_pos": "right_space",
        "woocommerce_date_type": "date_created",
        "woocommerce_excluded_report_order_statuses": ["pending", "failed", "cancelled", "on-hold"],
    },
    tax_rates=[
        {"country": "DE", "rate": "19.0000", "name": "MwSt. 19 %", "shipping": True},
        {"country": "DE", "rate": "7.0000", "name": "MwSt. 7 %", "class": "reduced-rate", "shipping": True},
        {"country": "AT", "rate": "20.0000", "name": "USt. 20 %", "shipping": True},
        {"country": "AT", "rate": "10.0000", "name": "USt. 10 %", "class": "reduced-rate", "shipping": True},
    ],
)

PROFILES = {profile.name: profile for profile in (US, EU)}

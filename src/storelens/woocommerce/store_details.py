"""What a store's keys reveal: the auth method that works, their scope, currency, routes and Analytics settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .analytics_settings import AnalyticsSettings, read_analytics_settings
from .auth import AuthMethod
from .client import StoreClient
from .connector_routes import ConnectorSettings, read_connector_settings
from .dates import gmt_filter
from .errors import (
    DataError,
    NeedsReauth,
    NotFound,
    StoreError,
    StoreWarning,
    legacy_woocommerce_warning,
)

FAR_FUTURE = datetime(2999, 1, 1)


@dataclass
class StoreDetails:
    """What the keys revealed (`describe_store`)."""

    auth_method: AuthMethod
    permissions: str | None  # "read", "read_write" (or "write"); None when the probe was inconclusive
    currency: str | None
    has_refunds_route: bool
    has_subscriptions: bool
    analytics: AnalyticsSettings  # woocommerce_date_type and the excluded statuses, each with where it came from
    supports_modified_after: bool | None = None  # measured: False when the store ignores the filter
    order_count: int | None = None  # X-WP-Total of orders with status=any (trash excluded)
    warnings: list[StoreWarning] = field(default_factory=list)
    connector: ConnectorSettings | None = None  # the Storelens Connector plugin's answer; None without the plugin


async def describe_store(client: StoreClient) -> StoreDetails:
    """With keys: check them (running the auth ladder), then currency, routes, Analytics settings, permissions.

    The permission probe is `POST /wc/v3/webhooks` with an empty body. WordPress runs WooCommerce's key-scope check
    (`rest_pre_dispatch`, `WC_REST_Authentication::check_user_permissions`) before matching the route and validating
    parameters, so a read-only key gets 401 "does not have write permissions" while a read_write key gets past it
    and stops at parameter validation (400 `rest_missing_callback_param`: `topic` and `delivery_url` are required),
    before any permission callback or handler runs: nothing is ever created.
    """
    first = await client.check_keys()
    assert client.auth_method is not None
    method = client.auth_method
    modified_after = await _honours_modified_after(client, first.total)
    currency = await _currency(client)
    refunds = await _route_exists(client, "/wc/v3/refunds", {"per_page": 1, "_fields": "id"})
    try:
        subs = (await client.request("GET", "/wc/v3/subscriptions/statuses", authenticate=False)).status == 200
    except StoreError:
        subs = False
    # With the Storelens Connector the Analytics options come from the plugin, which reads them whatever the
    # environment type; without it (or if it could not read one), from WooCommerce's own routes.
    connector = await read_connector_settings(client)
    analytics = connector.analytics() if connector else None
    if analytics is None or not all(reading.known for reading in analytics.readings):
        analytics = await read_analytics_settings(client)
    permissions = await _permissions(client)
    return StoreDetails(
        auth_method=method,
        permissions=permissions,
        currency=currency,
        has_refunds_route=refunds,
        has_subscriptions=subs,
        analytics=analytics,
        supports_modified_after=modified_after,
        order_count=first.total,
        connector=connector,
        warnings=list(client.warnings.values()) + ([legacy_woocommerce_warning()] if modified_after is False else []),
    )


async def _honours_modified_after(client: StoreClient, orders: int | None) -> bool | None:
    """Ask for orders modified after the year 2999: a store that returns any ignores the filter (WooCommerce < 5.8
    silently drops unknown parameters). Unknown (None) when the store has no orders to show the difference."""
    if not orders:
        return None
    params = {"per_page": 1, "_fields": "id", "status": "any", **gmt_filter(modified_after=FAR_FUTURE)}
    try:
        resp = await client.get("/wc/v3/orders", params)
    except DataError:
        return None
    return not resp.data


async def _currency(client: StoreClient) -> str | None:
    try:
        resp = await client.get("/wc/v3/settings/general")
        for setting in resp.data if isinstance(resp.data, list) else []:
            if isinstance(setting, dict) and setting.get("id") == "woocommerce_currency" and setting.get("value"):
                return str(setting["value"])
    except (DataError, NeedsReauth) as err:
        if isinstance(err, NeedsReauth) and err.code == "keys_invalid":
            raise
    try:
        resp = await client.get("/wc/v3/data/currencies/current")
        if isinstance(resp.data, dict) and resp.data.get("code"):
            return str(resp.data["code"])
    except (DataError, NeedsReauth) as err:
        if isinstance(err, NeedsReauth) and err.code == "keys_invalid":
            raise
    return None


async def _route_exists(client: StoreClient, route: str, params: dict[str, Any]) -> bool:
    try:
        await client.get(route, params)
    except NotFound as err:
        if err.code == "no_route":
            return False
        raise
    return True


async def _permissions(client: StoreClient) -> str | None:
    try:
        await client.post("/wc/v3/webhooks", json={})
    except NeedsReauth as err:
        if err.code == "keys_read_only":
            return "read"
        if err.code == "keys_invalid":
            raise
        return None
    except DataError as err:
        if err.status == 400:
            return "read_write"
        return None
    # A 2xx here would mean the store created something from an empty body: never seen, but don't claim a scope.
    return None

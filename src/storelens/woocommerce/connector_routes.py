"""The Storelens Connector plugin's routes (`storelens/v1`), when the store has the plugin.

The plugin (plugin/storelens-connector in this repository) answers with the same WooCommerce REST key Storelens
already holds, so these calls go through the one `StoreClient` like every other. A store without the plugin
answers `404 rest_no_route`: the plugin is absent and the callers fall back to `wc/v3`, which gives the same copy.

- `read_connector_settings`: the plugin's version, WooCommerce Analytics' own options (readable whatever the
  environment type, where `wc-admin/options` refuses them on a staging site), and the active plugins known to break
  connections (caching, security), for the doctor.
- `census`: every id of a resource with its `date_modified_gmt` (orders also their `status`), straight from the
  store's tables in pages of thousands, so reconciliation stops walking 100-row REST pages.
- `orders_by_ids`: orders in wc/v3's own JSON (built by WooCommerce's own controller), 500 per request, each with its
  refunds embedded (`storelens_refunds`, as `/wc/v3/refunds` shows them).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .analytics_settings import (
    DATE_TYPE,
    EXCLUDED_STATUSES,
    AnalyticsSettings,
    OptionReading,
    Origin,
)
from .client import PLAIN_MARKER, StoreClient
from .errors import DataError, NeedsReauth, NotFound, Retriable, StoreError

SETTINGS_ROUTE = "/storelens/v1/settings"
CENSUS_ROUTE = "/storelens/v1/census"
ORDERS_ROUTE = "/storelens/v1/orders"
CENSUS_RESOURCES = ("orders", "refunds", "products", "customers", "coupons")
CENSUS_PAGE = 5000  # ids per census request: one indexed query on the store, ~150 KB of JSON
ORDERS_PER_REQUEST = 500  # the plugin's cap
REFUNDS_KEY = "storelens_refunds"


@dataclass(frozen=True)
class RiskyPlugin:
    """An active plugin known to break connections (page caches answering REST from the cache, firewalls)."""

    slug: str
    name: str
    version: str
    kind: str  # "caching" or "security"


@dataclass(frozen=True)
class ConnectorSettings:
    """What `GET /storelens/v1/settings` answered."""

    version: str
    raw: dict[str, Any] = field(default_factory=dict)
    risky_plugins: tuple[RiskyPlugin, ...] = ()

    @property
    def environment_type(self) -> str | None:
        value = self.raw.get("environment_type")
        return value if isinstance(value, str) and value else None

    def analytics(self) -> AnalyticsSettings:
        """WooCommerce Analytics' two settings as the plugin read them: saved values, or never saved (WooCommerce's
        default applies, which the plugin names in `unset`)."""
        unset = set(self.raw.get("unset") or ())
        readings = []
        for option, key in ((DATE_TYPE, "date_type"), (EXCLUDED_STATUSES, "excluded_statuses")):
            value = self.raw.get(key)
            if key in unset:
                readings.append(OptionReading(option, Origin.UNSET, route=SETTINGS_ROUTE))
            elif option == DATE_TYPE and isinstance(value, str) and value:
                readings.append(OptionReading(option, Origin.READ, value, route=SETTINGS_ROUTE))
            elif option == EXCLUDED_STATUSES and isinstance(value, list):
                statuses = tuple(str(s) for s in value if isinstance(s, str) and s)
                readings.append(OptionReading(option, Origin.READ, statuses, route=SETTINGS_ROUTE))
            else:
                readings.append(OptionReading(option, Origin.UNREACHABLE, code="bad_data", route=SETTINGS_ROUTE))
        return AnalyticsSettings(readings[0], readings[1], self.environment_type)


def route_params(client: StoreClient, params: dict[str, Any]) -> dict[str, Any]:
    """With plain permalinks the route is in `?rest_route=`; WooCommerce authenticates the key only when the raw
    request URI holds `/wp-json/wc/`, so the client's literal marker is added here too (the plugin also accepts its
    own namespace there)."""
    if client.rest_root.plain:
        return {**params, PLAIN_MARKER[0]: PLAIN_MARKER[1]}
    return params


async def read_connector_settings(client: StoreClient) -> ConnectorSettings | None:
    """The plugin's settings answer, or None when the store does not have the plugin (or refuses it or answers
    nonsense: then Storelens works as without it). Keys that no longer work and a store that cannot be reached
    raise, as on any route: a passing outage must not read as the plugin being gone."""
    try:
        resp = await client.get(SETTINGS_ROUTE, route_params(client, {}))
    except NeedsReauth as err:
        if err.code == "keys_invalid":
            raise
        return None
    except (NotFound, DataError):
        return None
    except Retriable:
        raise
    except StoreError:
        return None
    data = resp.data if isinstance(resp.data, dict) else None
    if data is None or not isinstance(data.get("plugin_version"), str):
        return None
    risky = tuple(
        RiskyPlugin(
            slug=str(p.get("slug", "")),
            name=str(p.get("name", "") or p.get("slug", "")),
            version=str(p.get("version", "")),
            kind=str(p.get("kind", "")),
        )
        for p in data.get("risky_plugins") or ()
        if isinstance(p, dict)
    )
    return ConnectorSettings(version=data["plugin_version"][:32], raw=data, risky_plugins=risky)


async def census(
    client: StoreClient, resource: str, *, per_page: int = CENSUS_PAGE, role: str | None = None
) -> list[dict[str, Any]]:
    """Every row of the resource's census, ids ascending: `{id, date_modified_gmt}` plus `status` (orders,
    products, coupons), `parent_id` (refunds, variations) and `type` (products: "product" or "variation")."""
    if resource not in CENSUS_RESOURCES:
        raise ValueError(f"unknown census resource {resource!r}")
    rows: list[dict[str, Any]] = []
    after = 0
    while True:
        params: dict[str, Any] = {"resource": resource, "after_id": after, "per_page": per_page}
        if role:
            params["role"] = role
        resp = await client.get(CENSUS_ROUTE, route_params(client, params))
        data = resp.data if isinstance(resp.data, dict) else {}
        items = data.get("items")
        if not isinstance(items, list):
            raise DataError(
                "The Storelens Connector's census answered without a list of items.",
                code="bad_data",
                status=resp.status,
                url=resp.url,
                fix="Update the Storelens Connector plugin; Storelens meanwhile reads the store through wc/v3.",
            )
        rows.extend(item for item in items if isinstance(item, dict))
        following = data.get("next_after_id")
        if not items or following is None:
            return rows
        after = int(following)


async def orders_by_ids(client: StoreClient, ids: Iterable[int], *, dp: int = 4) -> list[dict[str, Any]]:
    """These orders (any status, trash included) in wc/v3's JSON, each with `storelens_refunds`; ids the store no
    longer has are absent. Up to `ORDERS_PER_REQUEST` per request, the requests concurrent (the client caps them)."""
    wanted = sorted(set(ids))
    chunks = [wanted[i : i + ORDERS_PER_REQUEST] for i in range(0, len(wanted), ORDERS_PER_REQUEST)]

    async def one(chunk: list[int]) -> list[dict[str, Any]]:
        resp = await client.get(ORDERS_ROUTE, route_params(client, {"ids": ",".join(map(str, chunk)), "dp": dp}))
        if not isinstance(resp.data, list):
            raise DataError(
                "The Storelens Connector answered an orders request with something that is not a list.",
                code="bad_data",
                status=resp.status,
                url=resp.url,
            )
        return [row for row in resp.data if isinstance(row, dict)]

    found: list[dict[str, Any]] = []
    for rows in await asyncio.gather(*(one(chunk) for chunk in chunks)):
        found.extend(rows)
    return found


def split_refunds(orders: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[int, list[dict[str, Any]]]]:
    """The orders as wc/v3 shows them (the embedded key removed, in place) and, for each order that came with its
    refunds embedded, those refunds by order id (an empty list: the order has none)."""
    refunds: dict[int, list[dict[str, Any]]] = {}
    for order in orders:
        embedded = order.pop(REFUNDS_KEY, None)
        if isinstance(embedded, list):
            refunds[int(order["id"])] = [r for r in embedded if isinstance(r, dict)]
    return orders, refunds

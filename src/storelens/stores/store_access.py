"""The connect flow's ways into a store: discovery (no keys) and a keyed client, built from settings in one place.

Keyed clients come from the sync engineer's `storelens.stores.client.client_for`; discovery builds its own
configuration from the same settings (private stores allowed or not, the CA bundle to trust). `TRANSPORT` lets a test
route every store request to an in-process fake store (an `httpx.ASGITransport`), exactly as a socket would.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
from asgiref.sync import async_to_sync
from django.conf import settings

from storelens.woocommerce.client import ClientConfig, StoreClient
from storelens.woocommerce.discovery import SiteInfo, StoreDetails, describe_store, discover

T = TypeVar("T")

# Tests only: a transport every store request goes through (None: real, guarded sockets).
TRANSPORT: httpx.AsyncBaseTransport | None = None


def client_config() -> ClientConfig:
    # The same setting `client_for` trusts (storelens.sync.conf.store_ca_bundle): tests trust the fake's CA with it.
    bundle = str(getattr(settings, "STORELENS_STORE_CA_BUNDLE", "") or "")
    return ClientConfig(allow_private=settings.STORELENS_ALLOW_PRIVATE_STORES, verify=bundle or True)


def run(factory: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine from synchronous code (views, jobs, commands), whatever thread we are on."""

    async def call() -> T:
        return await factory()

    return async_to_sync(call)()


def discover_site(url: str) -> SiteInfo:
    """`woocommerce.discovery.discover` with Storelens's settings; raises its typed `StoreError`s."""
    return run(
        lambda: discover(
            url, transport=TRANSPORT, allow_private=settings.STORELENS_ALLOW_PRIVATE_STORES, config=client_config()
        )
    )


def keyed_client(store: Any) -> StoreClient:
    """The one client for a source (the sync engineer's `client_for`)."""
    from storelens.stores.client import client_for

    if TRANSPORT is not None:
        return client_for(store, transport=TRANSPORT)
    return client_for(store)


def describe(store: Any) -> StoreDetails:
    """Check the source's keys with real calls and read what they reveal (permissions, currency, routes)."""

    async def go() -> StoreDetails:
        async with keyed_client(store) as client:
            return await describe_store(client)

    return run(go)


def describe_with_keys(site: SiteInfo, key: str, secret: str) -> StoreDetails:
    """Same as `describe`, for keys not yet saved on a source (manual keys, `storelens sources add`)."""
    from storelens.woocommerce.auth import Credentials

    async def go() -> StoreDetails:
        client = StoreClient(
            site.home_url,
            rest_root=site.rest_root,
            credentials=Credentials(key, secret),
            config=client_config(),
            transport=TRANSPORT,
        )
        async with client:
            return await describe_store(client)

    return run(go)


def wc_auth_path_served(home_url: str) -> bool:
    """Does the store route `/wc-auth/v1/authorize`? False when it answers 404 (stale or missing rewrite rules).

    WooCommerce answers its own 401 ("Missing parameter app_name") there when it is routed; a 404 means the
    approval screen is only reachable through `/?wc-auth-version=1&wc-auth-route=authorize` (API-NOTES §1.1).
    Any failure to ask counts as served: the owner's browser may reach the store when Storelens cannot.
    """
    from storelens.woocommerce.errors import StoreError

    async def go() -> bool:
        async with StoreClient(home_url, config=client_config(), transport=TRANSPORT) as client:
            response = await client.fetch_url(home_url.rstrip("/") + "/wc-auth/v1/authorize")
            return response.status_code != 404

    try:
        return run(go)
    except StoreError:
        return True

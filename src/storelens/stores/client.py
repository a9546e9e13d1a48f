"""Every way Storelens reaches a store: discovery (no keys), a keyed client, and the one test hook.

All of them build their `ClientConfig` from settings here (`client_config`), so discovery, the connect flow, the sync
and the doctor trust the same CA bundle, apply the same private-address rule and keep the same concurrency.
`TEST_TRANSPORT` is the one hook tests use: given the URL a request is for, it returns the in-process transport to
use (an `httpx.ASGITransport` around the fake store, or around Storelens itself for the callback probe), or None for
a real, guarded socket.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
from asgiref.sync import async_to_sync
from django.conf import settings

from storelens.stores.models import Store
from storelens.woocommerce.addresses import RestRoot
from storelens.woocommerce.auth import Credentials
from storelens.woocommerce.client import ClientConfig, StoreClient
from storelens.woocommerce.discovery import SiteInfo, discover
from storelens.woocommerce.errors import StoreError
from storelens.woocommerce.store_details import StoreDetails, describe_store

T = TypeVar("T")

# Tests only: URL → the transport that answers it (None: real, guarded sockets).
TEST_TRANSPORT: Callable[[str], httpx.AsyncBaseTransport | None] | None = None


def transport_for(url: str) -> httpx.AsyncBaseTransport | None:
    """The transport a request to `url` goes through: the test hook's answer, or None (a real socket)."""
    return TEST_TRANSPORT(url) if TEST_TRANSPORT is not None else None


def client_config(**overrides: Any) -> ClientConfig:
    """The client settings every store request uses (STORELENS_ALLOW_PRIVATE_STORES, _STORE_CA_BUNDLE, _CONCURRENCY)."""
    options: dict[str, Any] = {
        "concurrency": settings.STORELENS_STORE_CONCURRENCY,
        "allow_private": settings.STORELENS_ALLOW_PRIVATE_STORES,
        "verify": settings.STORELENS_STORE_CA_BUNDLE or True,
    }
    options.update(overrides)
    return ClientConfig(**options)


def allows_private(store: Store) -> bool:
    """May requests to this store go to a private address? Yes when the server allows it for every store, or this
    store was allowed it when it was added (`Store.allow_private_address`, the demo's local stores)."""
    return settings.STORELENS_ALLOW_PRIVATE_STORES or store.allow_private_address


def rest_root_for(store: Store) -> RestRoot | None:
    """The API root discovery found (persisted as `rest_root`), else the one the permalink setting implies."""
    if store.rest_root:
        return RestRoot.from_link(store.rest_root)
    if not store.home_url:
        return None
    if store.plain_permalinks:
        return RestRoot.plain_for(store.home_url)
    return RestRoot.pretty_for(store.home_url)


def client_for(store: Store, **config: Any) -> StoreClient:
    """A client with the store's decrypted keys, the auth method that worked last time and the store settings.

    `config` overrides ClientConfig fields (the sync's retry policy and page sizes, for one).
    """
    key, secret = store.keys()
    url = store.home_url or store.entered_url
    config.setdefault("allow_private", allows_private(store))
    return StoreClient(
        url,
        rest_root=rest_root_for(store),
        credentials=Credentials(key, secret) if key else None,
        auth_method=store.auth_method or None,
        config=client_config(**config),
        transport=transport_for(url),
    )


def run(factory: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine from synchronous code (views, jobs, commands), whatever thread we are on."""

    async def call() -> T:
        return await factory()

    return async_to_sync(call)()


def discover_site(url: str) -> SiteInfo:
    """`woocommerce.discovery.discover` with Storelens's settings; raises its typed `StoreError`s."""
    config = client_config()
    return run(lambda: discover(url, transport=transport_for(url), allow_private=config.allow_private, config=config))


def describe(store: Store) -> StoreDetails:
    """Check the store's keys with real calls and read what they reveal (permissions, currency, routes)."""

    async def go() -> StoreDetails:
        async with client_for(store) as client:
            return await describe_store(client)

    return run(go)


def describe_with_keys(site: SiteInfo, key: str, secret: str) -> StoreDetails:
    """Same as `describe`, for keys not yet saved on a store (manual keys, `storelens sources add`)."""

    async def go() -> StoreDetails:
        client = StoreClient(
            site.home_url,
            rest_root=site.rest_root,
            credentials=Credentials(key, secret),
            config=client_config(),
            transport=transport_for(site.home_url),
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

    async def go() -> bool:
        async with StoreClient(home_url, config=client_config(), transport=transport_for(home_url)) as client:
            response = await client.fetch_url(home_url.rstrip("/") + "/wc-auth/v1/authorize")
            return response.status_code != 404

    try:
        return run(go)
    except StoreError:
        return True

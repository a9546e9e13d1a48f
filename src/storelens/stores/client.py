"""The one place a `StoreClient` is built for a Store (sync, connect and doctor all use it)."""

from __future__ import annotations

from typing import Any

import httpx
from django.conf import settings

from storelens.stores.models import Store
from storelens.sync import conf
from storelens.woocommerce.auth import Credentials
from storelens.woocommerce.client import ClientConfig, StoreClient
from storelens.woocommerce.urls import RestRoot


def rest_root_for(store: Store) -> RestRoot | None:
    """The API root discovery found (persisted as `rest_root`), else the one the permalink setting implies."""
    if store.rest_root:
        return RestRoot.from_link(store.rest_root)
    if not store.home_url:
        return None
    if store.plain_permalinks:
        return RestRoot.plain_for(store.home_url)
    return RestRoot.pretty_for(store.home_url)


def client_for(store: Store, *, transport: httpx.AsyncBaseTransport | None = None, **config: Any) -> StoreClient:
    """A client with the source's decrypted keys, the auth method that worked last time and the store settings.

    `transport` is for tests (the fake store in-process); `config` overrides ClientConfig fields.
    """
    key, secret = store.keys()
    ca_bundle = conf.store_ca_bundle()
    options: dict[str, Any] = {
        "concurrency": conf.store_concurrency(),
        "allow_private": bool(getattr(settings, "STORELENS_ALLOW_PRIVATE_STORES", False)),
    }
    if ca_bundle:
        options["verify"] = ca_bundle
    options.update(config)
    return StoreClient(
        store.home_url or store.entered_url,
        rest_root=rest_root_for(store),
        credentials=Credentials(key, secret) if key else None,
        auth_method=store.auth_method or None,
        config=ClientConfig(**options),
        transport=transport,
    )

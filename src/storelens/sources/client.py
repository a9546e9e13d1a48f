"""The one place a `StoreClient` is built for a Source (sync, connect and doctor all use it)."""

from __future__ import annotations

from typing import Any

import httpx
from django.conf import settings

from storelens.sources.models import Source
from storelens.sync import conf
from storelens.woocommerce.auth import Credentials
from storelens.woocommerce.client import ClientConfig, StoreClient
from storelens.woocommerce.urls import RestRoot


def rest_root_for(source: Source) -> RestRoot | None:
    """The API root discovery found (persisted as `rest_root`), else the one the permalink setting implies."""
    if source.rest_root:
        return RestRoot.from_link(source.rest_root)
    if not source.home_url:
        return None
    if source.plain_permalinks:
        return RestRoot.plain_for(source.home_url)
    return RestRoot.pretty_for(source.home_url)


def client_for(source: Source, *, transport: httpx.AsyncBaseTransport | None = None, **config: Any) -> StoreClient:
    """A client with the source's decrypted keys, the auth method that worked last time and the store settings.

    `transport` is for tests (the fake store in-process); `config` overrides ClientConfig fields.
    """
    key, secret = source.keys()
    ca_bundle = conf.store_ca_bundle()
    options: dict[str, Any] = {
        "concurrency": conf.store_concurrency(),
        "allow_private": bool(getattr(settings, "STORELENS_ALLOW_PRIVATE_STORES", False)),
    }
    if ca_bundle:
        options["verify"] = ca_bundle
    options.update(config)
    return StoreClient(
        source.home_url or source.entered_url,
        rest_root=rest_root_for(source),
        credentials=Credentials(key, secret) if key else None,
        auth_method=source.auth_method or None,
        config=ClientConfig(**options),
        transport=transport,
    )

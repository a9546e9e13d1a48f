"""Small generated stores and an in-process client for the fake's REST tests.

The OAuth signer here is written from RFC 5849 and WooCommerce's documentation, independently of the fake's
own `restauth`, so that the tests check the server against a second implementation.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import secrets
import time
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httpx

from fakestore.accounts import ApiKey
from fakestore.app import create_app
from fakestore.config import FakeStoreConfig
from fakestore.store import FakeStore

HOME = "https://shop.test"
HISTORY_END = "2026-11-28"


def make_store(orders: int = 60, *, home: str = HOME, **config: Any) -> FakeStore:
    config.setdefault("seed", 11)
    config.setdefault("months", 6)
    config.setdefault("history_end", HISTORY_END)
    return FakeStore(FakeStoreConfig(home_url=home, orders=orders, **config))


def key_for(store: FakeStore, permissions: str = "read_write", user_id: int = 1) -> ApiKey:
    return store.accounts.create_key(user_id, "Storelens tests", permissions)


def _enc(value: str) -> str:
    return quote(value, safe="-._~")


def oauth_params(
    method: str,
    url: str,
    key: ApiKey,
    *,
    params: dict[str, str] | None = None,
    algorithm: str = "HMAC-SHA256",
    timestamp: int | None = None,
    nonce: str | None = None,
    sign_as: str | None = None,
) -> dict[str, str]:
    """The query parameters of a one-legged OAuth 1.0a request (sign_as: the base URL to sign, if not `url`)."""
    all_params = dict(params or {})
    all_params.update(
        {
            "oauth_consumer_key": key.consumer_key,
            "oauth_nonce": nonce or secrets.token_hex(16),
            "oauth_signature_method": algorithm,
            "oauth_timestamp": str(timestamp if timestamp is not None else int(time.time())),
        }
    )
    base_url = sign_as or url.split("?")[0]
    normalized = "&".join(f"{k}={v}" for k, v in sorted((_enc(k), _enc(v)) for k, v in all_params.items()))
    base = "&".join([method.upper(), _enc(base_url), _enc(normalized)])
    digest = hashlib.sha1 if algorithm == "HMAC-SHA1" else hashlib.sha256
    signature = base64.b64encode(hmac.new(f"{key.consumer_secret}&".encode(), base.encode(), digest).digest()).decode()
    all_params["oauth_signature"] = signature
    return all_params


def call(
    store: FakeStore,
    method: str,
    path: str,
    *,
    key: ApiKey | None = None,
    auth: str = "basic",
    params: dict[str, str] | None = None,
    json: Any = None,
    base_url: str | None = None,
    headers: dict[str, str] | None = None,
    raw_query: str | None = None,
) -> httpx.Response:
    """One request to the fake, in process; `auth` is basic, query or oauth (with `key`)."""
    base = base_url or store.config.home_url
    hdrs = dict(headers or {})
    query = dict(params or {})
    if key is not None and auth == "basic":
        hdrs["Authorization"] = (
            "Basic " + base64.b64encode(f"{key.consumer_key}:{key.consumer_secret}".encode()).decode()
        )
    elif key is not None and auth == "query":
        query.update({"consumer_key": key.consumer_key, "consumer_secret": key.consumer_secret})
    elif key is not None and auth == "oauth":
        query = oauth_params(method, base + path, key, params=query)
    url = base + path
    if raw_query is not None:
        url += ("&" if "?" in url else "?") + raw_query
    elif query:
        url += ("&" if "?" in url else "?") + urlencode(query, quote_via=quote)

    async def go() -> httpx.Response:
        app = create_app(store.config, store)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base) as client:
            return await client.request(method, httpx.URL(url), json=json, headers=hdrs)

    return asyncio.run(go())


def host_of(url: str) -> str:
    return urlsplit(url).netloc

"""No key, secret or signature of a store reaches a log line or an error message (issue 14, item 10)."""

from __future__ import annotations

from typing import Any

import pytest

from storelens.woocommerce.redaction import redact

from .test_client import CK, CS, make_client, store_with_key

pytestmark = pytest.mark.anyio


async def test_oauth_requests_log_neither_the_consumer_key_nor_the_signature(
    fake_sleep: Any, caplog: pytest.LogCaptureFixture
) -> None:
    store = store_with_key(home_url="http://127.0.0.1:8080")
    with caplog.at_level("INFO", logger="httpx"):
        async with make_client(store, fake_sleep, home="http://127.0.0.1:8080") as client:
            await client.get("/wc/v3/orders")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "oauth_consumer_key=[redacted]" in logged and "oauth_signature=[redacted]" in logged
    assert CK not in logged and CS not in logged


async def test_query_string_keys_log_neither_key_nor_secret(fake_sleep: Any, caplog: pytest.LogCaptureFixture) -> None:
    store = store_with_key(strip_auth=True)
    with caplog.at_level("INFO", logger="httpx"):
        async with make_client(store, fake_sleep) as client:
            await client.get("/wc/v3/orders")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "consumer_key=[redacted]" in logged
    assert CK not in logged and CS not in logged


def test_redacted_urls_in_messages_keep_the_other_parameters() -> None:
    url = f"https://shop.example.com/wp-json/wc/v3/orders?page=2&consumer_key={CK}&consumer_secret={CS}"
    assert redact(url) == "https://shop.example.com/wp-json/wc/v3/orders?page=2"
    oauth = f"http://shop.example.com/?oauth_consumer_key={CK}&oauth_signature=abc&per_page=5"
    assert redact(oauth) == "http://shop.example.com/?per_page=5"

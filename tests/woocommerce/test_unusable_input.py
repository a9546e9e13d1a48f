"""What people and stores send that Storelens cannot use is refused with a typed error, never an exception that
answers 500: an address with an octal-looking number, one httpx itself refuses, a JSON body nested too deeply."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from storelens.woocommerce.addresses import normalize_store_url
from storelens.woocommerce.body import parse_json_lenient
from storelens.woocommerce.client import ClientConfig, StoreClient
from storelens.woocommerce.errors import Misconfigured
from storelens.woocommerce.fastjson import UnreadableJson, loads_body

DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize("text", ["http://0177.0.0.1:8931", "0177.0.0.1", "https://10.0.0.01/shop"])
def test_an_ip_address_with_a_leading_zero_is_refused_with_the_address_to_write(text: str) -> None:
    with pytest.raises(Misconfigured) as refused:
        normalize_store_url(text)
    assert refused.value.code == "invalid_url" and "leading zero" in str(refused.value)


def test_an_address_httpx_refuses_is_a_typed_error_from_the_client() -> None:
    async def fetch() -> None:
        async with StoreClient("http://0177.0.0.1:8931", config=ClientConfig()) as client:
            await client.fetch_url("http://0177.0.0.1:8931/")

    with pytest.raises(Misconfigured) as refused:
        asyncio.run(fetch())
    assert refused.value.code == "invalid_url"
    assert isinstance(refused.value.__cause__, httpx.InvalidURL)


def test_a_body_nested_too_deeply_is_unreadable_not_a_recursion_error() -> None:
    with pytest.raises(UnreadableJson, match="nested too deeply"):
        loads_body(DEEP)
    with pytest.raises(UnreadableJson):
        loads_body(b"\xff{}")
    assert loads_body(b'{"id": 12345678901234567890123}') == {"id": 12345678901234567890123}  # exact, as json
    assert parse_json_lenient(DEEP) is None

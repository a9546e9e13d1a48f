"""Small builders shared by the sources tests."""

from __future__ import annotations

from typing import Any

from storelens.stores.models import Store

HOME = "https://shop.example.com"
PUBLIC_URL = "https://203.0.113.10"  # a public address WordPress would post to (TEST-NET, never dialled here)
KEY = "ck_" + "a1" * 20
SECRET = "cs_" + "b2" * 20


def a_store(workspace: Any, **fields: Any) -> Store:
    values: dict[str, Any] = {
        "workspace": workspace,
        "entered_url": "shop.example.com",
        "home_url": "https://shop.example.com",
        "rest_root": "https://shop.example.com/wp-json/",
        "name": "Example Shop",
    }
    values.update(fields)
    return Store.objects.create(**values)


def callback_body(token: str, key: str = KEY, secret: str = SECRET, key_id: int = 7, scope: str = "read_write") -> dict:
    """The JSON WooCommerce posts (FINDINGS §1: user_id echoed as a string, key_id an integer)."""
    return {
        "key_id": key_id,
        "user_id": token,
        "consumer_key": key,
        "consumer_secret": secret,
        "key_permissions": scope,
    }

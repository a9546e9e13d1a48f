"""The key callback and Add store answer a clear 4xx, never a 500, for what no store would send: a body nested too
deeply for the JSON reader, a key id beyond any database's, an address httpx cannot request."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from storelens.stores import connect

from .helpers import KEY, SECRET, a_store

pytestmark = pytest.mark.django_db
CALLBACK = "/sources/wc-callback/"


def test_a_callback_body_nested_too_deeply_gets_400(csrf_client: Client) -> None:
    body = b'{"user_id": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = csrf_client.post(CALLBACK, body, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["message"]


def test_a_callback_with_a_key_id_beyond_64_bits_gets_400_and_stores_nothing(alice: Any, csrf_client: Client) -> None:
    store = a_store(alice.workspaces().first())
    _, token = connect.start(store, alice, "read_write")
    body = {
        "key_id": 10**30,
        "user_id": token,
        "consumer_key": KEY,
        "consumer_secret": SECRET,
        "key_permissions": "read",
    }
    response = csrf_client.post(CALLBACK, json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and "key_id" in response.json()["message"]
    store.refresh_from_db()
    assert store.key_id is None and not store.consumer_key_enc


def test_adding_a_store_at_an_octal_looking_address_says_how_to_write_it(alice: Any, client_for: Any) -> None:
    response = client_for(alice).post("/sources/add/", {"url": "http://0177.0.0.1:8931"})
    assert response.status_code == 400
    assert "read as octal: write 127.0.0.1 or 177.0.0.1, whichever you mean" in response.content.decode()

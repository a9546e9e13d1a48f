"""The Connector's code exchange reads a body nested too deeply as no body (a clear 4xx), never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_exchange_body_nested_too_deeply_is_refused_not_a_500() -> None:
    body = b'{"code": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = Client().post("/connector/exchange/", body, content_type="application/json")
    assert 400 <= response.status_code < 500

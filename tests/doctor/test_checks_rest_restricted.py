"""A REST API hidden from visitors but open to logged-in users: what "Disable REST API"-style plugins do.

Measured on WordPress 7.1 + WooCommerce 11.0.1 (tests/doctor/test_doctor_real_store.py does it for real): the
plugin's `rest_authentication_errors` filter refuses a visitor's /wp-json/ with 401 rest_cannot_access, while a
WooCommerce key logs its user in and gets through. Discovery (no keys) stops there; with keys the doctor must still
run the keyed checks and call the hidden API a warning, because syncing works.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from storelens.doctor.checks import run_checks

from .fakes import HOME, Fake, check_settings, make_fake

REFUSAL = {"code": "rest_cannot_access", "message": "Only authenticated users can access the REST API.", "data": {}}


def visitors_refused(fake: Fake) -> httpx.ASGITransport:
    """The fake behind the plugin: REST requests without a key are refused (keys are checked by the fake itself)."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await fake.app(scope, receive, send)
        query = parse_qs(scope.get("query_string", b"").decode())
        rest = scope["path"].startswith("/wp-json") or "rest_route" in query
        keyed = any(k == b"authorization" for k, _ in scope["headers"]) or {"consumer_key", "oauth_consumer_key"} & set(
            query
        )
        if not rest or keyed:
            return await fake.app(scope, receive, send)
        body = json.dumps({**REFUSAL, "data": {"status": 401}}).encode()
        headers = [(b"content-type", b"application/json; charset=UTF-8"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 401, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return None

    return httpx.ASGITransport(app=app)


@pytest.mark.anyio
async def test_keys_that_get_past_a_rest_api_hidden_from_visitors_make_it_a_warning() -> None:
    fake = make_fake(orders=20)
    report = await run_checks(HOME, fake.credentials, check_settings(fake, transport=visitors_refused(fake)))
    assert report.failure is None and report.details is not None  # syncing works: keyed checks ran
    assert [(p.code, p.severity) for p in report.problems] == [("rest_disabled", "warning")]
    assert "still gets through" in report.problems[0].message
    assert {"keys", "permissions", "webhooks", "speed"} <= set(report.checked)


@pytest.mark.anyio
async def test_without_keys_a_rest_api_hidden_from_visitors_is_the_error_that_stops_storelens() -> None:
    fake = make_fake(orders=20)
    report = await run_checks(HOME, None, check_settings(fake, transport=visitors_refused(fake)))
    assert report.failure is not None and report.failure.code == "rest_disabled"
    assert [(p.code, p.severity) for p in report.problems] == [("rest_disabled", "error")]


@pytest.mark.anyio
async def test_keys_refused_behind_a_hidden_rest_api_leave_it_the_error() -> None:
    fake = make_fake(orders=20)
    fake.store.accounts.delete_key(fake.key.key_id)
    report = await run_checks(HOME, fake.credentials, check_settings(fake, transport=visitors_refused(fake)))
    assert report.failure is not None and report.details is None
    assert report.problems[0].code == "rest_disabled" and report.problems[0].severity == "error"

"""API tokens note when they were used without a database write per call (issue 14, item 6)."""

from __future__ import annotations

import sqlite3
import time
from datetime import timedelta
from typing import Any

import httpx
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from storelens.accounts.models import ApiToken
from tests.conftest import POSTGRES_PASS


def calls(raw: str, n: int) -> list[str]:
    """The SQL `n` read-only API calls ran."""
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    with CaptureQueriesContext(connection) as queries:
        for _ in range(n):
            assert client.get("/api/v1/me").status_code == 200
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.django_db
def test_read_only_calls_write_nothing_while_the_last_use_is_recent(alice: Any) -> None:
    token, raw = ApiToken.issue(alice, alice.workspaces().get())
    calls(raw, 1)  # the first use is noted
    token.refresh_from_db()
    assert token.last_used_at is not None
    statements = calls(raw, 5)
    assert not [sql for sql in statements if sql.lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]


@pytest.mark.django_db
def test_usage_is_noted_again_once_a_minute_has_passed(alice: Any) -> None:
    token, raw = ApiToken.issue(alice, alice.workspaces().get())
    calls(raw, 1)
    token.refresh_from_db()
    first = token.last_used_at
    calls(raw, 1)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(seconds=61))
    calls(raw, 1)
    token.refresh_from_db()
    assert token.last_used_at > first


@pytest.mark.browser  # a live server on its own SQLite file: one database pass
@pytest.mark.skipif(POSTGRES_PASS, reason="the SQLite write lock is what this is about")
def test_a_read_call_answers_while_another_process_holds_the_write_lock(start_storelens_server: Any) -> None:
    server = start_storelens_server()
    server.cli("users", "create", "owner@example.com", "--password", "a-long-enough-passphrase")
    raw = server.cli("tokens", "create", "--user", "owner@example.com").stdout.strip()
    importer = sqlite3.connect(server.data_dir / "storelens.sqlite3", isolation_level=None)
    try:
        importer.execute("BEGIN IMMEDIATE")  # what an import's page transaction holds
        started = time.monotonic()
        answer = httpx.get(server.url + "/api/v1/me", headers={"Authorization": f"Bearer {raw}"}, timeout=15)
        elapsed = time.monotonic() - started
    finally:
        importer.rollback()
        importer.close()
    assert answer.status_code == 200, answer.text[:300]
    assert elapsed < 3.0

"""/healthz/jobs refuses waits it cannot bound and never holds a request longer than its limit (issue 14, item 2)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import AsyncClient, Client, RequestFactory
from huey.contrib.djhuey import HUEY

from storelens.server.views import JOBS_TIMEOUT_MAX_SECONDS, jobs_healthz

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_consumer() -> Iterator[None]:
    """Jobs stay queued and nothing consumes them: the situation in which a wait could last forever."""
    Client().get("/healthz")  # the first request of a process loads the URLconf: not what the tests time
    HUEY.immediate = False
    HUEY.flush()
    yield
    HUEY.flush()
    HUEY.immediate = True


def ask(query: str, limit: float = 10.0) -> Any:
    """GET /healthz/jobs?<query>; the test fails (instead of hanging) when the answer takes longer than `limit`."""

    async def go() -> Any:
        return await asyncio.wait_for(AsyncClient().get(f"/healthz/jobs?{query}"), limit)

    return asyncio.run(go())


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "Infinity", "1e999"])
def test_a_non_finite_timeout_is_refused_at_once(no_consumer: None, value: str) -> None:
    started = time.monotonic()
    response = ask(f"timeout={value}", limit=5.0)
    assert response.status_code == 400
    assert "timeout must be a number of seconds" in response.json()["detail"]
    assert time.monotonic() - started < 2.0


def test_without_a_consumer_the_wait_ends_at_the_timeout_asked_for(no_consumer: None) -> None:
    started = time.monotonic()
    response = ask("timeout=0.5")
    elapsed = time.monotonic() - started
    assert response.status_code == 503 and "No job consumer answered within 0.5 s" in response.json()["detail"]
    assert elapsed < 3.0


def test_a_huge_timeout_is_cut_to_the_maximum(no_consumer: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("storelens.server.views.JOBS_TIMEOUT_MAX_SECONDS", 0.3)
    response = ask("timeout=100000", limit=5.0)
    assert response.status_code == 503 and "within 0.3 s" in response.json()["detail"]
    assert JOBS_TIMEOUT_MAX_SECONDS == 30.0


def test_probes_beyond_the_waiting_limit_answer_at_once_without_queueing_a_job(
    no_consumer: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("storelens.server.views.JOBS_MAX_WAITING", 1)

    async def two_at_once() -> list[Any]:
        # The view itself, twice in one loop: the test client would run the two requests one after the other.
        first = asyncio.ensure_future(jobs_healthz(RequestFactory().get("/healthz/jobs?timeout=3")))
        await asyncio.sleep(0.5)  # the first is waiting for its answer now
        second = await jobs_healthz(RequestFactory().get("/healthz/jobs?timeout=3"))
        assert not first.done()  # the second did not wait for a ping of its own
        return [await first, second]

    first, second = asyncio.run(asyncio.wait_for(two_at_once(), 10))
    assert first.status_code == 503 and b"No job consumer answered" in first.content
    assert second.status_code == 503 and b"waiting already" in second.content
    assert len(HUEY.pending()) == 1  # only the first probe queued a ping

"""Health checks for load balancers, process managers and the test suite's live-server fixture."""

from __future__ import annotations

import asyncio
import math
import threading
import time

from asgiref.sync import sync_to_async
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from storelens import __version__

JOBS_TIMEOUT_SECONDS = 5.0
JOBS_TIMEOUT_MIN_SECONDS = 0.1
JOBS_TIMEOUT_MAX_SECONDS = 30.0
# How often the waiting request looks for the answer. Between looks it holds no thread: every look is one short read.
JOBS_POLL_SECONDS = 0.05
# Probes waiting at once in this process; more answer 503 at once instead of each queueing one more ping job (the
# probe needs no sign-in, so without a bound anyone could fill the queue while no consumer runs).
JOBS_MAX_WAITING = 8
_waiting = 0
_waiting_lock = threading.Lock()  # behind Django's sync middleware each request's view runs on its own thread


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "version": __version__, "database": connection.vendor})


class BadTimeout(ValueError):
    """`?timeout=` is not a finite number of seconds."""


def parse_timeout(raw: str | None) -> float:
    """`?timeout=` as seconds between the minimum and the maximum; absent means the default.

    `float()` accepts nan, inf and 1e999 (which is inf): `min`/`max` never clamp nan, so such a wait never ended.
    """
    if raw is None or raw == "":
        return JOBS_TIMEOUT_SECONDS
    try:
        value = float(raw)
    except ValueError:
        raise BadTimeout(raw) from None
    if not math.isfinite(value):
        raise BadTimeout(raw)
    return min(max(value, JOBS_TIMEOUT_MIN_SECONDS), JOBS_TIMEOUT_MAX_SECONDS)


def _send_ping() -> object:
    from storelens.server.tasks import ping

    return ping()


def _answer(result: object) -> str | None:
    return result.get(blocking=False)  # type: ignore[attr-defined]


async def _round_trip(timeout: float) -> str | None:
    """Enqueue a ping and look for its answer until `timeout` seconds have passed.

    It polls instead of blocking on the queue in a pooled thread: `?timeout=nan` used to hold one of the event loop's
    few default-executor threads forever per request, and a few such probes starved every other request that needed
    one. Each look here borrows a thread for one short read.
    """
    deadline = time.monotonic() + timeout
    result = await sync_to_async(_send_ping, thread_sensitive=False)()
    while True:
        answer = await sync_to_async(_answer, thread_sensitive=False)(result)
        if answer is not None:
            return str(answer)
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        await asyncio.sleep(min(JOBS_POLL_SECONDS, left))


@require_GET
async def jobs_healthz(request: HttpRequest) -> JsonResponse:
    """Sends a job through the queue and waits (`?timeout=` seconds, default 5, at most 30) for its answer; 503 when
    no consumer picks it up in time, 400 when the timeout is not a finite number."""
    from huey.exceptions import HueyException

    try:
        timeout = parse_timeout(request.GET.get("timeout"))
    except BadTimeout as exc:
        return JsonResponse(
            {
                "status": "error",
                "detail": f"timeout must be a number of seconds between {JOBS_TIMEOUT_MIN_SECONDS:g} and "
                f"{JOBS_TIMEOUT_MAX_SECONDS:g}, e.g. ?timeout=5 (got {str(exc)[:40]!r}).",
            },
            status=400,
        )
    global _waiting
    with _waiting_lock:
        busy = _waiting >= JOBS_MAX_WAITING
        if not busy:
            _waiting += 1
    if busy:
        return JsonResponse(
            {"status": "error", "detail": f"{JOBS_MAX_WAITING} job health checks are waiting already: ask again soon."},
            status=503,
        )
    try:
        # A backstop: whatever the queue does, the request ends a second after its timeout.
        answer = await asyncio.wait_for(_round_trip(timeout), timeout + 1.0)
    except (HueyException, TimeoutError):
        answer = None
    finally:
        with _waiting_lock:
            _waiting -= 1
    if answer != "pong":
        return JsonResponse(
            {
                "status": "error",
                "detail": f"No job consumer answered within {timeout:g} s. Run `storelens serve` without "
                "--no-consumer, or start `storelens worker` processes on the same queue (STORELENS_QUEUE_URL).",
            },
            status=503,
        )
    return JsonResponse({"status": "ok"})

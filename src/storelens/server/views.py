"""Health checks for load balancers, process managers and the test suite's live-server fixture."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from storelens import __version__

JOBS_TIMEOUT_SECONDS = 5.0
JOBS_TIMEOUT_MAX_SECONDS = 30.0


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "version": __version__, "database": connection.vendor})


def _round_trip(timeout: float) -> str | None:
    from storelens.server.tasks import ping

    return ping().get(blocking=True, timeout=timeout)


def _timeout(request: HttpRequest) -> float:
    try:
        return min(max(float(request.GET.get("timeout", JOBS_TIMEOUT_SECONDS)), 0.1), JOBS_TIMEOUT_MAX_SECONDS)
    except ValueError:
        return JOBS_TIMEOUT_SECONDS


@require_GET
async def jobs_healthz(request: HttpRequest) -> JsonResponse:
    """Sends a job through the queue and waits (`?timeout=` seconds, default 5) for its answer; 503 when no consumer
    picks it up."""
    from huey.exceptions import HueyException

    timeout = _timeout(request)
    try:
        # Off the shared sync thread: waiting here must not hold up every other request.
        answer = await sync_to_async(_round_trip, thread_sensitive=False)(timeout)
    except HueyException:
        answer = None
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

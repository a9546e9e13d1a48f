"""Health checks for load balancers, process managers and the test suite's live-server fixture."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from storelens import __version__

JOBS_TIMEOUT_SECONDS = 5.0


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "version": __version__, "database": connection.vendor})


def _round_trip() -> str | None:
    from storelens.jobs.tasks import ping

    return ping().get(blocking=True, timeout=JOBS_TIMEOUT_SECONDS)


@require_GET
async def jobs_healthz(request: HttpRequest) -> JsonResponse:
    """Sends a job through the queue and waits for its answer; 503 when no consumer picks it up."""
    from huey.exceptions import HueyException

    try:
        # Off the shared sync thread: waiting here must not hold up every other request.
        answer = await sync_to_async(_round_trip, thread_sensitive=False)()
    except HueyException:
        answer = None
    if answer != "pong":
        return JsonResponse(
            {
                "status": "error",
                "detail": f"No job consumer answered within {JOBS_TIMEOUT_SECONDS:g} s. Run `storelens serve` without "
                "--no-consumer, or start `storelens worker` processes on the same queue (STORELENS_QUEUE_URL).",
            },
            status=503,
        )
    return JsonResponse({"status": "ok"})

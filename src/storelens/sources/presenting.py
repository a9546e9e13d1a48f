"""What the source card says: one phase of the connect journey, or the source's status with its fix.

Kept apart from the views so the full page, the htmx-polled card and the list all tell the same story.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from storelens.sources import connect
from storelens.sources.models import ConnectAttempt, Source

# The words the data sources page uses for each status (the model's labels are shorter, for the API).
STATUS_LABELS = {
    Source.Status.CONNECTING: "Connecting",
    Source.Status.IMPORTING: "Importing",
    Source.Status.CONNECTED: "Connected",
    Source.Status.NEEDS_REAUTH: "Needs re-authorization",
    Source.Status.AUTH_FAILED: "Auth failed",
    Source.Status.BLOCKED: "Blocked by firewall",
    Source.Status.UNREACHABLE: "Unreachable",
    Source.Status.MISCONFIGURED: "Needs a fix on the store",
    Source.Status.PAUSED: "Paused",
    Source.Status.ERROR: "Error",
}
STATUS_TONE = {
    Source.Status.CONNECTING: "pending",
    Source.Status.IMPORTING: "pending",
    Source.Status.CONNECTED: "good",
    Source.Status.PAUSED: "muted",
}
PROBLEM_STATUSES = frozenset(
    {
        Source.Status.NEEDS_REAUTH,
        Source.Status.AUTH_FAILED,
        Source.Status.BLOCKED,
        Source.Status.UNREACHABLE,
        Source.Status.MISCONFIGURED,
        Source.Status.ERROR,
    }
)
REVOKE_OLD_KEY = (
    "Your previous key still works until you revoke it: on your store go to WooCommerce → Settings → Advanced → "
    "REST API, where it is listed as “Storelens - API (date)” with an older date, and click Revoke."
)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int | None
    step: str = ""  # what the import is doing now ("Importing refunds"), when the sync says

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))


def import_progress(source: Source) -> Progress | None:
    """Orders imported so far, from the sync's progress row."""
    from storelens.sync.models import SyncState  # sync.models imports sources.models

    row = SyncState.objects.filter(source=source).first()
    if row is None:
        return None
    step = row.get_phase_display() if row.phase != SyncState.Phase.IDLE else ""
    return Progress(row.orders_done, row.orders_total, step)


def phase_of(source: Source, returned: str | None, attempt: ConnectAttempt | None) -> str:
    """One of: denied, verifying, no_keys, ready, connected, problem, paused."""
    if returned == "0":
        return "denied"
    if attempt is not None and attempt.used_at is None:
        return "no_keys"  # back from the store with success=1 but no keys: the callback never got through
    if source.status in PROBLEM_STATUSES:
        return "problem"
    if source.status == Source.Status.PAUSED:
        return "paused"
    received, verified = source.keys_received_at, source.keys_verified_at
    if received and (verified is None or verified < received) and source.status == Source.Status.CONNECTING:
        return "verifying"
    if verified and source.status in (Source.Status.CONNECTED, Source.Status.IMPORTING):
        return "connected"
    latest = attempt or source.connect_attempts.order_by("-pk").first()
    if latest is not None and latest.used_at is None:
        return "no_keys"
    return "ready"


def card_context(request: HttpRequest, source: Source, *, compact: bool = False) -> dict[str, Any]:
    returned = request.GET.get("success") if not compact else None
    token = request.GET.get("user_id", "") if not compact else ""
    attempt = connect.attempt_for_token(source, token) if token else None
    phase = phase_of(source, returned, attempt)
    latest = attempt or source.connect_attempts.order_by("-pk").first()
    progress = import_progress(source) if source.status == Source.Status.IMPORTING else None
    # Only the "ready" card offers Connect Store; the check may resolve a host name, so it isn't run on every poll.
    problem = None if compact or source.plain_permalinks or phase != "ready" else connect.callback_problem_for(source)
    from storelens.sync import failures  # sync.models imports sources.models

    failure = failures.failure_of(source)  # a bug in a sync pass: its support detail and next attempt
    return {
        "source": source,
        "failure": failure,
        "status_label": "Sync failed" if failure else STATUS_LABELS.get(source.status, source.status),
        "status_tone": STATUS_TONE.get(source.status, "bad"),
        "phase": phase,
        "returned": returned,
        "progress": progress,
        "polling": phase == "verifying" or source.status == Source.Status.IMPORTING,
        "callback_problem": problem,
        "attempt_expired": bool(latest and latest.used_at is None and not latest.is_usable),
        # Counted only on the return from the store, not on every poll of the card.
        "reconnected": returned == "1"
        and phase == "connected"
        and source.connect_attempts.filter(used_at__isnull=False).count() > 1,
        "revoke_old_key": REVOKE_OLD_KEY,
        "has_keys": bool(source.consumer_key_enc),
        "callback_url": connect.callback_url(),
        # Verification is a background job: when nothing has happened for a minute, no job consumer is running.
        "verifying_slow": phase == "verifying"
        and source.keys_received_at is not None
        and timezone.now() - source.keys_received_at > timedelta(minutes=1),
        "read_only": source.key_permissions == Source.KeyPermissions.READ,
    }

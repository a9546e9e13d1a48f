"""What the source card says: one phase of the connect journey, or the source's status with its fix.

Kept apart from the views so the full page, the htmx-polled card and the list all tell the same story.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from storelens.stores import connect, hooks
from storelens.stores.models import ConnectAttempt, Store
from storelens.stores.status import PROBLEM_STATUSES, STATUS_LABELS, STATUS_TONE

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


def import_progress(store: Store) -> Progress | None:
    """Orders imported so far, as the sync reports them."""
    reported = hooks.import_progress(store)
    return Progress(*reported) if reported is not None else None


def phase_of(store: Store, returned: str | None, attempt: ConnectAttempt | None) -> str:
    """One of: denied, verifying, no_keys, ready, connected, problem, paused."""
    if returned == "0":
        return "denied"
    if attempt is not None and attempt.used_at is None:
        return "no_keys"  # back from the store with success=1 but no keys: the callback never got through
    if store.status in PROBLEM_STATUSES:
        return "problem"
    if store.status == Store.Status.PAUSED:
        return "paused"
    received, verified = store.keys_received_at, store.keys_verified_at
    if received and (verified is None or verified < received) and store.status == Store.Status.CONNECTING:
        return "verifying"
    if verified and store.status in (Store.Status.CONNECTED, Store.Status.IMPORTING):
        return "connected"
    latest = attempt or store.connect_attempts.order_by("-pk").first()
    if latest is not None and latest.used_at is None:
        return "no_keys"
    return "ready"


def card_context(request: HttpRequest, store: Store, *, compact: bool = False) -> dict[str, Any]:
    returned = request.GET.get("success") if not compact else None
    token = request.GET.get("user_id", "") if not compact else ""
    attempt = connect.attempt_for_token(store, token) if token else None
    phase = phase_of(store, returned, attempt)
    latest = attempt or store.connect_attempts.order_by("-pk").first()
    progress = import_progress(store) if store.status == Store.Status.IMPORTING else None
    # Only the "ready" card offers Connect Store; the check may resolve a host name, so it isn't run on every poll.
    problem = None if compact or store.plain_permalinks or phase != "ready" else connect.callback_problem_for(store)
    failure = hooks.failure_of(store)  # a bug in a sync pass: its support detail and next attempt
    return {
        "store": store,
        "failure": failure,
        "status_label": "Sync failed" if failure else STATUS_LABELS.get(store.status, store.status),
        "status_tone": STATUS_TONE.get(store.status, "bad"),
        "phase": phase,
        "returned": returned,
        "progress": progress,
        "polling": phase == "verifying" or store.status == Store.Status.IMPORTING,
        "callback_problem": problem,
        "attempt_expired": bool(latest and latest.used_at is None and not latest.is_usable),
        # Counted only on the return from the store, not on every poll of the card.
        "reconnected": returned == "1"
        and phase == "connected"
        and store.connect_attempts.filter(used_at__isnull=False).count() > 1,
        "revoke_old_key": REVOKE_OLD_KEY,
        "has_keys": bool(store.consumer_key_enc),
        "callback_url": connect.callback_url(),
        # Verification is a background job: when nothing has happened for a minute, no job consumer is running.
        "verifying_slow": phase == "verifying"
        and store.keys_received_at is not None
        and timezone.now() - store.keys_received_at > timedelta(minutes=1),
        "read_only": store.key_permissions == Store.KeyPermissions.READ,
    }

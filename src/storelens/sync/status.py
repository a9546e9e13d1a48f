"""The client's typed errors → the Source status the user sees, with the one thing to do about it."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from storelens.health import catalogue  # the one catalogue of problem codes (shared with the doctor)
from storelens.sources.models import Source
from storelens.woocommerce.errors import Blocked, DataError, Misconfigured, NeedsReauth, Retriable, StoreError

from .models import SyncState

_REAUTH_FIX = "Click Reconnect Store and approve Storelens again on your store."


def status_for_error(error: StoreError) -> str:
    entry = catalogue.entry_for(error.code)  # health catalogue first: one mapping for sync, doctor and Check
    if entry is not None and entry.status:
        return entry.status
    if isinstance(error, NeedsReauth):
        return Source.Status.NEEDS_REAUTH
    if isinstance(error, Blocked):
        return Source.Status.BLOCKED
    if isinstance(error, Misconfigured):
        return Source.Status.MISCONFIGURED
    if isinstance(error, Retriable):
        if error.code in ("unreachable", "timeout", "connection_reset", "maintenance"):
            return Source.Status.UNREACHABLE
        return Source.Status.ERROR
    if isinstance(error, DataError):
        return Source.Status.ERROR
    return Source.Status.ERROR


def set_status_from_error(source: Source, error: StoreError) -> Source:
    """Record why the store cannot be synced right now; status_since moves only when the problem changes."""
    status = status_for_error(error)
    # The catalogue's words fill gaps, name the firewall's vendor and the address to allow (STORELENS_EGRESS_IP).
    egress = getattr(settings, "STORELENS_EGRESS_IP", "") or ""
    message, fix = catalogue.words_for(error.code, error.message, error.fix, vendor=error.vendor, egress_ip=egress)
    if status == Source.Status.NEEDS_REAUTH and "Reconnect Store" not in fix:
        fix = f"{fix} {_REAUTH_FIX}".strip()
    changed = (source.status, source.status_code) != (status, error.code)
    source.status = status
    source.status_code = error.code
    source.status_message = message
    source.status_fix = fix
    if changed:
        source.status_since = timezone.now()
    source.save(update_fields=["status", "status_code", "status_message", "status_fix", "status_since", "updated_at"])
    return source


def clear_status(source: Source, status: str = Source.Status.CONNECTED, *, after_pass: bool = False) -> Source:
    """After a successful pass or check: the problem is gone. A history import that has begun and not finished keeps
    the source "importing" (a health check during an import must not make it look complete). An unexpected error of
    a pass (`failures`) is cleared only by a pass that succeeds: a store that answers a check says nothing about the
    bug, and clearing it would show "Importing" over a dead import."""
    if source.status_code == catalogue.SYNC_FAILED and not after_pass:
        return source
    if status == Source.Status.CONNECTED and import_unfinished(source):
        status = Source.Status.IMPORTING
    if (source.status, source.status_code, source.status_message, source.status_fix) == (status, "", "", ""):
        return source
    if source.status != status:
        source.status_since = timezone.now()
    source.status = status
    source.status_code = ""
    source.status_message = ""
    source.status_fix = ""
    source.save(update_fields=["status", "status_code", "status_message", "status_fix", "status_since", "updated_at"])
    return source


def import_unfinished(source: Source) -> bool:
    return SyncState.objects.filter(
        source=source, import_started_at__isnull=False, import_completed_at__isnull=True
    ).exists()

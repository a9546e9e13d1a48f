"""The client's typed errors → the Source status the user sees, with the one thing to do about it."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from storelens.doctor import catalogue  # the one catalogue of problem codes (shared with the doctor)
from storelens.stores.models import Store
from storelens.woocommerce.errors import Blocked, DataError, Misconfigured, NeedsReauth, Retriable, StoreError

from .models import SyncState

_REAUTH_FIX = "Click Reconnect Store and approve Storelens again on your store."


def status_for_error(error: StoreError) -> str:
    entry = catalogue.entry_for(error.code)  # health catalogue first: one mapping for sync, doctor and Check
    if entry is not None and entry.status:
        return entry.status
    if isinstance(error, NeedsReauth):
        return Store.Status.NEEDS_REAUTH
    if isinstance(error, Blocked):
        return Store.Status.BLOCKED
    if isinstance(error, Misconfigured):
        return Store.Status.MISCONFIGURED
    if isinstance(error, Retriable):
        if error.code in ("unreachable", "timeout", "connection_reset", "maintenance"):
            return Store.Status.UNREACHABLE
        return Store.Status.ERROR
    if isinstance(error, DataError):
        return Store.Status.ERROR
    return Store.Status.ERROR


def set_status_from_error(store: Store, error: StoreError) -> Store:
    """Record why the store cannot be synced right now; status_since moves only when the problem changes."""
    status = status_for_error(error)
    # The catalogue's words fill gaps, name the firewall's vendor and the address to allow (STORELENS_EGRESS_IP).
    egress = getattr(settings, "STORELENS_EGRESS_IP", "") or ""
    message, fix = catalogue.words_for(error.code, error.message, error.fix, vendor=error.vendor, egress_ip=egress)
    if status == Store.Status.NEEDS_REAUTH and "Reconnect Store" not in fix:
        fix = f"{fix} {_REAUTH_FIX}".strip()
    changed = (store.status, store.status_code) != (status, error.code)
    store.status = status
    store.status_code = error.code
    store.status_message = message
    store.status_fix = fix
    if changed:
        store.status_since = timezone.now()
    store.save(update_fields=["status", "status_code", "status_message", "status_fix", "status_since", "updated_at"])
    return store


def clear_status(store: Store, status: str = Store.Status.CONNECTED) -> Store:
    """After a successful pass or check: the problem is gone. A history import that has begun and not finished keeps
    the source "importing" (a health check during an import must not make it look complete)."""
    if status == Store.Status.CONNECTED and import_unfinished(store):
        status = Store.Status.IMPORTING
    if (store.status, store.status_code, store.status_message, store.status_fix) == (status, "", "", ""):
        return store
    if store.status != status:
        store.status_since = timezone.now()
    store.status = status
    store.status_code = ""
    store.status_message = ""
    store.status_fix = ""
    store.save(update_fields=["status", "status_code", "status_message", "status_fix", "status_since", "updated_at"])
    return store


def import_unfinished(store: Store) -> bool:
    return SyncState.objects.filter(
        store=store, import_started_at__isnull=False, import_completed_at__isnull=True
    ).exists()

"""A store's status: the one place that turns the client's typed errors into what the owner sees, and back to fine.

The words come from the problem catalogue (`stores.problems`): the sync, the Check connection button, the doctor, the
banner and the store pages all say the same thing about the same problem.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from storelens.stores import problems
from storelens.stores.models import Store
from storelens.woocommerce.errors import Blocked, DataError, Misconfigured, NeedsReauth, Retriable, StoreError

# The words the store pages use for each status (the model's labels are shorter, for the API).
STATUS_LABELS = {
    Store.Status.CONNECTING: "Connecting",
    Store.Status.IMPORTING: "Importing",
    Store.Status.CONNECTED: "Connected",
    Store.Status.NEEDS_REAUTH: "Needs re-authorization",
    Store.Status.AUTH_FAILED: "Auth failed",
    Store.Status.BLOCKED: "Blocked by firewall",
    Store.Status.UNREACHABLE: "Unreachable",
    Store.Status.MISCONFIGURED: "Needs a fix on the store",
    Store.Status.PAUSED: "Paused",
    Store.Status.ERROR: "Error",
}
STATUS_TONE = {
    Store.Status.CONNECTING: "pending",
    Store.Status.IMPORTING: "pending",
    Store.Status.CONNECTED: "good",
    Store.Status.PAUSED: "muted",
}
PROBLEM_STATUSES = frozenset(
    {
        Store.Status.NEEDS_REAUTH,
        Store.Status.AUTH_FAILED,
        Store.Status.BLOCKED,
        Store.Status.UNREACHABLE,
        Store.Status.MISCONFIGURED,
        Store.Status.ERROR,
    }
)

_REAUTH_FIX = "Click Reconnect Store and approve Storelens again on your store."
_FIELDS = ["status", "status_code", "status_message", "status_fix", "status_since", "updated_at"]


def status_for_error(error: StoreError) -> str:
    entry = problems.entry_for(error.code)  # the catalogue first: one mapping for sync, doctor and Check
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
    message, fix = problems.words_for(
        error.code, error.message, error.fix, vendor=error.vendor, egress_ip=settings.STORELENS_EGRESS_IP
    )
    if status == Store.Status.NEEDS_REAUTH and "Reconnect Store" not in fix:
        fix = f"{fix} {_REAUTH_FIX}".strip()
    changed = (store.status, store.status_code) != (status, error.code)
    store.status = status
    store.status_code = error.code
    store.status_message = message
    store.status_fix = fix
    if changed:
        store.status_since = timezone.now()
    store.save(update_fields=_FIELDS)
    return store


def clear_status(
    store: Store, status: str = Store.Status.CONNECTED, *, import_unfinished: bool = False, after_pass: bool = False
) -> Store:
    """After a successful pass or check: the problem is gone. A history import that has begun and not finished keeps
    the store "importing" (a check during an import must not make it look complete); the caller, which knows the
    sync's state, says so with `import_unfinished`. An unexpected error of a pass (`sync.failures`) is cleared only
    by a pass that succeeds (`after_pass`): a store that answers a check says nothing about the bug, and clearing it
    would show "Importing" over a dead import."""
    if store.status_code == problems.SYNC_FAILED and not after_pass:
        return store
    if status == Store.Status.CONNECTED and import_unfinished:
        status = Store.Status.IMPORTING
    if (store.status, store.status_code, store.status_message, store.status_fix) == (status, "", "", ""):
        return store
    if store.status != status:
        store.status_since = timezone.now()
    store.status = status
    store.status_code = ""
    store.status_message = ""
    store.status_fix = ""
    store.save(update_fields=_FIELDS)
    return store

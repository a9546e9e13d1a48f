"""An unexpected error in a sync pass: a bug in Storelens (not a store problem, which `status` maps from the store
seam's typed errors) becomes the store's visible status, with a support detail, and automatic retries that back off
and then stop until something changes.

Why: a pass that crashed on an unexpected exception used to leave the store "Importing" with nothing said, while the
scheduler started the same doomed pass every minute. Now:

- the store's status is `error` with code `sync_failed` (words in `storelens.stores.problems`): what failed, when,
  that it is a bug in Storelens, when it retries, and a support detail to copy (Storelens's version, the pass id,
  the exception's type and message with secrets redacted, a short traceback id and the innermost frame of our code);
  the full traceback is logged under the same pass id;
- automatic passes (the scheduler's, webhooks') back off: the next is due 2, 4, 8 and 16 minutes after failures 1-4;
  after the 5th consecutive failure they stop;
- what re-arms them (a new series of 5): a pass the owner asks for (Sync now, `storelens sync`), Check connection,
  reconnecting or new keys (the import they start), and an upgrade of Storelens (a failure recorded under another
  version does not hold back the first automatic pass of this one). A webhook is a change on the store too, but a busy
  store sends them every minute, which would be the retry storm again: after the stop, a webhook re-arms at most one
  attempt an hour (`WEBHOOK_RETRY_AFTER_STOP`); during the back-off it is only queued for the next pass;
- a pass that succeeds clears the failure and its status.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import traceback
from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone

import storelens
from storelens.stores import problems
from storelens.stores.models import Store

from .models import SyncState

log = logging.getLogger("storelens.sync.failures")

CODE = problems.SYNC_FAILED
MAX_ATTEMPTS = 5
FIRST_DELAY = timedelta(minutes=2)
WEBHOOK_RETRY_AFTER_STOP = timedelta(hours=1)
_PACKAGE = Path(storelens.__file__).resolve().parent
# WooCommerce keys (ck_/cs_ + 40 hex), and anything given as a secret-looking parameter, in an exception's message.
_SECRETS = (
    (re.compile(r"\b(ck|cs)_[0-9a-fA-F]{16,}"), r"\1_[redacted]"),
    (
        re.compile(r"(?i)\b(consumer_key|consumer_secret|oauth_[a-z_]+|password|secret|token)=[^&\s\"']+"),
        r"\1=[redacted]",
    ),
)


def redact_secrets(text: str) -> str:
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


def new_pass_id() -> str:
    """A short id naming one pass in the support detail and the log."""
    return secrets.token_hex(4)


def delay_after(failures: int) -> timedelta | None:
    """How long after the n-th consecutive failure the next automatic pass is due; None once they stop."""
    if failures >= MAX_ATTEMPTS:
        return None
    return FIRST_DELAY * (2 ** (failures - 1))


def support_detail(error: BaseException, pass_id: str, when: datetime) -> str:
    """One line to copy: enough to find the bug (type, message, where), nothing secret (keys, signatures and
    passwords are redacted from the message; no payloads, no addresses of the store beyond what the message holds)."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if f.filename.startswith(str(_PACKAGE))]
    where = ""
    if ours:
        last = ours[-1]
        where = f" at {Path(last.filename).relative_to(_PACKAGE.parent)}:{last.lineno} in {last.name}"
    shape = "|".join(f"{Path(f.filename).name}:{f.name}" for f in frames) + type(error).__qualname__
    trace_id = hashlib.sha256(shape.encode()).hexdigest()[:8]
    message = redact_secrets(" ".join(str(error).split()))[:300]
    return (
        f"Storelens {storelens.__version__} · pass {pass_id} · {when.strftime('%Y-%m-%d %H:%M:%S')} UTC · "
        f"{type(error).__module__}.{type(error).__qualname__}: {message}{where} · trace {trace_id}"
    )


def record(store_id: int, error: BaseException, pass_id: str, *, now: datetime | None = None) -> SyncState:
    """A pass failed on an unexpected exception: count it, set when the next automatic pass is due, and make the
    source's status say so (what failed, when, what to do, the detail)."""
    now = now or timezone.now()
    state, _ = SyncState.objects.get_or_create(store_id=store_id)
    doing = state.get_phase_display() if state.phase != SyncState.Phase.IDLE else "Syncing"
    failures = state.failures + 1 if state.failed_version == storelens.__version__ else 1
    delay = delay_after(failures)
    state.failures = failures
    state.failed_at = now
    state.failed_version = storelens.__version__
    state.retry_at = now + delay if delay is not None else None
    state.failure_detail = support_detail(error, pass_id, now)
    state.last_error = state.failure_detail
    state.phase = SyncState.Phase.IDLE
    state.updated_at = now
    state.save()
    message, fix = sync_failed_words(
        doing=doing,
        failed_at=now,
        attempt=failures,
        max_attempts=MAX_ATTEMPTS,
        retry_at=state.retry_at,
    )
    store = Store.objects.get(pk=store_id)
    changed = (store.status, store.status_code) != (Store.Status.ERROR, CODE)
    store.status = Store.Status.ERROR
    store.status_code = CODE
    store.status_message = message
    store.status_fix = fix
    if changed:
        store.status_since = now
    store.save(update_fields=["status", "status_code", "status_message", "status_fix", "status_since", "updated_at"])
    log.error(
        "sync pass %s of source %s failed unexpectedly (attempt %s of %s): %s",
        pass_id,
        store_id,
        failures,
        MAX_ATTEMPTS,
        state.failure_detail,
        exc_info=(type(error), error, error.__traceback__),
    )
    return state


def clear(store_id: int) -> None:
    """A pass succeeded: the failure series is over."""
    SyncState.objects.filter(store_id=store_id).exclude(failures=0, retry_at=None, failure_detail="").update(
        failures=0, retry_at=None, failed_version="", failure_detail=""
    )


def rearm(store_id: int) -> None:
    """Something changed that may fix it (the owner asked for a pass, Check connection, new keys): a new series of
    automatic attempts; the status stays until a pass succeeds or fails again."""
    SyncState.objects.filter(store_id=store_id, failures__gt=0).update(failures=0, retry_at=timezone.now())


def is_failed(store: Store) -> bool:
    return store.status == Store.Status.ERROR and store.status_code == CODE


def automatic_pass_allowed(state: SyncState | None, *, webhook: bool = False, now: datetime | None = None) -> bool:
    """Whether a pass nobody asked for (the scheduler's, a webhook's) may run now."""
    if state is None or state.failures == 0:
        return True
    if state.failed_version != storelens.__version__:
        return True  # an upgrade may have fixed it
    now = now or timezone.now()
    if state.retry_at is not None:
        return now >= state.retry_at
    return webhook and state.failed_at is not None and now - state.failed_at >= WEBHOOK_RETRY_AFTER_STOP


def failure_of(store: Store) -> SyncState | None:
    """The failure behind a `sync_failed` status (for the page and `sources list`), else None."""
    if not is_failed(store):
        return None
    return SyncState.objects.filter(store=store).exclude(failure_detail="").first()


def as_json(store: Store) -> dict[str, object] | None:
    """The failure behind a `sync_failed` status for `storelens sources list --json`, else None."""
    state = failure_of(store)
    if state is None:
        return None
    return {
        "detail": state.failure_detail,
        "attempts": state.failures,
        "max_attempts": MAX_ATTEMPTS,
        "failed_at": state.failed_at.isoformat() if state.failed_at else None,
        "retry_at": state.retry_at.isoformat() if state.retry_at else None,
    }


def sync_failed_words(
    *, doing: str, failed_at: datetime, attempt: int, max_attempts: int, retry_at: datetime | None
) -> tuple[str, str]:
    """(message, fix) of a `sync_failed` status: what failed and when, and what happens next (the catalogue entry's
    words with the pass's facts, so the page, `sources list` and the help page say the same)."""
    entry = problems.CATALOGUE[problems.SYNC_FAILED]
    message = f"{doing} failed on {_utc(failed_at)}. {entry.message}"
    if retry_at is not None:
        when = f"Storelens will try again by itself at {_utc(retry_at, date=retry_at.date() != failed_at.date())}"
        fix = (
            f"{when} (attempt {attempt + 1} of {max_attempts}). If it keeps failing, send the support detail to "
            "whoever runs your Storelens, who can report it to the Storelens project with it."
        )
    else:
        fix = (
            f"Storelens stopped retrying after {attempt} failed attempts in a row. Click Sync now to try again (Check "
            "connection, reconnecting the store and upgrading Storelens also do). If it keeps failing, send the "
            "support detail to whoever runs your Storelens, who can report it to the Storelens project with it."
        )
    return message, fix


def _utc(when: datetime, *, date: bool = True) -> str:
    return when.strftime("%d %b %Y at %H:%M UTC" if date else "%H:%M UTC")

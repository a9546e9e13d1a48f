"""The WooCommerce Application Authentication round trip: the authorize URL out, the keys back in.

The owner clicks Connect Store; we send their browser to `<home>/wc-auth/v1/authorize` with a one-time token as
`user_id`. When they Approve, their store posts the new key to our callback (server to server, synchronously: its
PHP worker waits on us, and it deletes the key unless we answer exactly 200). So the callback only stores, answers
and schedules verification; the real API call that proves the key happens afterwards in a job (`tasks.py`).

A store that already has keys that work keeps using them until the new ones are proven: the callback hands the new
keys (encrypted) to the job instead of saving them over the old ones, and the job swaps them in only when they work,
else tells the owner they were refused (a warning on the store) and changes nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from storelens.stores.callback_rules import CallbackProblem, callback_problem
from storelens.stores.models import ConnectAttempt, Store

APP_NAME = "Storelens"  # plain ASCII without & # + =: WooCommerce puts it unencoded into the Approve link
SCOPES = ("read_write", "read")
_KEY = re.compile(r"^ck_[0-9a-f]{40}$")
_SECRET = re.compile(r"^cs_[0-9a-f]{40}$")


def callback_url() -> str:
    """Where the store posts the keys: STORELENS_PUBLIC_URL + the callback path ("" when no public URL is set)."""
    public = settings.STORELENS_PUBLIC_URL
    return public + reverse("stores:callback") if public else ""


def callback_problem_for(store: Store) -> CallbackProblem | None:
    """Why the approval screen would end in an error for this store, or None when it can work."""
    return callback_problem(
        settings.STORELENS_PUBLIC_URL,
        store.home_url,
        extra_ports=settings.STORELENS_CALLBACK_ALLOWED_PORTS,
    )


def authorize_url(store: Store, token: str, scope: str, return_url: str, *, query_form: bool = False) -> str:
    """The approval screen on the store. `query_form` for stores whose rewrite rules don't serve /wc-auth/ paths.

    Neither `return_url` nor `callback_url` carries a query string: WooCommerce urldecodes them once more and
    appends its own `success`/`user_id` to `return_url` (API-NOTES §1.2).
    """
    home = store.home_url.rstrip("/")
    params = {
        "app_name": APP_NAME,
        "scope": scope,
        "user_id": token,
        "return_url": return_url,
        "callback_url": callback_url(),
    }
    if query_form or store.plain_permalinks:
        return f"{home}/?" + urlencode({"wc-auth-version": "1", "wc-auth-route": "authorize", **params})
    return f"{home}/wc-auth/v1/authorize?" + urlencode(params)


def start(store: Store, user: Any, scope: str = "read_write") -> tuple[ConnectAttempt, str]:
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}")
    return ConnectAttempt.start(store, user, scope=scope)


def attempt_for_token(store: Store, token: str) -> ConnectAttempt | None:
    """The attempt of this source that `token` (the `user_id` WooCommerce echoes to the return page) belongs to."""
    if not token:
        return None
    return ConnectAttempt.objects.filter(store=store, token_hash=ConnectAttempt.hash_token(token)).first()


# --- the callback --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallbackResult:
    status: int
    message: str
    store_id: int | None = None
    stored: bool = False


def _parse(payload: Any) -> tuple[dict[str, Any] | None, str]:
    if not isinstance(payload, dict):
        return None, "The body must be a JSON object."
    token = payload.get("user_id")
    key, secret = payload.get("consumer_key"), payload.get("consumer_secret")
    permissions = payload.get("key_permissions")
    key_id = payload.get("key_id")
    if not isinstance(token, str | int) or not str(token):
        return None, "user_id is missing."
    if not isinstance(key, str) or not _KEY.match(key) or not isinstance(secret, str) or not _SECRET.match(secret):
        return None, "consumer_key and consumer_secret must be ck_/cs_ followed by 40 hex characters."
    if permissions not in ("read", "write", "read_write"):
        return None, "key_permissions must be read, write or read_write."
    if isinstance(key_id, str) and key_id.isascii() and key_id.isdigit() and len(key_id) <= 19:
        key_id = int(key_id)
    if key_id is not None and (not isinstance(key_id, int) or isinstance(key_id, bool) or not 0 <= key_id < 2**63):
        return None, "key_id must be a whole number from 0 to 2^63 - 1 (WooCommerce's key ids are)."
    return {
        "token": str(token),
        "key": key,
        "secret": secret,
        "permissions": permissions,
        "key_id": key_id,
    }, ""


def has_working_keys(store: Store) -> bool:
    """Keys that were verified and have not been found broken since: worth keeping until new ones are proven."""
    broken = (Store.Status.NEEDS_REAUTH, Store.Status.AUTH_FAILED)
    return bool(store.consumer_key_enc) and store.keys_verified_at is not None and store.status not in broken


def pending_keys(data: dict[str, Any], received_at: Any) -> dict[str, Any]:
    """New keys for the verification job to try before they replace working ones; encrypted, as in the database."""
    from storelens.crypto import encrypt

    return {
        "key": encrypt(data["key"]),
        "secret": encrypt(data["secret"]),
        "key_id": data["key_id"],
        "permissions": data["permissions"],
        "received_at": received_at.isoformat(),
    }


def accept_callback(payload: Any, *, on_stored: Any = None) -> CallbackResult:
    """Store the keys of a valid, unused, unexpired attempt. Never talks to the store.

    A repeat of the POST that was already accepted (same token, same key) answers 200 again without changing
    anything; any other use of a spent token is refused, so WooCommerce deletes the key it just made.
    `on_stored(store_id)` runs after the transaction commits (the verification job is enqueued there); for a store
    whose keys work, `on_stored(store_id, new_keys)` with the new keys, which are not saved on the store yet.
    """
    data, problem = _parse(payload)
    if data is None:
        return CallbackResult(400, problem)
    with transaction.atomic():
        attempt = (
            ConnectAttempt.objects.select_for_update()
            .select_related("store")
            .filter(token_hash=ConnectAttempt.hash_token(data["token"]))
            .first()
        )
        if attempt is None:
            return CallbackResult(403, "Unknown connection token: start again with Connect Store in Storelens.")
        store = Store.objects.select_for_update().get(pk=attempt.store_id)
        if attempt.used_at is not None:
            same = store.key_id == data["key_id"] and store.keys()[0] == data["key"]
            if same:
                return CallbackResult(200, "Keys already received.", store.pk)
            return CallbackResult(409, "This connection token was already used: start again with Connect Store.")
        if attempt.expires_at <= timezone.now():
            return CallbackResult(410, "This connection token expired (they last an hour): start again.")
        now = timezone.now()
        if has_working_keys(store):
            attempt.used_at = now
            attempt.save(update_fields=["used_at"])
            if on_stored is not None:
                store_id, new_keys = store.pk, pending_keys(data, now)
                transaction.on_commit(lambda: on_stored(store_id, new_keys))
            return CallbackResult(200, "Keys received; Storelens checks them before it uses them.", store.pk, True)
        store.set_keys(data["key"], data["secret"])
        store.key_id = data["key_id"]
        store.key_permissions = data["permissions"]
        store.keys_received_at = now
        store.keys_verified_at = None
        store.auth_method = ""  # new keys: the ladder runs again
        store.status = Store.Status.CONNECTING
        store.status_code = store.status_fix = ""
        store.status_message = "Keys received; Storelens is checking them with your store."
        store.status_since = now
        store.save()
        attempt.used_at = now
        attempt.save(update_fields=["used_at"])
        if on_stored is not None:
            store_id = store.pk
            transaction.on_commit(lambda: on_stored(store_id))
    return CallbackResult(200, "Keys received.", store.pk, stored=True)

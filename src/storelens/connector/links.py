"""The plugin's round trip and what it may ask afterwards, without HTTP: the views only parse and answer.

`begin` runs when the owner, signed in to Storelens, confirms the connect: it finds or adds the store and starts a
WooCommerce approval (stores.connect), remembering the plugin's way back. `code_for_return` turns WooCommerce's
return into a one-time code for the plugin; `exchange` trades that code for the token (stored hashed) and the secret
that signs the plugin's change notices (the store's webhook secret, so they verify exactly like webhooks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.db import transaction
from django.utils import timezone

from storelens.commerce.models import Order
from storelens.connector.models import ConnectorLink, ConnectorStart, hash_secret, new_secret
from storelens.stores import adding, client, connect
from storelens.stores.models import ConnectAttempt, Store
from storelens.stores.status import PROBLEM_STATUSES, STATUS_LABELS
from storelens.sync.webhooks import webhook_secret
from storelens.woocommerce.errors import StoreError

RECONNECT = "reconnect"
OPEN = "open"


class ConnectProblem(Exception):
    """Why a connect from the plugin cannot go on, in the owner's words, and what to do."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def check_request(site: str, return_url: str, state: str) -> None:
    """The plugin's start request: a store address, a wp-admin page on that same host, and its state value.

    The code travels to `return_url`, so it must be the store's own host: anything else would hand the connection to
    whoever wrote the link.
    """
    if urlsplit(site).scheme not in ("http", "https") or not _host(site):
        raise ConnectProblem(
            "This link does not name a store.", "Start again from your store: WooCommerce → Storelens → Connect Store."
        )
    if urlsplit(return_url).scheme not in ("http", "https") or _host(return_url) != _host(site):
        raise ConnectProblem(
            "This link would send you back to a different site than the store it connects, so Storelens stopped.",
            "Start again from your store's wp-admin: WooCommerce → Storelens → Connect Store.",
        )
    if not state or len(state) > 200:
        raise ConnectProblem("This link is incomplete.", "Start again from your store: WooCommerce → Storelens.")


def find_store(workspace: Any, site: str) -> Store | None:
    """The workspace's store at this address, without asking the store (the plugin sends WordPress's home_url)."""
    wanted = site.rstrip("/").lower()
    for store in Store.objects.filter(workspace=workspace):
        if store.home_url.rstrip("/").lower() == wanted:
            return store
    return None


def find_or_add_store(workspace: Any, site: str) -> Store:
    store = find_store(workspace, site)
    if store is not None:
        return store
    try:
        found = client.discover_site(site)
    except StoreError as error:
        raise ConnectProblem(error.message, error.fix) from error
    return adding.existing_store(workspace, found) or adding.create_store(workspace, site, found)


def begin(store: Store, user: Any, return_url: str, state: str, back_url: str) -> str:
    """Start WooCommerce's approval for `store`; the address of its approval screen. `back_url` is our return page."""
    if store.plain_permalinks:
        raise ConnectProblem(
            "Your store uses plain permalinks, so WooCommerce's approval screen cannot send Storelens its keys.",
            "In WordPress go to Settings → Permalinks, choose Post name and Save, then click Connect Store again.",
        )
    problem = connect.callback_problem_for(store)
    if problem is not None:
        raise ConnectProblem(problem.message, problem.fix.replace("Use manual keys below instead, or", "Please"))
    query_form = not client.wc_auth_path_served(store.home_url)
    attempt, token = connect.start(store, user, "read_write")
    ConnectorStart.objects.create(
        workspace=store.workspace, attempt=attempt, store=store, return_url=return_url, state=state
    )
    return connect.authorize_url(store, token, "read_write", back_url, query_form=query_form)


def _with_query(url: str, **params: str) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(params)


def return_address(token: str, success: str) -> str | None:
    """Where WooCommerce's return sends the owner: back to wp-admin with a one-time code, or with why there is none.
    None when the token is not one of the plugin's connects (then Storelens shows its own page)."""
    if not token:
        return None
    started = (
        ConnectorStart.objects.select_related("attempt")
        .filter(attempt__token_hash=ConnectAttempt.hash_token(token))
        .first()
    )
    if started is None:
        return None
    attempt = started.attempt
    if success != "1":
        return _with_query(started.return_url, storelens_error="denied", state=started.state)
    if attempt.used_at is None:
        return _with_query(started.return_url, storelens_error="no_keys", state=started.state)
    return _with_query(started.return_url, storelens_code=started.issue_code(), state=started.state)


@dataclass(frozen=True)
class Exchanged:
    store: Store
    token: str
    secret: str


def exchange(code: str, site: str, version: str) -> Exchanged | None:
    """The plugin's code for its token and secret; None when the code is unknown, spent, expired or for another
    site. A new token replaces the store's previous one (Reconnect), which stops working at once."""
    if not code:
        return None
    with transaction.atomic():
        started = (
            ConnectorStart.objects.select_for_update()
            .select_related("store")
            .filter(code_hash=hash_secret(code))
            .first()
        )
        if started is None or started.exchanged_at is not None or started.code_expires_at is None:
            return None
        if started.code_expires_at <= timezone.now() or _host(site) != _host(started.store.home_url):
            return None
        started.exchanged_at = timezone.now()
        started.save(update_fields=["exchanged_at"])
        store = started.store
        token = new_secret()
        ConnectorLink.objects.update_or_create(
            store=store,
            defaults={"workspace": store.workspace, "token_hash": hash_secret(token), "connected_at": timezone.now()},
        )
        store.connector_version = version[:32] or None
        store.save(update_fields=["connector_version"])
    return Exchanged(store, token, webhook_secret(store))


def link_for_token(token: str) -> ConnectorLink | None:
    if not token:
        return None
    return ConnectorLink.objects.select_related("store").filter(token_hash=hash_secret(token)).first()


def seen(link: ConnectorLink, version: str) -> None:
    """The plugin asked with its token: remember when, and its version (it may have been updated)."""
    link.last_seen_at = timezone.now()
    link.save(update_fields=["last_seen_at"])
    if version and link.store.connector_version != version[:32]:
        link.store.connector_version = version[:32]
        link.store.save(update_fields=["connector_version"])


def disconnect(link: ConnectorLink) -> None:
    """The plugin's token stops working; Storelens no longer shows the plugin on the store (its keys stay)."""
    store = link.store
    link.delete()
    store.connector_version = None
    store.save(update_fields=["connector_version"])


REMOVED: dict[str, Any] = {
    "state": "removed",
    "code": "store_removed",
    "message": "Storelens no longer has this store: it was removed in Storelens, or disconnected there.",
    "fix": "Click Reconnect Store to connect it again.",
    "action": RECONNECT,
}


def _problem(store: Store) -> tuple[str, str, str, str] | None:
    """(code, message, fix, action) of what needs the owner, or None when all is well."""
    if not store.consumer_key_enc:
        return (
            "reconnect_needed",
            "Storelens has no access to your store.",
            "Click Reconnect Store and approve Storelens on the screen that follows.",
            RECONNECT,
        )
    if store.status in (Store.Status.NEEDS_REAUTH, Store.Status.AUTH_FAILED):
        return (
            "keys_revoked",
            store.status_message or "The key Storelens uses to read your store no longer works: it was revoked.",
            "Click Reconnect Store and approve Storelens again: it gets a new key, and your reports stay.",
            RECONNECT,
        )
    if store.key_permissions == Store.KeyPermissions.READ:
        return (
            "read_only",
            "Storelens can only read your store, so it cannot be told about new orders as they happen.",
            "Click Reconnect Store and approve Storelens again: it asks for read and write access.",
            RECONNECT,
        )
    if store.status in PROBLEM_STATUSES:
        return (
            store.status_code or store.status,
            store.status_message or STATUS_LABELS.get(store.status, store.status),
            store.status_fix or "Open the store in Storelens to see what to do.",
            OPEN,
        )
    return None


def status_of(store: Store, store_url: str) -> dict[str, Any]:
    """What the plugin's status card and admin notice say about the store."""
    problem = _problem(store)
    orders = Order.objects.filter(store=store, deleted_at__isnull=True).count()
    answer: dict[str, Any] = {
        "state": "attention" if problem else ("connecting" if store.status == Store.Status.CONNECTING else "connected"),
        "code": "",
        "message": "",
        "fix": "",
        "action": "",
        "status": store.status,
        "status_label": STATUS_LABELS.get(store.status, store.status),
        "store_name": str(store),
        "store_url": store_url,
        "last_sync": store.last_sync_at.isoformat() if store.last_sync_at else None,
        "orders": orders,
    }
    if problem:
        answer.update(zip(("code", "message", "fix", "action"), problem, strict=True))
    return answer

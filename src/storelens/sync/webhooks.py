"""Webhooks on the store pointing at our intake: registered with our own secret, re-enabled when WooCommerce
disabled them after failed deliveries, recreated when missing. They are hints; polling stays the source of truth."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.urls import reverse

from storelens.crypto import decrypt, encrypt
from storelens.stores.client import client_for
from storelens.stores.models import Store
from storelens.woocommerce.client import StoreClient
from storelens.woocommerce.errors import DataError, StoreError
from storelens.woocommerce.fastjson import UnreadableJson, loads_body

RESOURCES = ("order", "product", "customer", "coupon")
EVENTS = ("created", "updated", "deleted", "restored")
# WordPress users are deleted outright, never trashed: WooCommerce has no `customer.restored` topic.
TOPICS = tuple(f"{r}.{e}" for r in RESOURCES for e in EVENTS if f"{r}.{e}" != "customer.restored")
SUBSCRIPTION_TOPICS = ("subscription.created", "subscription.updated", "subscription.deleted", "subscription.switched")
_ALPHABET = string.ascii_letters + string.digits


# The largest id a row of ours can hold (a signed 64-bit column): WordPress ids fit; a delivery naming a larger one
# is not from WooCommerce, and writing it answered 500 (SQLite: int too large; PostgreSQL: out of range).
MAX_WC_ID = 2**63 - 1


def notice_id(body: bytes) -> int:
    """The object id a signed delivery or notice names (its JSON `id`), or 0 when it names none Storelens could
    fetch: not JSON, nested too deeply, not an object, not a whole number, not positive, or beyond MAX_WC_ID."""
    try:
        return id_in(loads_body(body))
    except UnreadableJson:
        return 0


def id_in(payload: Any) -> int:
    """`notice_id` of an already-read payload."""
    value = payload.get("id") if isinstance(payload, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | str):
        return 0
    try:
        wc_id = int(value)
    except ValueError:
        return 0
    return wc_id if 0 < wc_id <= MAX_WC_ID else 0


def new_secret() -> str:
    """Alphanumeric only: WooCommerce signs with wp_specialchars_decode(secret), which alters `&…;` sequences."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(48))


def signature_of(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode("ascii")


def signature_matches(body: bytes, secret: str, signature: str) -> bool:
    return hmac.compare_digest(signature_of(body, secret).encode(), signature.strip().encode())


def intake_path(store: Store) -> str:
    return reverse("sync:webhook", args=[store.public_id])


def delivery_url(store: Store) -> str:
    public = (getattr(settings, "STORELENS_PUBLIC_URL", "") or "").rstrip("/")
    return public + intake_path(store)


def webhook_secret(store: Store) -> str:
    """The source's secret, created (and stored encrypted) the first time it is needed."""
    if not store.webhook_secret_enc:
        store.webhook_secret_enc = encrypt(new_secret())
        Store.objects.filter(pk=store.pk).update(webhook_secret_enc=store.webhook_secret_enc)
    return decrypt(store.webhook_secret_enc)


@dataclass
class WebhookReport:
    created: list[str] = field(default_factory=list)
    reenabled: list[str] = field(default_factory=list)
    ok: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    skipped_because: str = ""


def can_register(store: Store) -> str:
    """Why webhooks cannot be registered ('' when they can)."""
    if store.key_permissions not in (Store.KeyPermissions.READ_WRITE, Store.KeyPermissions.WRITE):
        return "the store's key is read-only (polling keeps the copy exact; webhooks only make it faster)"
    public = getattr(settings, "STORELENS_PUBLIC_URL", "") or ""
    if not public:
        return "STORELENS_PUBLIC_URL is not set, so the store would not know where to deliver"
    return ""


async def ensure_webhooks(store: Store, client: StoreClient) -> WebhookReport:
    report = WebhookReport()
    reason = await sync_to_async(can_register, thread_sensitive=True)(store)
    if reason:
        report.skipped_because = reason
        return report
    secret = await sync_to_async(webhook_secret, thread_sensitive=True)(store)
    url = await sync_to_async(delivery_url, thread_sensitive=True)(store)
    existing: list[dict[str, Any]] = []
    page = 1
    while True:
        listing = await client.get_page("/wc/v3/webhooks", {"status": "all"}, page=page, per_page=100)
        existing.extend(listing.items)
        if listing.is_last():
            break
        page += 1
    ours = {w.get("topic"): w for w in existing if w.get("delivery_url") == url}
    topics = TOPICS + (SUBSCRIPTION_TOPICS if store.has_subscriptions else ())
    for topic in topics:
        hook = ours.get(topic)
        if hook is None:
            try:
                await client.post(
                    "/wc/v3/webhooks",
                    json={"name": f"Storelens {topic}", "topic": topic, "delivery_url": url, "secret": secret},
                )
            except DataError as err:
                if err.code != "bad_request" or "topic" not in err.message.lower():
                    raise
                report.unsupported.append(topic)  # an older store without this topic: polling covers it
                continue
            report.created.append(topic)
        elif hook.get("status") != "active":
            # WooCommerce disables a webhook after repeated failed deliveries and never retries by itself.
            await client.put(f"/wc/v3/webhooks/{hook['id']}", json={"status": "active", "secret": secret})
            report.reenabled.append(topic)
        else:
            report.ok.append(topic)
    return report


def ensure_webhooks_sync(store_id: int, **client_options: Any) -> WebhookReport:
    """`ensure_webhooks` from synchronous code; a failure is also kept on the store (`note_registration`) so its
    page says so, instead of a line in the server's log nobody reads."""
    store = Store.objects.get(pk=store_id)

    async def run() -> WebhookReport:
        client = client_for(store, **client_options)
        try:
            return await ensure_webhooks(store, client)
        finally:
            await client.aclose()

    try:
        report = async_to_sync(run)()
    except StoreError as err:
        note_registration(store_id, err)
        raise
    note_registration(store_id, None)
    return report


NOT_REGISTERED = "webhooks_not_registered"


def note_registration(store_id: int, failure: StoreError | None) -> None:
    """Keep (or, after a registration that worked, drop) a warning on the store's page: the store refused
    Storelens's webhooks, so changes arrive only with the scheduled syncs. Polling keeps the figures exact."""
    store = Store.objects.filter(pk=store_id).first()
    if store is None:
        return
    kept = [w for w in store.data_warnings if not (isinstance(w, dict) and w.get("code") == NOT_REGISTERED)]
    if failure is not None:
        kept.append(
            {
                "code": NOT_REGISTERED,
                "severity": "warning",
                "message": "Storelens could not register its webhooks on your store, so changes reach it only at "
                f"the next scheduled sync (your figures stay exact). The store answered: {failure.message}",
                "fix": failure.fix
                or "Click Sync now to try again; if it fails again, check STORELENS_PUBLIC_URL and the store's "
                "WooCommerce → Settings → Advanced → Webhooks.",
            }
        )
    if kept != store.data_warnings:
        Store.objects.filter(pk=store_id).update(data_warnings=kept)

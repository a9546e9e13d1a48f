"""Webhook intake, and the Storelens Connector's change notices. The signature over the raw body is checked before
anything else; a verified delivery only queues a re-fetch of the object it names (the payload is a hint, never
data)."""

from __future__ import annotations

import re

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from storelens.crypto import DecryptionError, decrypt
from storelens.stores.models import Store
from storelens.woocommerce.fastjson import UnreadableJson, loads_body

from .models import PendingFetch
from .webhooks import RESOURCES, id_in, notice_id, signature_matches

_PING = re.compile(rb"webhook_id=\d+")
# Bursts of deliveries for one store coalesce into one pass.
REFETCH_DELAY_S = 5


def _unauthorized() -> HttpResponse:
    return HttpResponse("Invalid or missing X-WC-Webhook-Signature.\n", status=401, content_type="text/plain")


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, public_id: str) -> HttpResponse:
    body = request.body
    signature = request.headers.get("X-WC-Webhook-Signature")
    store = Store.objects.filter(public_id=public_id).only("pk", "webhook_secret_enc").first()
    if signature is None:
        # WooCommerce's ping on creation: a form body `webhook_id=N` without any X-WC-* header.
        if store is not None and _PING.fullmatch(body.strip()):
            return HttpResponse("pong\n", content_type="text/plain")
        return _unauthorized()
    if store is None or not store.webhook_secret_enc:
        return _unauthorized()
    try:
        secret = decrypt(store.webhook_secret_enc)
    except DecryptionError:
        return _unauthorized()
    if not signature_matches(body, secret, signature):
        return _unauthorized()
    resource = request.headers.get("X-WC-Webhook-Resource", "").strip().lower()
    wc_id = notice_id(body)  # 0: unreadable, nested too deeply, or an id beyond any store's (never a 500)
    if resource not in (*RESOURCES, "subscription") or wc_id <= 0:
        return HttpResponse("ignored\n", content_type="text/plain")  # 200: a non-2xx would get the hook disabled
    return _queue_refetch(store.pk, resource, wc_id)


def _queue_refetch(store_pk: int, resource: str, wc_id: int) -> HttpResponse:
    with transaction.atomic():
        PendingFetch.objects.get_or_create(store_id=store_pk, resource=resource, wc_id=wc_id)
    from .tasks import refetch

    transaction.on_commit(lambda: refetch.schedule(args=(store_pk,), delay=REFETCH_DELAY_S))
    return HttpResponse("queued\n", content_type="text/plain")


@csrf_exempt
@require_POST
def connector_notice(request: HttpRequest, public_id: str) -> HttpResponse:
    """A change notice from the Storelens Connector plugin: `{resource, id, event, date_modified_gmt}` signed with
    the store's webhook secret in X-Storelens-Signature (base64 HMAC-SHA256 of the body, as WooCommerce signs).

    The plugin retries anything but a 2xx with backoff for as long as it takes, except 401 (the secret no longer
    matches) and 404 (no such store here), which it drops: reconciliation covers what a dropped notice named."""
    store = Store.objects.filter(public_id=public_id).only("pk", "webhook_secret_enc").first()
    if store is None:
        return HttpResponse("No such store in Storelens.\n", status=404, content_type="text/plain")
    signature = request.headers.get("X-Storelens-Signature")
    try:
        secret = decrypt(store.webhook_secret_enc) if store.webhook_secret_enc else ""
    except DecryptionError:
        secret = ""
    if not signature or not secret or not signature_matches(request.body, secret, signature):
        return HttpResponse("Invalid or missing X-Storelens-Signature.\n", status=401, content_type="text/plain")
    try:
        notice = loads_body(request.body)  # nested too deeply is unreadable too (a RecursionError answered 500)
    except UnreadableJson:
        return HttpResponse("ignored\n", content_type="text/plain")  # 200: retrying would not make it readable
    resource = str(notice.get("resource", "")).lower() if isinstance(notice, dict) else ""
    wc_id = id_in(notice)  # 0 for an id past any BIGINT (10**30 answered 500)
    if resource not in RESOURCES or wc_id <= 0:
        return HttpResponse("ignored\n", content_type="text/plain")
    return _queue_refetch(store.pk, resource, wc_id)

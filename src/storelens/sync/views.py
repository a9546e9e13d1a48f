"""Webhook intake. The signature over the raw body is checked before anything else; a verified delivery only
queues a re-fetch of the object it names (the payload is a hint, never data)."""

from __future__ import annotations

import re

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from storelens.crypto import DecryptionError, decrypt
from storelens.stores.models import Store

from .models import PendingFetch
from .webhooks import RESOURCES, notice_id, signature_matches

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
    with transaction.atomic():
        PendingFetch.objects.get_or_create(store_id=store.pk, resource=resource, wc_id=wc_id)
    from .tasks import refetch

    transaction.on_commit(lambda: refetch.schedule(args=(store.pk,), delay=REFETCH_DELAY_S))
    return HttpResponse("queued\n", content_type="text/plain")

"""Background jobs of the connect flow.

`verify_keys` runs after the wc-auth callback answered: the store's PHP worker was waiting on that answer, so the
first real API call with the new keys happens here, never inside the callback request. When the store already had
keys that work, the new ones arrive here instead of on the store (`connect.pending_keys`) and replace the old ones
only once they work; refused, they are dropped and the owner is told (`new_keys_refused` on the store's page).
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from huey.contrib.djhuey import task

from storelens.crypto import decrypt
from storelens.stores import client, figure_settings, hooks
from storelens.stores.models import Store
from storelens.stores.status import set_status_from_error
from storelens.woocommerce.errors import StoreError

log = logging.getLogger(__name__)


def apply_details(store: Store, details: Any) -> None:
    """Store what a successful key check revealed. Settings the owner set in Storelens stay as the owner set them."""
    store.auth_method = str(details.auth_method)
    if details.permissions:
        store.key_permissions = details.permissions
    if details.currency:
        store.currency = details.currency
    store.has_refunds_route = details.has_refunds_route
    store.has_subscriptions = details.has_subscriptions
    # Each Analytics setting with where it came from; the owner's own choice is kept (figure_settings).
    figure_settings.record_store_reading(store, details.analytics)
    connector = getattr(details, "connector", None)
    store.connector_version = connector.version if connector else None
    store.keys_verified_at = timezone.now()


def mark_verified_and_import(store: Store) -> None:
    """Keys work: clear any problem and start the first import (or catch up on a reconnected source)."""
    first_time = store.last_sync_at is None
    store.status = Store.Status.IMPORTING if first_time else Store.Status.CONNECTED
    store.status_code = store.status_message = store.status_fix = ""
    store.status_since = timezone.now()
    store.save()
    if first_time:
        hooks.start_import(store.pk)
    else:
        hooks.sync_now(store.pk)


def verify_keys_now(store_id: int) -> bool:
    """Check the source's keys with real API calls; True when they work. The status says why when not."""
    store = Store.objects.get(pk=store_id)

    try:
        details = client.describe(store)
    except StoreError as err:
        log.info("keys of source %s failed verification: %s", store_id, err.code)
        store.refresh_from_db()
        set_status_from_error(store, err)
        return False
    store.refresh_from_db()
    apply_details(store, details)
    mark_verified_and_import(store)
    return True


REFUSED_CODE = "new_keys_refused"


def _without_refusal(warnings: list[Any]) -> list[Any]:
    return [w for w in warnings if not (isinstance(w, dict) and w.get("code") == REFUSED_CODE)]


def verify_new_keys_now(store_id: int, new_keys: dict[str, Any]) -> bool:
    """Try keys sent for a store whose keys work; swap them in when they work too, else keep the old ones and say so."""
    key, secret = decrypt(new_keys["key"]), decrypt(new_keys["secret"])
    candidate = Store.objects.get(pk=store_id)
    candidate.set_keys(key, secret)  # in memory only: the saved store keeps its working keys meanwhile
    candidate.auth_method = ""  # new keys: the ladder runs again
    try:
        details = client.describe(candidate)
    except StoreError as err:
        log.info("new keys of source %s refused, the old ones stay: %s", store_id, err.code)
        store = Store.objects.get(pk=store_id)
        received = parse_datetime(str(new_keys.get("received_at", ""))) or timezone.now()
        refusal = {
            "code": REFUSED_CODE,
            "severity": "warning",
            "message": f"The new keys your store sent when you reconnected it ({received:%Y-%m-%d %H:%M} UTC) "
            f"did not work: {err.message} Storelens kept using the keys that worked before, so nothing stopped.",
            "fix": err.fix
            or "Reconnect the store again, or paste a key made under WooCommerce → Settings → Advanced → REST API.",
        }
        store.data_warnings = [*_without_refusal(store.data_warnings), refusal]
        store.save(update_fields=["data_warnings", "updated_at"])
        return False
    store = Store.objects.get(pk=store_id)
    store.set_keys(key, secret)
    store.key_id = new_keys.get("key_id")
    store.key_permissions = new_keys.get("permissions") or store.key_permissions
    store.keys_received_at = parse_datetime(str(new_keys.get("received_at", ""))) or timezone.now()
    store.data_warnings = _without_refusal(store.data_warnings)
    apply_details(store, details)
    mark_verified_and_import(store)
    return True


@task(name="stores.verify_keys")
def verify_keys(store_id: int, new_keys: dict[str, Any] | None = None) -> bool:
    if new_keys:
        return verify_new_keys_now(store_id, new_keys)
    return verify_keys_now(store_id)

"""Background jobs of the connect flow.

`verify_keys` runs after the wc-auth callback answered: the store's PHP worker was waiting on that answer, so the
first real API call with the new keys happens here, never inside the callback request.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone
from huey.contrib.djhuey import task

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


@task(name="stores.verify_keys")
def verify_keys(store_id: int) -> bool:
    return verify_keys_now(store_id)

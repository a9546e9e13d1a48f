"""Background jobs of the connect flow.

`verify_keys` runs after the wc-auth callback answered: the store's PHP worker was waiting on that answer, so the
first real API call with the new keys happens here, never inside the callback request.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone
from huey.contrib.djhuey import task

from storelens.sources import figure_settings
from storelens.sources.models import Source
from storelens.woocommerce.errors import StoreError

log = logging.getLogger(__name__)


def set_status_from_error(source: Source, error: StoreError) -> None:
    from storelens.sync.status import set_status_from_error as set_status  # sync.models imports sources.models

    set_status(source, error)


def apply_details(source: Source, details: Any) -> None:
    """Store what a successful key check revealed. Settings the owner set in Storelens stay as the owner set them."""
    source.auth_method = str(details.auth_method)
    if details.permissions:
        source.key_permissions = details.permissions
    if details.currency:
        source.currency = details.currency
    source.has_refunds_route = details.has_refunds_route
    source.has_subscriptions = details.has_subscriptions
    # Each Analytics setting with where it came from; the owner's own choice is kept (figure_settings).
    figure_settings.record_store_reading(source, details.analytics)
    source.keys_verified_at = timezone.now()


def mark_verified_and_import(source: Source) -> None:
    """Keys work: clear any problem and start the first import (or catch up on a reconnected source)."""
    first_time = source.last_sync_at is None
    source.status = Source.Status.IMPORTING if first_time else Source.Status.CONNECTED
    source.status_code = source.status_message = source.status_fix = ""
    source.status_since = timezone.now()
    source.save()
    from storelens.sync import tasks as sync_tasks

    if first_time:
        sync_tasks.start_import(source.pk)
    else:
        sync_tasks.sync_now(source.pk)


def verify_keys_now(source_id: int) -> bool:
    """Check the source's keys with real API calls; True when they work. The status says why when not."""
    source = Source.objects.get(pk=source_id)
    from storelens.sources import store_access

    try:
        details = store_access.describe(source)
    except StoreError as err:
        log.info("keys of source %s failed verification: %s", source_id, err.code)
        source.refresh_from_db()
        set_status_from_error(source, err)
        return False
    source.refresh_from_db()
    apply_details(source, details)
    mark_verified_and_import(source)
    return True


@task(name="sources.verify_keys")
def verify_keys(source_id: int) -> bool:
    return verify_keys_now(source_id)

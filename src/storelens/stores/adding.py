"""Turning what discovery found into a Store, and saving keys the owner pasted (web page and CLI alike)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from storelens.stores import client
from storelens.stores.models import Store
from storelens.woocommerce.discovery import SiteInfo
from storelens.woocommerce.store_details import StoreDetails


def apply_site(store: Store, site: SiteInfo) -> None:
    store.home_url = site.home_url
    store.rest_root = site.rest_root.url
    store.plain_permalinks = site.plain_permalinks
    store.name = site.name or store.name
    store.timezone_string = site.timezone_string or ""
    store.gmt_offset = Decimal(str(site.gmt_offset or 0)).quantize(Decimal("0.01"))
    store.has_subscriptions = site.has_subscriptions
    if site.has_refunds_route is not None:
        store.has_refunds_route = site.has_refunds_route
    store.legacy_woocommerce = site.supports_modified_after is False


def existing_store(workspace: Any, site: SiteInfo) -> Store | None:
    return Store.objects.filter(workspace=workspace, home_url=site.home_url).first()


def create_store(workspace: Any, entered_url: str, site: SiteInfo) -> Store:
    store = Store(workspace=workspace, entered_url=entered_url.strip(), status=Store.Status.CONNECTING)
    apply_site(store, site)
    store.status_message = "Waiting for you to connect the store."
    store.save()
    return store


def save_manual_keys(store: Store, key: str, secret: str, details: Any) -> None:
    """Keys the owner pasted, already proven by `details` (a successful describe_store): save and start importing."""
    from storelens.stores.tasks import apply_details, mark_verified_and_import

    store.set_keys(key, secret)
    store.key_id = None  # WooCommerce shows the id only in wp-admin; the callback is the only place we learn it
    store.keys_received_at = timezone.now()
    apply_details(store, details)
    mark_verified_and_import(store)


def add_with_keys(workspace: Any, url: str, key: str, secret: str) -> tuple[Store, StoreDetails]:
    """Discover the store at `url`, check the key with real requests, save it and start the first import.

    The store is created only once the key works; raises the seam's typed `StoreError` when it does not.
    """

    site = client.discover_site(url)
    details = client.describe_with_keys(site, key.strip(), secret.strip())
    store = existing_store(workspace, site) or create_store(workspace, url, site)
    save_manual_keys(store, key.strip(), secret.strip(), details)
    return store, details

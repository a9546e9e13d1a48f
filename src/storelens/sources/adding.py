"""Turning what discovery found into a Source, and saving keys the owner pasted (web page and CLI alike)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from storelens.sources.models import Source
from storelens.woocommerce.discovery import SiteInfo


def apply_site(source: Source, site: SiteInfo) -> None:
    source.home_url = site.home_url
    source.rest_root = site.rest_root.url
    source.plain_permalinks = site.plain_permalinks
    source.name = site.name or source.name
    source.timezone_string = site.timezone_string or ""
    source.gmt_offset = Decimal(str(site.gmt_offset or 0)).quantize(Decimal("0.01"))
    source.has_subscriptions = site.has_subscriptions
    if site.has_refunds_route is not None:
        source.has_refunds_route = site.has_refunds_route
    source.legacy_woocommerce = site.supports_modified_after is False


def existing_source(workspace: Any, site: SiteInfo) -> Source | None:
    return Source.objects.filter(workspace=workspace, home_url=site.home_url).first()


def create_source(workspace: Any, entered_url: str, site: SiteInfo) -> Source:
    source = Source(workspace=workspace, entered_url=entered_url.strip(), status=Source.Status.CONNECTING)
    apply_site(source, site)
    source.status_message = "Waiting for you to connect the store."
    source.save()
    return source


def save_manual_keys(source: Source, key: str, secret: str, details: Any) -> None:
    """Keys the owner pasted, already proven by `details` (a successful describe_store): save and start importing."""
    from storelens.sources.tasks import apply_details, mark_verified_and_import

    source.set_keys(key, secret)
    source.key_id = None  # WooCommerce shows the id only in wp-admin; the callback is the only place we learn it
    source.keys_received_at = timezone.now()
    apply_details(source, details)
    mark_verified_and_import(source)

"""The store's clock on every page and e-mail, in one format, labelled with the zone: "6 Dec 2026 19:09 EST".

A store owner thinks in the shop's wall clock (WooCommerce's own screens do), so the order page, the live feed, the
orders list, the store page, the alerts and the alert e-mails all show an instant through
`{% load store_clock %}{{ instant|store_time:store }}`; the UTC instant stays in the element's `datetime` attribute
and title for anyone comparing with logs. The library lives in `stores`, the lowest app that knows a store's zone
(`stores.zones`), so the store pages, alerts and dashboard may all load it (tests/test_layering.py counts `{% load %}`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from storelens.stores.zones import UnknownTimezone, store_timezone

register = template.Library()

FORMAT = "%-d %b %Y %H:%M"


def zone_of(store: Any) -> tzinfo:
    """The store's zone, UTC when it has none or one this machine does not know (the label then says UTC)."""
    try:
        return store_timezone(getattr(store, "timezone_string", ""), getattr(store, "gmt_offset", 0))
    except UnknownTimezone:
        return UTC


def zone_label(local: datetime) -> str:
    """The zone's abbreviation ("EST", "CET"); a fixed-offset zone names itself ("UTC+05:30"); a zone whose
    abbreviation is a bare number ("+0530", some IANA zones) is shown as its offset the same way."""
    name = local.tzname() or "UTC"
    if name[0].isalpha():
        return name
    minutes = int((local.utcoffset() or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def store_time_text(instant: datetime | None, store: Any) -> str:
    """The instant as the store's wall-clock time with its zone; "" for no instant."""
    if instant is None:
        return ""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    local = instant.astimezone(zone_of(store))
    return f"{local.strftime(FORMAT)} {zone_label(local)}"


@register.filter
def store_time(instant: datetime | None, store: Any) -> SafeString | str:
    """`<time>` with the store-zone text, the UTC instant in `datetime` and the title."""
    text = store_time_text(instant, store)
    if not text:
        return ""
    utc = instant.astimezone(UTC) if instant.tzinfo else instant.replace(tzinfo=UTC)  # type: ignore[union-attr]
    return format_html('<time datetime="{}" title="{} UTC">{}</time>', utc.isoformat(), utc.strftime(FORMAT), text)


@register.filter
def store_time_plain(instant: datetime | None, store: Any) -> str:
    """The same text without markup, for a title attribute."""
    return store_time_text(instant, store)

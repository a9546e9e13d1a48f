"""Time as WordPress handles it: UTC instants stored, store-local wall clocks printed, naive ISO strings.

Every timestamp in the fake is an integer of UTC seconds; the REST layer prints `date_x` in the store's time
zone and `date_x_gmt` in UTC, both without an offset, as `wc_rest_prepare_date_response` does.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

# WordPress rest_parse_date(): RFC 3339 date-time, an offset is optional, a date alone is refused.
_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$")


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def utc_str(ts: int | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def local_str(ts: int | None, tz: str) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, zone(tz)).strftime("%Y-%m-%dT%H:%M:%S")


def parse_utc_naive(text: str | None) -> int | None:
    """A `*_gmt` value from a WooCommerce payload (naive, UTC) to UTC seconds."""
    if not text:
        return None
    dt = datetime.strptime(text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    return int(dt.timestamp())


def utc_offset_seconds(ts: int, tz: str) -> int:
    offset = datetime.fromtimestamp(ts, zone(tz)).utcoffset() or timedelta(0)
    return int(offset.total_seconds())


def gmt_offset_hours(tz: str, at: int) -> int | float:
    """`gmt_offset` of the REST index: hours as a number (-5, 5.5), for the offset in force now."""
    hours = utc_offset_seconds(at, tz) / 3600
    return int(hours) if hours == int(hours) else hours


def is_valid_rest_date(value: str) -> bool:
    return bool(_RFC3339.match(value))


def filter_cutoff(value: str, dates_are_gmt: bool, tz: str) -> int:
    """The UTC instant a date filter really compares against, quirks included (FINDINGS §5, measured on HPOS).

    naive + dates_are_gmt=false: store-local wall clock; naive + true: UTC; offset + false: the right instant;
    offset + true: the instant shifted by the store's UTC offset (New York returns extra older rows, Tokyo misses
    rows). Callers compare strictly (`>` / `<`).
    """
    m = _RFC3339.match(value)
    if not m:
        raise ValueError(value)
    year, month, day, hour, minute, second = (int(m.group(i)) for i in range(1, 7))
    naive = datetime(year, month, day, hour, minute, second)
    suffix = m.group(8)
    if suffix is None:
        if dates_are_gmt:
            return int(naive.replace(tzinfo=UTC).timestamp())
        return int(naive.replace(tzinfo=zone(tz)).timestamp())
    if suffix in ("Z", "z"):
        offset = 0
    else:
        sign = -1 if suffix[0] == "-" else 1
        digits = suffix[1:].replace(":", "")
        offset = sign * (int(digits[:2]) * 3600 + (int(digits[2:4]) * 60 if len(digits) > 2 else 0))
    instant = int(naive.replace(tzinfo=UTC).timestamp()) - offset
    if dates_are_gmt:
        return instant + utc_offset_seconds(instant, tz)
    return instant

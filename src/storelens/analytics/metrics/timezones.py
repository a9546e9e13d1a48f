"""Store time zones: the one place that turns a UTC instant into the store's calendar day.

WooCommerce keeps `*_gmt` dates in UTC and reports by the store's wall-clock day. Which zone that is comes from
`storelens.stores.zones.store_timezone` (the store's own settings); these functions take it as `tz`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo


def local_day(instant: datetime, tz: tzinfo) -> date:
    """The store's calendar day of a UTC instant (naive datetimes are taken as UTC, as WooCommerce's `_gmt` are)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(tz).date()


def local_time(instant: datetime, tz: tzinfo) -> datetime:
    """The store's wall-clock time of a UTC instant: its `.date()` is `local_day`, its `.hour` the heatmap's column
    (in the hour a DST change repeats, both instants fall in the same local hour, as the owner's clock showed)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(tz)


def day_start_utc(day: date, tz: tzinfo) -> datetime:
    """The UTC instant at which `day` begins in the store's zone (a DST day is 23 or 25 hours long)."""
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)


def range_bounds_utc(first: date, last: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """Half-open UTC interval [start, end) covering the whole local days `first`..`last` inclusive."""
    return day_start_utc(first, tz), day_start_utc(last + timedelta(days=1), tz)

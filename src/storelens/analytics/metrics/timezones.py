"""Store time zones: the one place that turns a UTC instant into the store's calendar day.

WooCommerce keeps `*_gmt` dates in UTC and reports by the store's wall-clock day. The zone is the IANA name from the
store's `timezone_string` when it has one (so DST is honoured), else the fixed `gmt_offset` in hours (WordPress lets
an owner pick "UTC+5:30" instead of a city; such a store never changes offset).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class UnknownTimezone(ValueError):
    """The store names a zone this machine's tz database does not know; install tzdata or fix the store setting."""


def store_timezone(timezone_string: str | None, gmt_offset: Decimal | float | int | str | None = 0) -> tzinfo:
    """The store's zone: IANA `timezone_string` first, else the fixed `gmt_offset` (hours, may be fractional)."""
    name = (timezone_string or "").strip()
    if name and not name.upper().startswith("UTC+") and not name.upper().startswith("UTC-"):
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise UnknownTimezone(
                f"The store's time zone {name!r} is unknown here; install the tzdata package or set the store's zone "
                "to a city in WordPress Settings → General."
            ) from exc
    if name:
        # WordPress stores manual offsets as gmt_offset, but a timezone_string of "UTC+2" also occurs on old sites.
        gmt_offset = name[3:]
    minutes = int((Decimal(str(gmt_offset or 0)) * 60).to_integral_value())
    if minutes == 0:
        return UTC
    return timezone(timedelta(minutes=minutes))


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

"""A store's time zone, read from its WordPress settings (`timezone_string`, `gmt_offset`, kept on the `Store`).

It lives here, with the store, rather than beside the calendar arithmetic in `analytics.metrics.timezones`,
because the store pages show times on the store's clock too and `stores` sits below `analytics`. Pure Python: the
analytics definitions import it without Django.

The zone is the IANA name from `timezone_string` when the store has one (so DST is honoured), else the fixed
`gmt_offset` in hours (WordPress lets an owner pick "UTC+5:30" instead of a city; such a store never changes offset).
"""

from __future__ import annotations

from datetime import UTC, timedelta, timezone, tzinfo
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

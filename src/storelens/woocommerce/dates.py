"""Dates as WooCommerce wants them and gives them.

Filters: send naive UTC `YYYY-MM-DDTHH:MM:SS` with `dates_are_gmt=true`. An offset or `Z` together with
`dates_are_gmt=true` is shifted by the store's UTC offset (measured: a Tokyo store then misses 9 hours of changes),
so `gmt_filter` refuses to produce one. Objects: `*_gmt` fields are UTC without an offset; the local fields use the
store's *current* time zone and shift when it changes, so only `*_gmt` is read.
"""

from __future__ import annotations

from datetime import UTC, datetime


def format_gmt(moment: datetime) -> str:
    """Naive UTC `YYYY-MM-DDTHH:MM:SS` (seconds precision, what WordPress compares on) for a filter value.

    Aware datetimes are converted to UTC; naive ones are taken to be UTC already.
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%S")


def gmt_filter(
    *,
    modified_after: datetime | None = None,
    modified_before: datetime | None = None,
    after: datetime | None = None,
    before: datetime | None = None,
) -> dict[str, str]:
    """Query parameters for a date window, always with `dates_are_gmt=true` and naive UTC values.

    WordPress compares strictly (`>` / `<`) at one-second granularity: callers overlap windows and de-duplicate by id.
    """
    params: dict[str, str] = {}
    for name, value in (
        ("modified_after", modified_after),
        ("modified_before", modified_before),
        ("after", after),
        ("before", before),
    ):
        if value is not None:
            params[name] = format_gmt(value)
    if params:
        params["dates_are_gmt"] = "true"
    return params


def parse_gmt(value: str | None) -> datetime | None:
    """A `*_gmt` field as an aware UTC datetime; None for null/empty (unset `date_paid`, `date_completed`).

    Tolerates a trailing `Z` or offset (some plugins add one) by converting to UTC.
    """
    if value is None:
        return None
    value = value.strip()
    if not value or value.startswith("0000-00-00"):
        return None
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)

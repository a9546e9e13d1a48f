"""A store's reporting settings as `definitions.ReportSettings`, with one-off overrides (CLI, API, pages)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from storelens.analytics.definitions import DEFAULT_EXCLUDED, DateBasis, ReportSettings
from storelens.analytics.timezones import store_timezone


def report_settings(
    store: Any, date_basis: str | None = None, excluded_statuses: Iterable[str] | None = None
) -> ReportSettings:
    """The store's own settings (date basis, excluded statuses, zone), each replaceable for one report."""
    basis = DateBasis(date_basis or store.date_basis or DateBasis.PAID)
    if excluded_statuses is None:
        stored = store.excluded_statuses
        excluded_statuses = DEFAULT_EXCLUDED if stored is None else stored
    return ReportSettings(
        tz=store_timezone(store.timezone_string, store.gmt_offset),
        date_basis=basis,
        excluded_statuses=frozenset(s.strip() for s in excluded_statuses if s.strip()),
    )

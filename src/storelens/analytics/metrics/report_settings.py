"""How a store's numbers are cut (`ReportSettings`: date basis, excluded statuses, time zone), and a store's own
settings as one, with one-off overrides (CLI, API, pages)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from storelens.stores.reporting import ALWAYS_EXCLUDED, DateBasis
from storelens.stores.zones import store_timezone
from storelens.woocommerce.analytics_settings import DEFAULT_EXCLUDED_STATUSES


@dataclass(frozen=True)
class ReportSettings:
    """How a store's numbers are cut: the date basis, the excluded statuses and the store's zone."""

    tz: tzinfo
    date_basis: DateBasis = DateBasis.PAID
    excluded_statuses: frozenset[str] = frozenset(DEFAULT_EXCLUDED_STATUSES)

    @property
    def all_excluded(self) -> frozenset[str]:
        return frozenset(self.excluded_statuses) | ALWAYS_EXCLUDED


def report_settings(
    store: Any, date_basis: str | None = None, excluded_statuses: Iterable[str] | None = None
) -> ReportSettings:
    """The store's own settings (date basis, excluded statuses, zone), each replaceable for one report."""
    basis = DateBasis(date_basis or store.date_basis or DateBasis.PAID)
    if excluded_statuses is None:
        stored = store.excluded_statuses
        excluded_statuses = DEFAULT_EXCLUDED_STATUSES if stored is None else stored
    return ReportSettings(
        tz=store_timezone(store.timezone_string, store.gmt_offset),
        date_basis=basis,
        excluded_statuses=frozenset(s.strip() for s in excluded_statuses if s.strip()),
    )

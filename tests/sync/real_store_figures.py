"""What a real store's own Analytics tables say (tests/realstore/truth.py), in the shape Storelens prints figures:
the keys both share, as strings, per day and in total, over a range that holds every date the store has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tests.realstore import truth

# The figures wc_order_stats holds and Storelens reports under the same name and definition (truth.as_report_json).
FIGURES = ("orders", "net_sales", "total_sales", "taxes", "shipping", "refunds", "items_sold")


def pick(figures: dict[str, Any]) -> dict[str, str]:
    """The shared figures of a report, an API summary or a series point, as strings."""
    return {name: str(figures[name]) for name in FIGURES}


@dataclass
class Expected:
    first: date
    last: date
    days: dict[str, dict[str, str]]  # ISO day → figures, only days with any
    total: dict[str, str]
    zero: dict[str, str]  # a day without any figure, as Storelens prints it

    def nonzero(self, points: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
        """An API series' days that have any figure, keyed like `days`."""
        return {p["period"]: pick(p) for p in points if pick(p) != self.zero}


def expected(store: Any, date_basis: str | None = None, excluded: list[str] | None = None) -> Expected:
    """The store's figures on its own Analytics settings or with these overrides (the store's queue must have run).

    The range runs from the earliest to the latest date `wc_order_stats` holds (created, paid, completed), so no
    figure on any basis falls outside it."""
    rows = truth.read_stats(store.sql)
    stamps = [d for r in rows for d in (r.date_created, r.date_paid, r.date_completed) if d is not None]
    first, last = min(stamps).date(), max(stamps).date()
    found = truth.truth(store.sql, date_basis=date_basis, excluded=excluded, first=first, last=last)
    currency = found.settings.currency
    zero = pick(truth.as_report_json(truth.DayTotals(), currency))
    days = {d.isoformat(): pick(truth.as_report_json(t, currency)) for d, t in sorted(found.daily.items())}
    return Expected(
        first=first,
        last=last,
        days={d: v for d, v in days.items() if v != zero},
        total=pick(truth.as_report_json(found.total, currency)),
        zero=zero,
    )


def day_differences(mine: dict[str, dict[str, str]], theirs: dict[str, dict[str, str]]) -> dict[str, dict]:
    """Per differing day, each differing figure as (Storelens, store): the assertion message a reader can act on."""
    out: dict[str, dict] = {}
    for day in sorted(set(mine) | set(theirs)):
        a, b = mine.get(day, {}), theirs.get(day, {})
        if a != b:
            out[day] = {k: (a.get(k), b.get(k)) for k in FIGURES if a.get(k) != b.get(k)}
    return out

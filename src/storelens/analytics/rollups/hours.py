"""The hourly cells of the Sales heatmap: `Deltas` keyed by the local hour as well, written to `HourlyRollup`.

They move with the daily cells, from the same moves of the same page (`daily.on_changes`), so the hours of a day
always add up to that day's orders and net sales.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from storelens.analytics.metrics.types import Contribution
from storelens.analytics.models import HourlyRollup
from storelens.analytics.rollups.cells import Deltas, add_to_cells
from storelens.stores.reporting import DateBasis

HOUR_FIGURES: dict[str, str] = {"orders": "orders", "net_sales": "net_sales_minor"}
"""`Totals` field → `HourlyRollup` column: the two figures the heatmap shows."""


class HourDeltas(Deltas):
    """Deltas keyed by (basis, day, hour, weekday, currency, status): the columns of `HourlyRollup`'s cell (the
    weekday follows from the day; it is in the key so the upsert's conflict target matches the unique index)."""

    KEY_COLUMNS = ("basis", "day", "hour", "weekday", "currency", "status")

    def key(self, basis: DateBasis, c: Contribution) -> tuple[Any, ...]:
        return (basis.value, c.day, c.hour, c.day.weekday(), c.currency, c.status)


def apply_hours(store: Any, deltas: HourDeltas) -> None:
    """Add each delta that moves orders or net sales to its hourly cell (a refund of shipping alone moves neither)."""
    adapt = connection.ops.adapt_datefield_value
    rows = []
    for (basis, day, hour, weekday, currency, status), t in deltas.nonzero().items():
        if t.orders or t.net_sales:
            rows.append((store.pk, basis, adapt(day), hour, weekday, currency, status, t.orders, t.net_sales))
    add_to_cells(HourlyRollup, ["store_id", *HourDeltas.KEY_COLUMNS], list(HOUR_FIGURES.values()), rows)

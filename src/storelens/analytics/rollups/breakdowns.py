"""The cells of the breakdown reports (coupons, payment methods, shipping methods): `Deltas` that split each
contribution over its order's values, written to `BreakdownDailyRollup`.

They move with the daily cells, from the same moves of the same page (`daily.on_changes`). Per dimension, an order
with one value adds exactly its daily contribution (orders, net sales, its discount), so the payment-method cells
of a day add up to that day's daily cell; shipping methods and coupons may hold several values per order, and each
one holds the whole order (a coupon holds its own discount).
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from storelens.analytics.metrics.types import Contribution
from storelens.analytics.models import BreakdownDailyRollup
from storelens.analytics.rollups.cells import Deltas, add_to_cells
from storelens.stores.reporting import DateBasis

DIMENSIONS = ("coupon", "payment", "shipping")
FIGURES = ("orders", "net_sales_minor", "discount_minor")


class BreakdownDeltas(Deltas):
    """Signed [orders, net sales, discount] per (basis, dimension, value, day, currency, status)."""

    KEY_COLUMNS = ("basis", "dimension", "value", "day", "currency", "status")

    def add(self, basis: DateBasis, c: Contribution | None, sign: int) -> None:
        if c is None or c.order is None:
            return
        o, t = c.order, c.totals
        orders, net = t.orders * sign, t.net_sales * sign
        b = basis.value
        self._move((b, "payment", o.payment, c.day, c.currency, c.status), orders, net, t.coupons * sign)
        for method in o.shipping or ("",):
            self._move((b, "shipping", method, c.day, c.currency, c.status), orders, net, t.coupons * sign)
        for code, discount in o.coupons:
            # A refund moves net sales only; the coupon's discount belongs to the order's own contribution.
            self._move((b, "coupon", code, c.day, c.currency, c.status), orders, net, discount * sign if orders else 0)

    def _move(self, key: tuple[Any, ...], orders: int, net: int, discount: int) -> None:
        cell = self.cells.get(key)
        if cell is None:
            self.cells[key] = [orders, net, discount]
        else:
            cell[0] += orders
            cell[1] += net
            cell[2] += discount

    def nonzero_cells(self) -> dict[tuple[Any, ...], list[int]]:
        return {k: v for k, v in self.cells.items() if any(v)}


def apply_breakdowns(store: Any, deltas: BreakdownDeltas) -> None:
    """Add each non-zero delta to its breakdown cell (`cells.add_to_cells`)."""
    adapt = connection.ops.adapt_datefield_value
    rows = [
        (store.pk, basis, dimension, value, adapt(day), currency, status, *figures)
        for (basis, dimension, value, day, currency, status), figures in deltas.nonzero_cells().items()
    ]
    add_to_cells(BreakdownDailyRollup, ["store_id", *BreakdownDeltas.KEY_COLUMNS], list(FIGURES), rows)

"""Keeping `ProductDailyRollup` in step with the raw rows, inside the sync's page transaction.

The same bookkeeping as `rollups.daily` (read its docstring): the cells move by exactly C(after) − C(before), where C is
every per-product contribution (`metrics.products`). A refund's cells depend on its order (currency, status, and
whether it can be counted), so a changed order also moves its unchanged refunds' lines, and a refund that arrives
before its order contributes nothing until the order arrives. The change feed carries each order's and refund's lines
in its states; only the lines of unchanged refunds of changed orders are read from the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction

from storelens.analytics.metrics.day_blocks import SPANS, block_start
from storelens.analytics.metrics.orders import order_day, order_has_basis_date
from storelens.analytics.metrics.products import (
    PRODUCT_TOTALS_NAMES,
    ProductCell,
    ProductLineRow,
    ProductTotals,
    order_product_contributions,
    refund_product_contributions,
)
from storelens.analytics.metrics.types import OrderRow, RefundRow
from storelens.analytics.models import PRODUCT_COLUMNS, ProductDailyRollup
from storelens.analytics.rollups.cells import add_to_cells
from storelens.analytics.rollups.rows import (
    ORDER_FIELDS,
    REFUND_FIELDS,
    order_row_from_state,
    order_row_from_values,
    refund_row_from_state,
    refund_row_from_values,
)
from storelens.stores.reporting import DateBasis
from storelens.stores.zones import store_timezone

if TYPE_CHECKING:
    from datetime import tzinfo

    from storelens.commerce.changes import LineSummary, OrderChange, RefundChange

Key = tuple[str, int, Any, str, str, int, int]  # basis, span, day (block start), currency, status, product, variation
LINE_COLUMNS = ("product_wc_id", "variation_wc_id", "quantity", "subtotal_minor", "total_minor")


class ProductDeltas:
    """Signed per-product sums per day cell, built in memory and written once per page; `nonzero` spreads them over
    the wider blocks holding each day (`day_blocks`), once per cell rather than once per contribution.

    Why plain lists and a C attrgetter instead of `ProductTotals.add`: the listener adds ~3 cells per order line on
    every basis, tens of thousands per import, and a Python loop of getattr/setattr per figure was most of its time.
    """

    def __init__(self) -> None:
        self.days: dict[tuple, list[int]] = {}

    def add(self, basis: DateBasis, contributions: dict[ProductCell, ProductTotals], sign: int) -> None:
        days, b = self.days, basis.value
        for (day, currency, status, product, variation), totals in contributions.items():
            key = (b, day, currency, status, product, variation)
            values = _figures(totals)
            cell = days.get(key)
            if cell is None:
                days[key] = [v for v in values] if sign > 0 else [-v for v in values]
            elif sign > 0:
                days[key] = [a + v for a, v in zip(cell, values, strict=True)]
            else:
                days[key] = [a - v for a, v in zip(cell, values, strict=True)]

    def nonzero(self) -> dict[Key, list[int]]:
        out: dict[Key, list[int]] = {}
        blocks: dict[Any, list[tuple[int, Any]]] = {}  # day → its (span, block start) pairs, computed once per day
        for key, values in self.days.items():
            if not any(values):
                continue
            basis, day, rest = key[0], key[1], key[2:]
            starts = blocks.get(day)
            if starts is None:
                starts = blocks[day] = [(span, block_start(day, span)) for span in SPANS]
            for span, start in starts:
                block = (basis, span, start, *rest)
                cell = out.get(block)
                out[block] = values if cell is None else [a + v for a, v in zip(cell, values, strict=True)]
        return {k: v for k, v in out.items() if any(v)}


_figures = attrgetter(*PRODUCT_TOTALS_NAMES)  # a ProductTotals' figures as a tuple, in PRODUCT_TOTALS_NAMES order


def lines_of(summaries: Iterable[LineSummary]) -> tuple[ProductLineRow, ...]:
    return tuple(
        ProductLineRow(s.product_wc_id, s.variation_wc_id, s.quantity, s.subtotal_minor, s.total_minor)
        for s in summaries
    )


def line_row(values: tuple) -> ProductLineRow:
    """From `values_list(*LINE_COLUMNS)` of a LineItem or RefundLine."""
    return ProductLineRow(*values)


def on_changes(store: Any, order_changes: list[OrderChange], refund_changes: list[RefundChange]) -> None:
    """The change-feed listener: turn one page's changes into per-product deltas and write them."""
    tz = store_timezone(store.timezone_string, store.gmt_offset)
    with transaction.atomic():  # a savepoint inside the sync's page transaction
        apply(store, deltas_for(store, tz, order_changes, refund_changes))


Versioned = tuple[OrderRow, tuple[ProductLineRow, ...]]
RefundVersion = tuple[RefundRow, tuple[ProductLineRow, ...]]


@dataclass
class PageVersions:
    """A page's products before and after it, as both product listeners (these cells, and buyers/pairs in
    `product_orders`) read them: each changed order and refund with its lines, old and new (None: absent), and the
    unchanged refunds of changed orders, which move with their order."""

    old_orders: dict[int, Versioned | None]
    new_orders: dict[int, Versioned | None]
    old_refunds: dict[int, RefundVersion | None]
    new_refunds: dict[int, RefundVersion | None]
    stable_refunds: list[RefundVersion]

    def refund_parents(self) -> set[int]:
        """Orders of changed refunds that did not change themselves (their rows are read, they do not move)."""
        parents = {v[0].order_id for v in [*self.old_refunds.values(), *self.new_refunds.values()] if v is not None}
        return parents - set(self.new_orders)


def page_versions(
    store: Any, order_changes: Iterable[OrderChange], refund_changes: Iterable[RefundChange]
) -> PageVersions:
    from storelens.commerce.models import Refund, RefundLine

    old_orders: dict[int, Versioned | None] = {}
    new_orders: dict[int, Versioned | None] = {}
    for ch in order_changes:
        old_orders.setdefault(ch.wc_id, (order_row_from_state(ch.old), lines_of(ch.old.lines)) if ch.old else None)
        new_orders[ch.wc_id] = (order_row_from_state(ch.new), lines_of(ch.new.lines)) if ch.new else None
    old_refunds: dict[int, RefundVersion | None] = {}
    new_refunds: dict[int, RefundVersion | None] = {}
    for rc in refund_changes:
        old_refunds.setdefault(rc.wc_id, (refund_row_from_state(rc.old), lines_of(rc.old.lines)) if rc.old else None)
        new_refunds[rc.wc_id] = (refund_row_from_state(rc.new), lines_of(rc.new.lines)) if rc.new else None
    stable_refunds: list[RefundVersion] = []
    if new_orders:
        rows = {
            v["pk"]: refund_row_from_values(v)
            for v in Refund.objects.filter(store=store, parent_wc_id__in=list(new_orders))
            .exclude(wc_id__in=list(new_refunds))
            .values("pk", *REFUND_FIELDS)
        }
        lines: dict[int, list[ProductLineRow]] = defaultdict(list)
        for refund_pk, *values in RefundLine.objects.filter(refund_id__in=list(rows)).values_list(
            "refund_id", *LINE_COLUMNS
        ):
            lines[refund_pk].append(line_row(tuple(values)))
        stable_refunds = [(row, tuple(lines.get(pk, ()))) for pk, row in rows.items()]
    return PageVersions(old_orders, new_orders, old_refunds, new_refunds, stable_refunds)


def deltas_for(
    store: Any, tz: tzinfo, order_changes: Iterable[OrderChange], refund_changes: Iterable[RefundChange]
) -> ProductDeltas:
    from storelens.commerce.models import Order

    page = page_versions(store, order_changes, refund_changes)
    old_orders, new_orders = page.old_orders, page.new_orders
    old_refunds, new_refunds, stable_refunds = page.old_refunds, page.new_refunds, page.stable_refunds
    # Unchanged orders of changed refunds: same row before and after (their own lines do not move).
    stable_orders: dict[int, OrderRow] = {}
    missing = page.refund_parents()
    if missing:
        for v in Order.objects.filter(store=store, wc_id__in=list(missing)).values(*ORDER_FIELDS):
            stable_orders[v["wc_id"]] = order_row_from_values(v)

    def order_before(order_id: int) -> OrderRow | None:
        if order_id in old_orders:
            version = old_orders[order_id]
            return version[0] if version else None
        return stable_orders.get(order_id)

    def order_after(order_id: int) -> OrderRow | None:
        if order_id in new_orders:
            version = new_orders[order_id]
            return version[0] if version else None
        return stable_orders.get(order_id)

    deltas = ProductDeltas()
    for order_id, new in new_orders.items():
        old = old_orders[order_id]
        if old is not None:
            for basis, cells in _on_every_basis(old[0], old[1], tz):
                deltas.add(basis, cells, -1)
        if new is not None:
            for basis, cells in _on_every_basis(new[0], new[1], tz):
                deltas.add(basis, cells, +1)
    for basis in DateBasis:
        for refund_id, new_r in new_refunds.items():
            old_r = old_refunds[refund_id]
            if old_r is not None:
                before = order_before(old_r[0].order_id)
                deltas.add(basis, refund_product_contributions(old_r[0], old_r[1], before, basis, tz), -1)
            if new_r is not None:
                after = order_after(new_r[0].order_id)
                deltas.add(basis, refund_product_contributions(new_r[0], new_r[1], after, basis, tz), +1)
        for refund, refund_lines in stable_refunds:
            before, after = order_before(refund.order_id), order_after(refund.order_id)
            deltas.add(basis, refund_product_contributions(refund, refund_lines, before, basis, tz), -1)
            deltas.add(basis, refund_product_contributions(refund, refund_lines, after, basis, tz), +1)
    return deltas


def _on_every_basis(
    order: OrderRow, lines: tuple[ProductLineRow, ...], tz: tzinfo
) -> Iterable[tuple[DateBasis, dict[ProductCell, ProductTotals]]]:
    """`order_product_contributions` on each basis where the order has cells, built once: they differ between bases
    only in the day (the first element of the cell), so the other bases re-key the first one's cells to their day
    instead of walking the lines again (a third of this listener's time went to three identical walks)."""
    first: dict[ProductCell, ProductTotals] | None = None
    for basis in DateBasis:
        if not order_has_basis_date(order, basis):
            continue
        if first is None:
            first = order_product_contributions(order, lines, basis, tz)
            yield basis, first
        else:
            day = order_day(order, basis, tz)
            yield basis, {(day, *cell[1:]): totals for cell, totals in first.items()}


COLUMNS = [PRODUCT_COLUMNS[n] for n in PRODUCT_TOTALS_NAMES]
KEY_COLUMNS = ["store_id", "basis", "span", "day", "currency", "status", "product_wc_id", "variation_wc_id"]


def apply(store: Any, deltas: ProductDeltas, batch: int = 200) -> None:
    """Add each non-zero delta to its cell with one upsert per cell (`add_to_cells`)."""
    cells = deltas.nonzero()
    if not cells:
        return
    adapt = connection.ops.adapt_datefield_value
    adapted: dict[Any, Any] = {}
    rows = []
    pk = store.pk
    for (basis, span, day, currency, status, product, variation), values in cells.items():
        if day not in adapted:
            adapted[day] = adapt(day)
        rows.append((pk, basis, span, adapted[day], currency, status, product, variation, *values))
    add_to_cells(ProductDailyRollup, KEY_COLUMNS, COLUMNS, rows, batch)

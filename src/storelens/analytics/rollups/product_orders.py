"""Keeping `ProductBuyerRollup` and `ProductPairRollup` (the product page's buyers and bought-together) in step with
the raw rows, inside the sync's page transaction, and rebuilding them (the repair path, `rollups.rebuild`).

The bookkeeping of `rollups.products`: cells move by C(after) − C(before) of every contribution the page's changes
touch (`metrics.product_orders`). A refund's buyer cells are its order's, so they depend on the order's version (day,
status, currency, customer, and which products it holds): a changed order also moves its unchanged refunds, and a
changed refund of an unchanged order reads that order and its lines. Pairs depend on orders only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max, Min

from storelens.analytics.metrics.orders import order_day, order_has_basis_date
from storelens.analytics.metrics.product_orders import counted_line, product_sums
from storelens.analytics.metrics.products import ProductLineRow
from storelens.analytics.metrics.types import OrderRow, RefundRow
from storelens.analytics.product_order_models import ProductBuyerRollup, ProductPairRollup
from storelens.analytics.rollups.cells import add_to_cells
from storelens.analytics.rollups.products import LINE_COLUMNS, line_row, page_versions
from storelens.analytics.rollups.rows import (
    ORDER_FIELDS,
    REFUND_FIELDS,
    order_row_from_values,
    refund_row_from_values,
)
from storelens.stores.reporting import DateBasis
from storelens.stores.zones import store_timezone

if TYPE_CHECKING:
    from datetime import tzinfo

    from storelens.commerce.changes import OrderChange, RefundChange

Lines = tuple[ProductLineRow, ...]
OrderVersion = tuple[OrderRow, Lines]
RefundVersion = tuple[RefundRow, Lines]
BUYER_KEYS = ["store_id", "product_wc_id", "basis", "day", "status", "currency", "customer_key"]
BUYER_COLUMNS = ["orders", "units", "net_minor"]
PAIR_KEYS = ["store_id", "product_wc_id", "basis", "day", "status", "other_wc_id"]


class Deltas:
    """Signed sums per buyer cell and per pair cell, built in memory and written once per page.

    Why not `metrics.product_orders`' per-basis dicts: an import adds every order once per basis, and the cells of
    the three bases differ only in the day; the order's product sums (and its pairs) are computed once per version
    and keyed by each basis's day here (the same definitions: `product_sums`, `order_has_basis_date`, `order_day`).
    Pairs are day cells only (no wider blocks): blocks multiplied the listener's upserts by four for the pairs, the
    costliest part of it in an import (issue 17's single writer is CPU-bound).
    """

    def __init__(self) -> None:
        self.buyers: dict[tuple, list[int]] = {}
        self.pairs: dict[tuple, int] = defaultdict(int)

    def order(self, version: OrderVersion | None, tz: tzinfo, sign: int) -> None:
        if version is None:
            return
        row, lines = version
        days = _days(row, tz)
        if not days:
            return
        sums = product_sums(lines)
        products = sorted(p for p in sums if p)
        buyers, pairs = self.buyers, self.pairs
        status, currency, key = row.status, row.currency, row.customer_key
        for basis, day in days:
            for product, (units, net) in sums.items():
                cell = buyers.get((product, basis, day, status, currency, key))
                if cell is None:
                    buyers[(product, basis, day, status, currency, key)] = [sign, sign * units, sign * net]
                else:
                    cell[0] += sign
                    cell[1] += sign * units
                    cell[2] += sign * net
            for p in products:
                for q in products:
                    if p != q:
                        pairs[(p, basis, day, status, q)] += sign

    def refund(self, version: RefundVersion | None, order: OrderVersion | None, tz: tzinfo, sign: int) -> None:
        """`refund_buyer_contributions`, keyed by each basis's day of the order."""
        if version is None or order is None or version[0].deleted:
            return
        row, order_lines = order
        days = _days(row, tz)
        if not days:
            return
        held = {line.product_id for line in order_lines if counted_line(line)}
        sums = [(p, -abs(units), net) for p, (units, net) in product_sums(version[1]).items() if p in held]
        status, currency, key = row.status, row.currency, row.customer_key
        for basis, day in days:
            for product, units, net in sums:
                cell = self.buyers.setdefault((product, basis, day, status, currency, key), [0, 0, 0])
                cell[1] += sign * units
                cell[2] += sign * net

    def rows(self, store_id: int) -> tuple[list[tuple], list[tuple]]:
        from django.db import connection

        adapt = connection.ops.adapt_datefield_value
        adapted: dict[Any, Any] = {}

        def day_of(day: Any) -> Any:
            found = adapted.get(day)
            if found is None:
                found = adapted[day] = adapt(day)
            return found

        buyers = [
            (store_id, product, basis, day_of(day), status, currency, key, *values)
            for (product, basis, day, status, currency, key), values in self.buyers.items()
            if any(values)
        ]
        pairs = [
            (store_id, product, basis, day_of(day), status, other, n)
            for (product, basis, day, status, other), n in self.pairs.items()
            if n
        ]
        return buyers, pairs


def _days(order: OrderRow, tz: tzinfo) -> list[tuple[str, Any]]:
    """(basis, the order's local day on it) for every basis the order can be counted on."""
    return [(basis.value, order_day(order, basis, tz)) for basis in DateBasis if order_has_basis_date(order, basis)]


def on_changes(store: Any, order_changes: list[OrderChange], refund_changes: list[RefundChange]) -> None:
    """The change-feed listener: this page's buyer and pair deltas, written once."""
    tz = store_timezone(store.timezone_string, store.gmt_offset)
    with transaction.atomic():  # a savepoint inside the sync's page transaction
        apply(store, deltas_for(store, tz, order_changes, refund_changes))


def _order_versions(store: Any, wc_ids: Iterable[int]) -> dict[int, OrderVersion]:
    """Orders as stored now, with their lines (two indexed reads)."""
    from storelens.commerce.models import LineItem, Order

    rows = {
        v["pk"]: order_row_from_values(v)
        for v in Order.objects.filter(store=store, wc_id__in=list(wc_ids)).values("pk", *ORDER_FIELDS)
    }
    lines: dict[int, list[ProductLineRow]] = defaultdict(list)
    for order_pk, *values in LineItem.objects.filter(order_id__in=list(rows)).values_list("order_id", *LINE_COLUMNS):
        lines[order_pk].append(line_row(tuple(values)))
    return {row.id: (row, tuple(lines.get(pk, ()))) for pk, row in rows.items()}


def deltas_for(
    store: Any, tz: tzinfo, order_changes: Iterable[OrderChange], refund_changes: Iterable[RefundChange]
) -> Deltas:
    page = page_versions(store, order_changes, refund_changes)
    old_orders, new_orders = page.old_orders, page.new_orders
    old_refunds, new_refunds, stable_refunds = page.old_refunds, page.new_refunds, page.stable_refunds
    parents = page.refund_parents()
    stable_orders = _order_versions(store, parents) if parents else {}

    def before(order_id: int) -> OrderVersion | None:
        return old_orders[order_id] if order_id in old_orders else stable_orders.get(order_id)

    def after(order_id: int) -> OrderVersion | None:
        return new_orders[order_id] if order_id in new_orders else stable_orders.get(order_id)

    deltas = Deltas()
    for order_id, new in new_orders.items():
        deltas.order(old_orders[order_id], tz, -1)
        deltas.order(new, tz, +1)
    for refund_id, new_r in new_refunds.items():
        old_r = old_refunds[refund_id]
        if old_r is not None:
            deltas.refund(old_r, before(old_r[0].order_id), tz, -1)
        if new_r is not None:
            deltas.refund(new_r, after(new_r[0].order_id), tz, +1)
    for refund in stable_refunds:
        deltas.refund(refund, before(refund[0].order_id), tz, -1)
        deltas.refund(refund, after(refund[0].order_id), tz, +1)
    return deltas


def apply(store: Any, deltas: Deltas) -> None:
    """Add each non-zero delta to its cell (`add_to_cells`: one upsert per cell)."""
    buyers, pairs = deltas.rows(store.pk)
    add_to_cells(ProductBuyerRollup, BUYER_KEYS, BUYER_COLUMNS, buyers)
    add_to_cells(ProductPairRollup, PAIR_KEYS, ["orders"], pairs)


def rebuild(store: Any, chunk: int = 20000) -> tuple[int, int]:
    """Every buyer and pair cell of a source from its raw rows: orders in primary-key windows with their lines,
    then every refund with its order (kept from the windows, refunded orders only). Returns the cell counts."""
    from storelens.commerce.models import LineItem, Order, Refund, RefundLine

    tz = store_timezone(store.timezone_string, store.gmt_offset)
    refunds = {
        v["pk"]: refund_row_from_values(v) for v in Refund.objects.filter(store=store).values("pk", *REFUND_FIELDS)
    }
    refunded = {r.order_id for r in refunds.values()}
    parents: dict[int, OrderVersion] = {}
    deltas = Deltas()
    bounds = Order.objects.filter(store=store).aggregate(lo=Min("pk"), hi=Max("pk"))
    lo, hi = bounds["lo"], bounds["hi"]
    while lo is not None and lo <= hi:
        rows = {
            v["pk"]: order_row_from_values(v)
            for v in Order.objects.filter(store=store, pk__gte=lo, pk__lt=lo + chunk).values("pk", *ORDER_FIELDS)
        }
        lines: dict[int, list[ProductLineRow]] = defaultdict(list)
        for order_pk, *values in LineItem.objects.filter(
            store=store, order_id__gte=lo, order_id__lt=lo + chunk
        ).values_list("order_id", *LINE_COLUMNS):
            lines[order_pk].append(line_row(tuple(values)))
        for pk, row in rows.items():
            version = (row, tuple(lines.get(pk, ())))
            deltas.order(version, tz, +1)
            if row.id in refunded:
                parents[row.id] = version
        lo += chunk
    refund_lines: dict[int, list[ProductLineRow]] = defaultdict(list)
    for refund_pk, *values in RefundLine.objects.filter(store=store).values_list("refund_id", *LINE_COLUMNS):
        refund_lines[refund_pk].append(line_row(tuple(values)))
    for pk, refund in refunds.items():
        deltas.refund((refund, tuple(refund_lines.get(pk, ()))), parents.get(refund.order_id), tz, +1)
    buyers, pairs = deltas.rows(store.pk)
    with transaction.atomic():
        ProductBuyerRollup.objects.filter(store=store).delete()
        ProductPairRollup.objects.filter(store=store).delete()
        add_to_cells(ProductBuyerRollup, BUYER_KEYS, BUYER_COLUMNS, buyers, batch=2000)
        add_to_cells(ProductPairRollup, PAIR_KEYS, ["orders"], pairs, batch=2000)
    return len(buyers), len(pairs)

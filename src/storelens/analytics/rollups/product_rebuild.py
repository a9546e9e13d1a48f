"""Rebuilding `ProductDailyRollup` from raw rows: the repair path (`rollups.rebuild.rebuild` calls it), also after
rows were seeded straight into the tables.

It applies exactly `metrics.products` (orders: `order_product_contributions`; refunds, few, through the function
itself), but sums a store's million orders and three million lines in plain tuples and lists instead of one
`ProductTotals` per line: the per-line dataclasses made a rebuild at 1M orders take minutes. That the two ways agree
is checked by the property test (`tests/analytics/rollups/test_products_property.py`: incremental cells ==
rebuilt cells).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min

from storelens.analytics.metrics.day_blocks import SPANS, block_start
from storelens.analytics.metrics.orders import DATE_FIELD
from storelens.analytics.metrics.products import PRODUCT_TOTALS_NAMES, ProductLineRow, refund_product_contributions
from storelens.analytics.metrics.timezones import local_day
from storelens.analytics.metrics.types import OrderRow
from storelens.analytics.models import PRODUCT_COLUMNS, ProductDailyRollup
from storelens.analytics.rollups.rows import REFUND_FIELDS, refund_row_from_values
from storelens.stores.reporting import ALWAYS_EXCLUDED, DateBasis
from storelens.stores.zones import store_timezone

LINE_COLUMNS = ("product_wc_id", "variation_wc_id", "quantity", "subtotal_minor", "total_minor")
KEY_COLUMNS = ["store_id", "basis", "span", "day", "currency", "status", "product_wc_id", "variation_wc_id"]
COLUMNS = [PRODUCT_COLUMNS[n] for n in PRODUCT_TOTALS_NAMES]
DATE_COLUMNS = tuple(DATE_FIELD[basis] for basis in DateBasis)
BASES = tuple(basis.value for basis in DateBasis)  # created, paid, completed: the order of DATE_COLUMNS

Cells = dict[tuple, list[int]]  # (basis, day, currency, status, product, variation) → values in PRODUCT_TOTALS_NAMES


def rebuild(store: Any, chunk: int = 20000) -> int:
    """Every per-product cell of a source from its raw rows. Orders are read in primary-key windows, each with its
    lines through the line items' order index, so memory holds one window and the cells. Returns the cell count."""
    from storelens.commerce.models import Order, Refund, RefundLine

    tz = store_timezone(store.timezone_string, store.gmt_offset)
    refunds = {
        v["pk"]: refund_row_from_values(v) for v in Refund.objects.filter(store=store).values("pk", *REFUND_FIELDS)
    }
    refunded = {r.order_id for r in refunds.values()}
    parents: dict[int, OrderRow] = {}
    cells: Cells = defaultdict(lambda: [0] * len(COLUMNS))
    bounds = Order.objects.filter(store=store).aggregate(lo=Min("pk"), hi=Max("pk"))
    lo, hi = bounds["lo"], bounds["hi"]
    while lo is not None and lo <= hi:
        heads: dict[int, list[tuple]] = {}
        window = Order.objects.filter(store=store, pk__gte=lo, pk__lt=lo + chunk)
        for pk, wc_id, status, currency, created, paid, completed, deleted in window.values_list(
            "pk", "wc_id", "status", "currency", *DATE_COLUMNS, "deleted_at"
        ):
            if wc_id in refunded:
                parents[wc_id] = OrderRow(
                    wc_id, status, currency, created, paid, completed, deleted=deleted is not None
                )
            if deleted is None and status not in ALWAYS_EXCLUDED:  # `order_has_basis_date`, date checked below
                heads[pk] = [
                    (basis, local_day(when, tz), currency, status)
                    for basis, when in zip(BASES, (created, paid, completed), strict=True)
                    if when is not None
                ]
        _add_order_lines(cells, heads, store.pk, lo, lo + chunk)
        lo += chunk
    lines: dict[int, list[ProductLineRow]] = defaultdict(list)
    for refund_pk, *values in RefundLine.objects.filter(store=store).values_list("refund_id", *LINE_COLUMNS):
        lines[refund_pk].append(ProductLineRow(*values))
    for pk, refund in refunds.items():
        for basis in DateBasis:
            found = refund_product_contributions(refund, lines.get(pk, ()), parents.get(refund.order_id), basis, tz)
            for (day, currency, status, product, variation), totals in found.items():
                cell = cells[(basis.value, day, currency, status, product, variation)]
                for i, name in enumerate(PRODUCT_TOTALS_NAMES):
                    cell[i] += getattr(totals, name)
    return _write(store, _with_blocks({k: v for k, v in cells.items() if any(v)}))


def _with_blocks(days: Cells) -> dict[tuple, list[int]]:
    """The day cells (span 0) plus, for every wider span, the sums of the days in each block (`day_blocks`)."""
    out: dict[tuple, list[int]] = {(basis, 0, day, *rest): v for (basis, day, *rest), v in days.items()}
    for span in SPANS[1:]:
        starts: dict[Any, Any] = {}
        for (basis, day, *rest), values in days.items():
            start = starts.get(day)
            if start is None:
                start = starts[day] = block_start(day, span)
            key = (basis, span, start, *rest)
            cell = out.get(key)
            if cell is None:
                out[key] = list(values)
            else:
                for i, v in enumerate(values):
                    cell[i] += v
    return out


def _add_order_lines(cells: Cells, heads: dict[int, list[tuple]], store_id: int, lo: int, hi: int) -> None:
    """Add the lines of the orders with pk in [lo, hi) to their cells, as `order_product_contributions` does: lines
    that `line_counts` skips are left out, a (product, variation) counts its order once in `orders`, and a product
    counts it once in `product_orders`, on its lowest variation id."""
    from storelens.commerce.models import LineItem

    table = connection.ops.quote_name(LineItem._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT order_id, {', '.join(LINE_COLUMNS)} FROM {table} "
            "WHERE store_id = %s AND order_id >= %s AND order_id < %s ORDER BY order_id",
            [store_id, lo, hi],
        )
        current, sums = None, {}
        for order_id, product, variation, quantity, subtotal, total in cursor.fetchall():
            if order_id != current:
                if sums:
                    _add_order(cells, heads[current], sums)
                current, sums = order_id, {}
            if order_id not in heads:
                continue
            units = int(quantity)
            if units == 0 and total >= 0:  # `line_counts`
                continue
            found = sums.get((product, variation))
            if found is None:
                sums[(product, variation)] = [total, subtotal, units]
            else:
                found[0] += total
                found[1] += subtotal
                found[2] += units
        if sums:
            _add_order(cells, heads[current], sums)


def _add_order(cells: Cells, heads: list[tuple], sums: dict[tuple[int, int], list[int]]) -> None:
    first: dict[int, int] = {}
    for product, variation in sums:
        first[product] = min(variation, first.get(product, variation))
    for (product, variation), (net, gross, units) in sums.items():
        product_orders = 1 if first[product] == variation else 0
        for basis, day, currency, status in heads:
            cell = cells[(basis, day, currency, status, product, variation)]
            cell[0] += net
            cell[1] += gross
            cell[2] += units
            cell[5] += 1
            cell[6] += product_orders


def _write(store: Any, cells: dict[tuple, list[int]]) -> int:
    """Replace the source's cells with one executemany per 5000 (Django's bulk_create spends ≈ 0.2 ms a row)."""
    table = connection.ops.quote_name(ProductDailyRollup._meta.db_table)
    placeholders = ", ".join(["%s"] * (len(KEY_COLUMNS) + len(COLUMNS)))
    sql = f"INSERT INTO {table} ({', '.join(KEY_COLUMNS + COLUMNS)}) VALUES ({placeholders})"
    adapt = connection.ops.adapt_datefield_value
    rows = [
        (store.pk, basis, span, adapt(day), currency, status, product, variation, *values)
        for (basis, span, day, currency, status, product, variation), values in cells.items()
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        ProductDailyRollup.objects.filter(store=store).delete()
        for i in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[i : i + 5000])
    return len(rows)

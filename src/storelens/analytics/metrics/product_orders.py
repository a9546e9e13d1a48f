"""What the product page's buyers and bought-together lists count, per order and per refund: the contributions the
rollups `ProductBuyerRollup` and `ProductPairRollup` store (`rollups.product_orders.Deltas` applies them on each
basis the order can be counted on, `orders.order_has_basis_date`, keyed by its day there), so the page reads a
product's cells instead of its line items, their orders and their refunds (`reports.product_buyers`, whose `*_raw`
functions are the same lists from raw rows: the property test checks both agree after any history).

- buyers: an order that can be counted on the basis adds, for each product it holds in a counted line, one order and
  the product's units and line totals (summed over its lines) to the cell (order's day, currency, status, product,
  the order's customer key). A refund of that order takes its counted refund lines of a product the order holds off
  the same cell (the order's day, not the refund's: a buyer's figures are what they kept of the orders dated in the
  range, whenever refunded).
- bought together: an order adds one to (order's day, status, product, other product) for each ordered pair of
  distinct products (neither 0, a deleted product) it holds in counted lines. Refunds do not move it.

A counted line is as the raw lists read it in SQL (`product_buyers.COUNTED_LINE`): not (quantity 0 and total ≥ 0).
"""

from __future__ import annotations

from collections.abc import Iterable

from storelens.analytics.metrics.products import ProductLineRow


def counted_line(line: ProductLineRow) -> bool:
    return not (line.quantity == 0 and line.total >= 0)


def product_sums(lines: Iterable[ProductLineRow]) -> dict[int, tuple[int, int]]:
    """product → (units, line totals) over the counted lines; units are the integer part of the summed quantities,
    as the raw lists read `Sum("quantity")` per order (or per refund)."""
    quantities: dict[int, list] = {}
    for line in lines:
        if counted_line(line):
            q = quantities.setdefault(line.product_id, [0, 0])
            q[0] += line.quantity
            q[1] += line.total
    return {product: (int(q), total) for product, (q, total) in quantities.items()}

"""Per-product metric definitions: what the Products page, its CSV and `/api/v1/products` mean by each number.

They follow WooCommerce Analytics' Products report, which sums its `wc_order_product_lookup` table: one row per line
item of an order (dated like the order) and one row per line item of a refund (dated on the refund's own date, with
negative quantity and revenue), joined to `wc_order_stats` for the order status (a refund's row carries its order's
status). So:

- net sales of a product = Σ `product_net_revenue` = Σ line `total` (after coupons, excluding tax) of counted orders
  dated in the range, plus Σ refund line `total` (negative) of refunds dated in the range whose order is counted;
- units (WooCommerce's "items sold") = Σ `product_qty`: quantities sold minus quantities refunded, the same way;
- orders = `COUNT(DISTINCT order_id)` over the non-refund rows: counted orders dated in the range with the product;
- refunds and refunded units are the refund rows alone, shown positive;
- gross sales = Σ line `subtotal` (before coupons, excluding tax) of the sold lines, like the order's gross sales.

The counted-order rule, the date basis and local days are those of `metrics.orders` (`order_has_basis_date`,
`order_day`, `refund_contribution`'s rule for refunds), so a product's numbers add up like the store's.

Known difference: when an order is set to "Refunded" WooCommerce (9.x, "new full refund data") spreads the refund that
has no line items over the order's remaining items; we read refunds as the REST API gives them, and a refund without
line items is not attributed to any product (it still counts in the store's refunds).

Everything here is pure (rows in, integers out); `rollups.products` stores exactly these contributions, so a rollup
answer and a raw answer can only drift apart by bookkeeping, which `tests/analytics/rollups/test_products_property.py`
checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, tzinfo
from decimal import Decimal

from storelens.analytics.metrics.orders import order_day, order_has_basis_date
from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.metrics.timezones import local_day
from storelens.analytics.metrics.types import OrderRow, RefundRow
from storelens.stores.reporting import DateBasis


@dataclass(frozen=True)
class ProductLineRow:
    """A line item of an order or of a refund, as product metrics read it (money in minor units of the order's
    currency; a refund line's quantity and amounts are negative, as WooCommerce gives them)."""

    product_id: int
    variation_id: int
    quantity: Decimal | int
    subtotal: int
    total: int


@dataclass
class ProductTotals:
    """Summable per-product figures of one cell; money in minor units."""

    net_sales: int = 0
    gross_sales: int = 0
    units: int = 0
    refunds: int = 0
    refunded_units: int = 0
    orders: int = 0  # orders with this (product, variation)
    product_orders: int = 0  # orders with this product, counted once: on the first of its variations in the order

    def add(self, other: ProductTotals) -> ProductTotals:
        for name in PRODUCT_TOTALS_NAMES:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    def negated(self) -> ProductTotals:
        return ProductTotals(*(-getattr(self, name) for name in PRODUCT_TOTALS_NAMES))

    def is_zero(self) -> bool:
        return all(getattr(self, name) == 0 for name in PRODUCT_TOTALS_NAMES)


PRODUCT_TOTALS_NAMES: tuple[str, ...] = tuple(f.name for f in fields(ProductTotals))

ProductCell = tuple[date, str, str, int, int]
"""(local day, currency, order status, product id, variation id): where a contribution falls."""


# --- per line --------------------------------------------------------------------------------------------------


def line_units(line: ProductLineRow) -> int:
    """units of a line = its quantity as WooCommerce's integer `product_qty` holds it (negative on a refund line)."""
    return int(line.quantity)


def line_counts(line: ProductLineRow) -> bool:
    """Whether a line makes a lookup row at all: WooCommerce skips a line with no quantity unless it takes revenue
    back (an amount-only refund of a line still counts)."""
    return line_units(line) != 0 or line.total < 0


def line_net_sales(line: ProductLineRow) -> int:
    """net sales of a sold line = its `total` (after coupons, excluding tax): WooCommerce's `product_net_revenue`."""
    return line.total


def line_gross_sales(line: ProductLineRow) -> int:
    """gross sales of a sold line = its `subtotal` (before coupons, excluding tax)."""
    return line.subtotal


def refund_line_net_sales(line: ProductLineRow) -> int:
    """net sales of a refund line = its `total`, negative: it takes the refunded revenue off the product."""
    return line.total


def refund_line_amount(line: ProductLineRow) -> int:
    """refunds of a refund line = −`total` (positive, excluding tax)."""
    return -line.total


def refund_line_units(line: ProductLineRow) -> int:
    """refunded units of a refund line = the quantity given back (positive)."""
    return abs(line_units(line))


def sold_line_totals(line: ProductLineRow) -> ProductTotals:
    """What one sold line of a counted order adds to its product (order counts are added per order, below)."""
    return ProductTotals(net_sales=line_net_sales(line), gross_sales=line_gross_sales(line), units=line_units(line))


def refund_line_totals(line: ProductLineRow) -> ProductTotals:
    """What one refund line adds to its product on the refund's day: net sales and units go down."""
    return ProductTotals(
        net_sales=refund_line_net_sales(line),
        units=-refund_line_units(line),
        refunds=refund_line_amount(line),
        refunded_units=refund_line_units(line),
    )


# --- contributions (what product rollups store) ----------------------------------------------------------------


def order_product_contributions(
    order: OrderRow, lines: Iterable[ProductLineRow], basis: DateBasis, tz: tzinfo
) -> dict[ProductCell, ProductTotals]:
    """The order's per-product cells on this basis (empty when the order can never be counted on it).

    An order counts once per (product, variation) in `orders`, and once per product in `product_orders`, on the
    first (lowest) variation id it holds of that product, so a product's orders are a plain sum over its variations.
    """
    if not order_has_basis_date(order, basis):
        return {}
    day = order_day(order, basis, tz)
    assert day is not None
    out: dict[ProductCell, ProductTotals] = {}
    for line in lines:
        if not line_counts(line):
            continue
        key = (day, order.currency, order.status, line.product_id, line.variation_id)
        cell = out.get(key)
        if cell is None:
            cell = out[key] = ProductTotals(orders=1)
        cell.add(sold_line_totals(line))
    first_variation: dict[int, int] = {}
    for _, _, _, product, variation in out:
        first_variation[product] = min(variation, first_variation.get(product, variation))
    for product, variation in first_variation.items():
        out[(day, order.currency, order.status, product, variation)].product_orders = 1
    return out


def refund_product_contributions(
    refund: RefundRow, lines: Iterable[ProductLineRow], order: OrderRow | None, basis: DateBasis, tz: tzinfo
) -> dict[ProductCell, ProductTotals]:
    """The refund's per-product cells: its own day, its order's currency and status; empty while its order is
    unknown or can never be counted on this basis (the same rule as `orders.refund_contribution`)."""
    if refund.deleted or refund.created_at is None or order is None or not order_has_basis_date(order, basis):
        return {}
    day = local_day(refund.created_at, tz)
    out: dict[ProductCell, ProductTotals] = {}
    for line in lines:
        if line_counts(line):
            key = (day, order.currency, order.status, line.product_id, line.variation_id)
            out.setdefault(key, ProductTotals()).add(refund_line_totals(line))
    return out


# --- a range, from raw rows ------------------------------------------------------------------------------------

ProductKey = tuple[str, int, int]  # currency, product id, variation id (0 on the product level)


def product_range_totals(
    orders: Iterable[OrderRow],
    order_lines: Mapping[int, Iterable[ProductLineRow]],
    refunds: Iterable[RefundRow],
    refund_lines: Mapping[int, Iterable[ProductLineRow]],
    settings: ReportSettings,
    first: date,
    last: date,
    by_variation: bool = True,
) -> dict[ProductKey, ProductTotals]:
    """Every product's (or variation's) figures in a range of local days, straight from rows: the raw answer the
    rollups must equal. `order_lines` is keyed by order id, `refund_lines` by refund id."""
    by_id = {o.id: o for o in orders}
    cells: list[tuple[ProductCell, ProductTotals]] = []
    for order in by_id.values():
        cells += order_product_contributions(
            order, order_lines.get(order.id, ()), settings.date_basis, settings.tz
        ).items()
    for refund in refunds:
        found = refund_product_contributions(
            refund, refund_lines.get(refund.id, ()), by_id.get(refund.order_id), settings.date_basis, settings.tz
        )
        cells += found.items()
    out: dict[ProductKey, ProductTotals] = {}
    for (day, currency, status, product, variation), totals in cells:
        if first <= day <= last and status not in settings.all_excluded:
            key = (currency, product, variation if by_variation else 0)
            if not by_variation:
                totals = ProductTotals(**{**totals.__dict__, "orders": totals.product_orders})
            out.setdefault(key, ProductTotals()).add(totals)
    return {k: t for k, t in out.items() if not t.is_zero()}

"""One product's page: its (and its variations') net sales, units and refunds per day, week or month (its buyers and
the products bought in the same orders are `reports.product_buyers`).

The series is read from `ProductDailyRollup`'s day cells of this one product, through the (store, product, basis,
span, day) index of migration 0006, so a year is a few hundred small rows whatever the store's size; each figure
means exactly what the Products page's figure means (`metrics.products`), and `product_series_raw` computes the same
days from raw rows with `products.product_leaderboard_raw` (the property test's and the benchmark's baseline).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Sum

from storelens.analytics.metrics.periods import bucket
from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.reports.products import ProductLine, name_lines, product_leaderboard_raw

FIGURES = ("units", "net_minor", "refunded_units", "refunds_minor", "orders", "gross_minor")
Figures = tuple[int, int, int, int, int, int]  # in FIGURES order
ZERO: Figures = (0, 0, 0, 0, 0, 0)
BIGGEST_ID = 2**63 - 1  # a store's or product's id is a 64-bit column: a larger one names nothing (SQLite overflows)


def _add(a: Figures, b: Figures) -> Figures:
    return tuple(x + y for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


@dataclass
class ProductSeries:
    """Per currency, day and variation (0: a simple product's own line), the day's figures; `orders` of a variation is
    its orders, of the product (variation None) the orders holding any of its variations once."""

    product_wc_id: int
    days: dict[tuple[str, date, int | None], Figures] = field(default_factory=dict)

    def currencies(self) -> list[str]:
        """Currencies sold in, the one with most net sales first (the page charts that one and names the others)."""
        net: dict[str, int] = {}
        for (currency, _, variation), f in self.days.items():
            if variation is None:
                net[currency] = net.get(currency, 0) + abs(f[1])
        return sorted(net, key=lambda c: (-net[c], c))

    def variations(self, currency: str) -> list[int]:
        return sorted({v for (c, _, v) in self.days if c == currency and v})

    def points(
        self, currency: str, first: date, last: date, grain: str, variation: int | None = None
    ) -> list[tuple[date, Figures]]:
        """A gap-free series from `first` to `last` by day, week or month (empty buckets are zero, not missing)."""
        out: dict[date, Figures] = {}
        day = first
        while day <= last:
            out.setdefault(bucket(day, grain), ZERO)
            day += timedelta(days=1)
        for (c, day, v), f in self.days.items():
            if c == currency and v == variation and first <= day <= last:
                out[bucket(day, grain)] = _add(out[bucket(day, grain)], f)
        return sorted(out.items())


def product_series(store: Any, settings: ReportSettings, product_wc_id: int, first: date, last: date) -> ProductSeries:
    """The product's day cells in the range (one query through the product's own index), per variation and summed."""
    from storelens.analytics.models import ProductDailyRollup

    rows = (
        ProductDailyRollup.objects.filter(
            store=store,
            product_wc_id=product_wc_id,
            basis=settings.date_basis.value,
            span=0,
            day__gte=first,
            day__lte=last,
        )
        .exclude(status__in=sorted(settings.all_excluded))
        .values_list("currency", "day", "variation_wc_id")
        .annotate(
            Sum("units"),
            Sum("net_sales_minor"),
            Sum("refunded_units"),
            Sum("refunds_minor"),
            Sum("orders"),
            Sum("gross_sales_minor"),
            Sum("product_orders"),
        )
        .order_by()
    )
    series = ProductSeries(product_wc_id)
    for currency, day, variation, *sums in rows:
        units, net, refunded_units, refunds, orders, gross, product_orders = (int(v or 0) for v in sums)
        own: Figures = (units, net, refunded_units, refunds, orders, gross)
        if own != ZERO:
            series.days[(currency, day, variation)] = _add(series.days.get((currency, day, variation), ZERO), own)
        whole: Figures = (units, net, refunded_units, refunds, product_orders, gross)
        if whole != ZERO:
            series.days[(currency, day, None)] = _add(series.days.get((currency, day, None), ZERO), whole)
    return series


def product_series_raw(
    store: Any, settings: ReportSettings, product_wc_id: int, first: date, last: date
) -> ProductSeries:
    """The same days from raw rows: the Products leaderboard computed from line items and refund lines, one day at a
    time. Slow by design (a query per day): the equality test's and the benchmark's baseline."""
    series = ProductSeries(product_wc_id)
    day = first
    while day <= last:
        for line in product_leaderboard_raw(store, settings, day, day):
            if line.product_wc_id != product_wc_id:
                continue
            series.days[(line.currency, day, None)] = line.figures()
            for v in line.variations or [line]:
                series.days[(v.currency, day, v.variation_wc_id)] = v.figures()
        day += timedelta(days=1)
    return series


def product_names(store: Any, product_wc_id: int, variations: list[int]) -> dict[int, tuple[str, str]]:
    """Variation (0: the product) → (name, SKU), as the Products page names them (the catalogue, else a line)."""
    lines = [ProductLine(product_wc_id, v, "", "", "") for v in [0, *variations]]
    name_lines(store, lines)
    return {p.variation_wc_id: (p.name, p.sku) for p in lines}


def customer_products(customer: Any, limit: int = 20) -> list[tuple[int, str, int, int]]:
    """(product, name, orders, units) of the products in a customer's orders (trashed orders aside), most ordered
    first: the customer profile lists them, each linked to its product page. Read through the orders' customer index
    and the line items' (order, product) index: a customer's own rows only."""
    from storelens.commerce.models import LineItem

    rows = (
        LineItem.objects.filter(order__customer=customer, order__deleted_at__isnull=True)
        .exclude(product_wc_id=0)
        .values_list("product_wc_id")
        .annotate(Count("order_id", distinct=True), Sum("quantity"))
        .order_by("-order_id__count", "product_wc_id")[:limit]
    )
    lines = [ProductLine(product, 0, "", "", "", orders=n, units=int(units or 0)) for product, n, units in rows]
    name_lines(customer.store, lines)
    return [(p.product_wc_id, p.name, p.orders, p.units) for p in lines]

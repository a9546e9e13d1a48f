"""The Products page leaderboard: net sales, units, orders and refunds per product, with its variations under it.

Read from `ProductDailyRollup`: one grouped query over the cells of the few aligned blocks of days that make up the
range (`day_blocks.cover`), as few rows for a year as for a month, whatever the history size. The numbers mean
what `metrics.products` says (WooCommerce Analytics' Products report). `product_leaderboard_raw` computes the same
lines from the raw line items and refund lines with SQL aggregates: the benchmark's baseline and a cross-check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import Abs

from storelens.analytics.metrics.day_blocks import cover
from storelens.analytics.metrics.orders import DATE_FIELD
from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.metrics.timezones import range_bounds_utc
from storelens.analytics.reports.counted import counted_orders, in_range


@dataclass
class ProductLine:
    product_wc_id: int
    variation_wc_id: int
    name: str
    sku: str
    currency: str
    units: int = 0  # sold minus refunded (WooCommerce's items sold)
    net_minor: int = 0  # line totals minus refunded line totals
    refunded_units: int = 0
    refunds_minor: int = 0
    orders: int = 0
    gross_minor: int = 0
    variations: list[ProductLine] = field(default_factory=list)
    store_id: int = 0  # the store it was sold in: its product page is /products/<store_id>/<product_wc_id>/

    def figures(self) -> tuple[int, int, int, int, int, int]:
        return (self.units, self.net_minor, self.refunded_units, self.refunds_minor, self.orders, self.gross_minor)


Key = tuple[str, int, int]  # currency, product, variation


def product_leaderboard(
    store: Any, settings: ReportSettings, first: date, last: date, by_variation: bool = False
) -> list[ProductLine]:
    """Per product (each with its variations under it), or per variation: the range's figures from the rollup."""
    from storelens.analytics.models import ProductDailyRollup

    blocks: dict[int, list[date]] = {}
    for span, start in cover(first, last):  # a few aligned blocks of days, whatever the range's length
        blocks.setdefault(span, []).append(start)
    # Each OR term names the whole index prefix (source, basis, span, day), so SQLite answers it by index lookups
    # (its multi-index OR) instead of scanning every cell of the basis; PostgreSQL makes a BitmapOr of them.
    in_blocks = Q()
    for span, starts in blocks.items():
        in_blocks |= Q(store=store, basis=settings.date_basis.value, span=span, day__in=starts)
    rows = (
        ProductDailyRollup.objects.filter(in_blocks)
        .exclude(status__in=sorted(settings.all_excluded))
        .values_list("currency", "product_wc_id", "variation_wc_id")
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
    variations: dict[Key, ProductLine] = {}
    products: dict[Key, ProductLine] = {}
    for currency, product, variation, *sums in rows:
        units, net, refunded_units, refunds, orders, gross, product_orders = (int(v or 0) for v in sums)
        line = ProductLine(product, variation, "", "", currency, units, net, refunded_units, refunds, orders, gross)
        if line.figures() == (0,) * 6 and not product_orders:
            continue
        variations[(currency, product, variation)] = line
        parent = products.get((currency, product, 0))
        if parent is None:
            parent = products[(currency, product, 0)] = ProductLine(product, 0, "", "", currency)
        for name in ("units", "net_minor", "refunded_units", "refunds_minor", "gross_minor"):
            setattr(parent, name, getattr(parent, name) + getattr(line, name))
        parent.orders += product_orders
        parent.variations.append(line)
    return _finish(store, products, variations, by_variation)


def product_leaderboard_raw(
    store: Any, settings: ReportSettings, first: date, last: date, by_variation: bool = False
) -> list[ProductLine]:
    """The same lines from raw rows: line items of counted orders dated in range, grouped in SQL, plus the refund lines
    of refunds created in range whose order is counted. Products and variations are grouped separately (an order
    with two variations of a product is one order of the product)."""
    from storelens.commerce.models import LineItem, Order, Refund, RefundLine

    start, end = range_bounds_utc(first, last, settings.tz)
    # Refunds made in the range (through the created_at index), then those whose order is counted.
    in_range_refunds = dict(
        Refund.objects.filter(
            store=store, deleted_at__isnull=True, created_at__gte=start, created_at__lt=end
        ).values_list("pk", "parent_wc_id")
    )
    column = DATE_FIELD[settings.date_basis]
    currency_of = {
        wc_id: currency
        for wc_id, currency, status, deleted_at, when in Order.objects.filter(
            store=store, wc_id__in=set(in_range_refunds.values())
        ).values_list("wc_id", "currency", "status", "deleted_at", column)
        if deleted_at is None and when is not None and status not in settings.all_excluded
    }
    counts = ~Q(quantity=0, total_minor__gte=0)  # WooCommerce skips a line with no quantity that takes nothing back
    levels: dict[bool, dict[Key, ProductLine]] = {}
    for per_variation in (False, True):
        keys = ["product_wc_id", "variation_wc_id"] if per_variation else ["product_wc_id"]
        lines: dict[Key, ProductLine] = {}
        sold = (
            LineItem.objects.filter(
                counts & counted_orders(store, settings, "order__") & in_range(settings, first, last, "order__")
            )
            .values_list("order__currency", *keys)
            .annotate(
                Sum("quantity"),
                Sum("total_minor"),
                Sum("subtotal_minor"),
                Count("order_id", distinct=True),
            )
            .order_by()
        )
        for currency, *rest in sold:
            product, variation = rest[0], (rest[1] if per_variation else 0)
            units, net, gross, orders = rest[len(keys) :]
            lines[(currency, product, variation)] = ProductLine(
                product, variation, "", "", currency, int(units or 0), int(net or 0), 0, 0, orders, int(gross or 0)
            )
        refunded = (
            RefundLine.objects.filter(
                counts, refund_id__in=[r for r, parent in in_range_refunds.items() if parent in currency_of]
            )
            .values_list("refund__parent_wc_id", *keys)
            .annotate(back=Sum(Abs("quantity")), total=Sum("total_minor"))
            .order_by()
        )
        for parent_wc_id, *rest in refunded:
            product, variation = rest[0], (rest[1] if per_variation else 0)
            back, total = (int(v or 0) for v in rest[len(keys) :])
            currency = currency_of[parent_wc_id]
            line = lines.get((currency, product, variation))
            if line is None:
                line = lines[(currency, product, variation)] = ProductLine(product, variation, "", "", currency)
            line.units -= back
            line.net_minor += total
            line.refunded_units += back
            line.refunds_minor -= total
        levels[per_variation] = {k: v for k, v in lines.items() if v.figures() != (0,) * 6}
    products = levels[False]
    for (currency, product, _), line in levels[True].items():
        if (currency, product, 0) in products:
            products[(currency, product, 0)].variations.append(line)
    return _finish(store, products, levels[True], by_variation)


def _finish(
    store: Any, products: dict[Key, ProductLine], variations: dict[Key, ProductLine], by_variation: bool
) -> list[ProductLine]:
    """Name the lines, drop the variation list of simple products (their only "variation" is 0), and rank."""
    products = {k: p for k, p in products.items() if p.figures() != (0,) * 6}
    for line in [*products.values(), *variations.values()]:
        line.store_id = store.pk
    for line in products.values():
        if all(v.variation_wc_id == 0 for v in line.variations):
            line.variations = []
        line.variations.sort(key=_rank)
    if by_variation:
        name_lines(store, list(variations.values()))
    else:
        name_lines(store, [*products.values(), *(v for p in products.values() for v in p.variations)])
    return sorted((variations if by_variation else products).values(), key=_rank)


def _rank(p: ProductLine) -> tuple[int, int, int, int]:
    return (-p.net_minor, -p.units, p.product_wc_id, p.variation_wc_id)


def name_lines(store: Any, lines: list[ProductLine]) -> None:
    """Names and SKUs from the synced catalogue; a product no longer in it is named after its line items, as
    WooCommerce names a deleted product. A variation reads "Product – option, option"."""
    from storelens.commerce.models import Product, Variation

    if not lines:
        return
    catalogue = {
        wc_id: (name + (" (deleted)" if deleted else ""), sku)
        for wc_id, name, sku, deleted in Product.objects.filter(
            store=store, wc_id__in={p.product_wc_id for p in lines}
        ).values_list("wc_id", "name", "sku", "deleted_at")
    }
    variation_ids = {p.variation_wc_id for p in lines if p.variation_wc_id}
    options = {
        wc_id: (", ".join(str(a.get("option", "")) for a in attributes or [] if isinstance(a, dict)), sku)
        for wc_id, sku, attributes in Variation.objects.filter(store=store, wc_id__in=variation_ids).values_list(
            "wc_id", "sku", "attributes"
        )
    }
    missing: list[ProductLine] = []
    for p in lines:
        product = catalogue.get(p.product_wc_id)
        variation = options.get(p.variation_wc_id) if p.variation_wc_id else None
        if product and (variation or not p.variation_wc_id):
            name, sku = product
            if variation:
                name, sku = f"{name} – {variation[0]}" if variation[0] else name, variation[1] or sku
            p.name, p.sku = name, sku
        else:
            missing.append(p)
    latest = _line_names(store, {(p.product_wc_id, p.variation_wc_id) for p in missing})
    for p in missing:
        name, sku = latest.get((p.product_wc_id, p.variation_wc_id)) or (f"Product {p.product_wc_id}", "")
        # Line names of variations read "Product - Variation"; a product line shows the product alone.
        p.name = name if p.variation_wc_id or " - " not in name else name.split(" - ")[0]
        p.sku = sku


def _line_names(store: Any, keys: set[tuple[int, int]], chunk: int = 200) -> dict[tuple[int, int], tuple]:
    """(product, variation) → (name, sku) of one of its line items (variation 0: any line of the product), in one
    round trip per `chunk` keys: a UNION ALL of `LIMIT 1` lookups through the line items' (source, product) index.

    Not the latest line, as WooCommerce takes: "latest" needs the id in that index, which PostgreSQL's lacks, and it
    then sorted a product's every line (6 s per page at 3M lines). A product missing from the catalogue was deleted
    from the store, so its name no longer changes; any of its lines names it."""
    from storelens.commerce.models import LineItem

    table = connection.ops.quote_name(LineItem._meta.db_table)
    out: dict[tuple[int, int], tuple] = {}
    ordered = sorted(keys)
    for i in range(0, len(ordered), chunk):
        parts, params = [], []
        for product, variation in ordered[i : i + chunk]:
            extra = " AND variation_wc_id = %s" if variation else ""
            parts.append(
                f"SELECT * FROM (SELECT product_wc_id, {variation if variation else 0}, name, sku FROM {table} "
                f"WHERE store_id = %s AND product_wc_id = %s{extra} LIMIT 1) AS l{len(parts)}"
            )
            params += [store.pk, product] + ([variation] if variation else [])
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for product, variation, name, sku in cursor.fetchall():
                out[(product, int(variation))] = (name, sku)
    return out

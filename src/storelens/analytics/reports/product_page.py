"""One product's page: its (and its variations') net sales, units and refunds per day, week or month, its buyers, and
the products bought in the same orders.

The series is read from `ProductDailyRollup`'s day cells of this one product, through the (store, product, basis,
span, day) index of migration 0006, so a year is a few hundred small rows whatever the store's size; each figure
means exactly what the Products page's figure means (`metrics.products`), and `product_series_raw` computes the same
days from raw rows with `products.product_leaderboard_raw` (the property test's and the benchmark's baseline).

Buyers and bought-together are read from their own rollups (`ProductBuyerRollup`: the product's day cells per
customer; `ProductPairRollup`: per companion and day), kept by the sync
(`rollups.product_orders`). `product_buyers_raw` and `bought_together_raw` compute the same lists from the product's
line items, their orders and refunds (line items' (store, product) index, then the orders' other lines): the property
test's and the benchmark's baseline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, Q, Sum

from storelens.analytics.metrics.periods import bucket
from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.reports.counted import counted_orders, in_range
from storelens.analytics.reports.products import ProductLine, name_lines, product_leaderboard_raw

FIGURES = ("units", "net_minor", "refunded_units", "refunds_minor", "orders", "gross_minor")
Figures = tuple[int, int, int, int, int, int]  # in FIGURES order
ZERO: Figures = (0, 0, 0, 0, 0, 0)
# WooCommerce skips a line with no quantity that takes nothing back (as `products.product_leaderboard_raw`).
COUNTED_LINE = ~Q(quantity=0, total_minor__gte=0)
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


@dataclass
class Buyer:
    customer_id: int | None  # None: orders without a customer identity
    name: str
    email: str
    orders: int
    units: int  # bought minus refunded on those orders
    net_minor: int  # line totals minus refunded line totals on those orders
    currency: str


@dataclass
class ProductOrders:
    """The product's counted lines dated in the range, one row per order: read once (through the line items' (store,
    product) index) and shared by the buyers and bought-together lists, which then read only these orders' rows."""

    # order pk → (order wc id, customer pk or None, currency, units, line total)
    orders: dict[int, tuple[int, int | None, str, int, int]]


def product_orders(store: Any, settings: ReportSettings, product_wc_id: int, first: date, last: date) -> ProductOrders:
    from storelens.commerce.models import LineItem

    rows = (
        LineItem.objects.filter(
            Q(store=store, product_wc_id=product_wc_id)
            & COUNTED_LINE
            & counted_orders(store, settings, "order__")
            & in_range(settings, first, last, "order__")
        )
        .values_list("order_id", "order__wc_id", "order__customer_id", "order__currency")
        .annotate(Sum("quantity"), Sum("total_minor"))
        .order_by()
    )
    return ProductOrders(
        {
            pk: (wc_id, customer, currency, int(units or 0), int(net or 0))
            for pk, wc_id, customer, currency, units, net in rows
        }
    )


def _chunks(values: list[int], size: int = 5000) -> Iterable[list[int]]:
    """IN lists of at most `size` values (SQLite's bound on query parameters)."""
    for i in range(0, len(values), size):
        yield values[i : i + size]


def product_buyers_raw(
    store: Any,
    settings: ReportSettings,
    product_wc_id: int,
    first: date,
    last: date,
    limit: int = 50,
    orders: ProductOrders | None = None,
) -> tuple[list[Buyer], int]:
    """The customers who bought the product in orders dated in the range, with their units and net for it (refunds of
    those orders taken off, whenever made: what they kept), best first; and how many buyers there are in all."""
    from storelens.commerce.models import Customer, Refund, RefundLine

    found = orders or product_orders(store, settings, product_wc_id, first, last)
    figures: dict[tuple[int | None, str], list[int]] = {}
    by_wc_id: dict[int, tuple[int | None, str]] = {}
    for wc_id, customer, currency, units, net in found.orders.values():
        f = figures.setdefault((customer, currency), [0, 0, 0])
        f[0], f[1], f[2] = f[0] + 1, f[1] + units, f[2] + net
        by_wc_id[wc_id] = (customer, currency)
    refunds: dict[int, int] = {}
    for wc_ids in _chunks(sorted(by_wc_id)):  # the refunds of these orders, by the refunds' (store, parent) index
        refunds.update(
            Refund.objects.filter(store=store, deleted_at__isnull=True, parent_wc_id__in=wc_ids).values_list(
                "pk", "parent_wc_id"
            )
        )
    for refund_ids in _chunks(sorted(refunds)):
        for refund_pk, units, total in (
            RefundLine.objects.filter(COUNTED_LINE, product_wc_id=product_wc_id, refund_id__in=refund_ids)
            .values_list("refund_id")
            .annotate(Sum("quantity"), Sum("total_minor"))
            .order_by()
        ):
            f = figures[by_wc_id[refunds[refund_pk]]]
            f[1] -= abs(int(units or 0))
            f[2] += int(total or 0)  # refund line totals are negative
    ranked = sorted(figures.items(), key=lambda kv: (-kv[1][2], -kv[1][1], kv[0][0] is None, kv[0][0] or 0))
    top = ranked[:limit]
    people = {
        c.pk: c
        for c in Customer.objects.filter(store=store, pk__in=[k[0] for k, _ in top if k[0] is not None]).only(
            "first_name", "last_name", "email"
        )
    }
    buyers = []
    for (customer, currency), (n, units, net) in top:
        person = people.get(customer) if customer is not None else None
        name = f"{person.first_name} {person.last_name}".strip() if person else ""
        email = person.email if person else ""
        buyers.append(Buyer(customer, name or email or "Guest (no e-mail)", email, n, units, net, currency))
    return buyers, len(figures)


@dataclass
class Together:
    product_wc_id: int
    name: str
    orders: int  # orders holding both products
    share: float  # of the orders holding this page's product


def bought_together_raw(
    store: Any,
    settings: ReportSettings,
    product_wc_id: int,
    first: date,
    last: date,
    limit: int = 20,
    orders: ProductOrders | None = None,
) -> tuple[list[Together], int]:
    """Products in the same counted orders dated in the range: in how many of the product's orders, and what share of
    them; plus the product's order count (the share's denominator). Reads those orders' lines by (order, product)."""
    from storelens.commerce.models import LineItem

    found = orders or product_orders(store, settings, product_wc_id, first, last)
    total = len(found.orders)
    counts: dict[int, int] = {}
    for order_ids in _chunks(sorted(found.orders)):
        for product, n in (
            LineItem.objects.filter(COUNTED_LINE, order_id__in=order_ids)
            .exclude(product_wc_id__in=[product_wc_id, 0])
            .values_list("product_wc_id")
            .annotate(Count("order_id", distinct=True))
            .order_by()
        ):
            counts[product] = counts.get(product, 0) + n  # an order is in one chunk only
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    lines = [ProductLine(product, 0, "", "", "", orders=n) for product, n in ranked]
    name_lines(store, lines)
    return [Together(p.product_wc_id, p.name, p.orders, p.orders / total) for p in lines], total


def _buyer_cells(store: Any, settings: ReportSettings, product_wc_id: int, first: date, last: date) -> Any:
    from storelens.analytics.models import ProductBuyerRollup

    return ProductBuyerRollup.objects.filter(
        store=store, product_wc_id=product_wc_id, basis=settings.date_basis.value, day__gte=first, day__lte=last
    ).exclude(status__in=sorted(settings.all_excluded))


def _buyer_sums(
    store: Any, settings: ReportSettings, product_wc_id: int, first: date, last: date
) -> list[tuple[str, str, int | None, int, int, int]]:
    """(customer key, currency, the customer named by that key or None, orders, units, net) per key and currency of
    the range's buyer cells: one query, the keys joined to the customers table in SQL and read with a plain cursor.
    Resolving a year's keys in Python (IN lists of 5,000) and Django's per-value converters were two thirds of the
    buyers list's time at 1M orders (92 ms for 90 days, 5,222 buyers)."""
    from storelens.commerce.models import Customer

    cells = (
        _buyer_cells(store, settings, product_wc_id, first, last)
        .values("customer_key", "currency")
        .annotate(n=Sum("orders"), u=Sum("units"), net=Sum("net_minor"))
        .order_by()
    )
    sql, params = cells.query.sql_with_params()
    quote = connection.ops.quote_name
    customers = quote(Customer._meta.db_table)
    joined = (
        f"SELECT g.{quote('customer_key')}, g.{quote('currency')}, c.{quote('id')}, g.n, g.u, g.net FROM ({sql}) g "
        f"LEFT JOIN {customers} c ON c.{quote('store_id')} = %s AND c.{quote('key')} = g.{quote('customer_key')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(joined, [*params, store.pk])
        return [
            (key, currency, pk, int(n or 0), int(u or 0), int(net or 0))
            for key, currency, pk, n, u, net in cursor.fetchall()
        ]


def customers_by_key(store: Any, keys: set[str]) -> dict[str, int | None]:
    """Customer key → the customer's id, as the orders point now. A key that no longer names a customer was a guest
    merged into the registered customer with its e-mail (`commerce.customers.merge_guests_into_registered`: the lowest
    id), whose orders were re-pointed there without a change of theirs; else (no such customer) None, as SET_NULL."""
    from storelens.commerce.models import Customer
    from storelens.commerce.payloads import email_key

    found: dict[str, int | None] = {}
    wanted = sorted(k for k in keys if k)
    for chunk in _chunks(wanted):  # type: ignore[arg-type]
        found.update(Customer.objects.filter(store=store, key__in=chunk).values_list("key", "pk"))
    prefix = email_key("")
    emails = {k[len(prefix) :] for k in wanted if k not in found and k.startswith(prefix)}
    registered: dict[str, int] = {}
    for chunk in _chunks(sorted(emails)):  # type: ignore[arg-type]
        for email, pk in (
            Customer.objects.filter(store=store, is_registered=True, email__in=chunk)
            .order_by("pk")
            .values_list("email", "pk")
        ):
            registered.setdefault(email, pk)
    return {k: found[k] if k in found else registered.get(k[len(prefix) :]) for k in keys if k}


def product_buyers(
    store: Any, settings: ReportSettings, product_wc_id: int, first: date, last: date, limit: int = 50
) -> tuple[list[Buyer], int]:
    """`product_buyers_raw` from the buyer cells of the range: one indexed read of the product's cells grouped by
    customer key and currency, the keys resolved to customers (two indexed reads), then the top `limit` named."""
    from storelens.commerce.models import Customer

    grouped = _buyer_sums(store, settings, product_wc_id, first, last)
    resolved = {key: pk for key, _, pk, *_ in grouped if pk is not None}
    resolved.update(customers_by_key(store, {key for key, _, pk, *_ in grouped if pk is None}))
    figures: dict[tuple[int | None, str], list[int]] = {}
    for key, currency, _, n, units, net in grouped:
        f = figures.setdefault((resolved.get(key), currency), [0, 0, 0])
        f[0], f[1], f[2] = f[0] + n, f[1] + units, f[2] + net
    figures = {k: f for k, f in figures.items() if f[0] > 0}  # a buyer is someone with an order of it in the range
    ranked = sorted(figures.items(), key=lambda kv: (-kv[1][2], -kv[1][1], kv[0][0] is None, kv[0][0] or 0))
    top = ranked[:limit]
    people = {
        c.pk: c
        for c in Customer.objects.filter(store=store, pk__in=[k[0] for k, _ in top if k[0] is not None]).only(
            "first_name", "last_name", "email"
        )
    }
    buyers = []
    for (customer, currency), (n, units, net) in top:
        person = people.get(customer) if customer is not None else None
        name = f"{person.first_name} {person.last_name}".strip() if person else ""
        email = person.email if person else ""
        buyers.append(Buyer(customer, name or email or "Guest (no e-mail)", email, n, units, net, currency))
    return buyers, len(figures)


def bought_together(
    store: Any, settings: ReportSettings, product_wc_id: int, first: date, last: date, limit: int = 20
) -> tuple[list[Together], int]:
    """`bought_together_raw` from the product's pair cells of the range (one indexed read, grouped by companion), and
    its order count (the share's denominator) from its buyer cells."""
    from storelens.analytics.models import ProductPairRollup

    total = int(_buyer_cells(store, settings, product_wc_id, first, last).aggregate(n=Sum("orders"))["n"] or 0)
    rows = (
        ProductPairRollup.objects.filter(
            store=store, product_wc_id=product_wc_id, basis=settings.date_basis.value, day__gte=first, day__lte=last
        )
        .exclude(status__in=sorted(settings.all_excluded))
        .values_list("other_wc_id")
        .annotate(n=Sum("orders"))
        .order_by()
    )
    counts = {other: int(n) for other, n in rows if n}
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    lines = [ProductLine(product, 0, "", "", "", orders=n) for product, n in ranked]
    name_lines(store, lines)
    return [Together(p.product_wc_id, p.name, p.orders, p.orders / total if total else 0.0) for p in lines], total

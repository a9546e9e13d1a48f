"""One product's buyers and the products bought in the same orders, for the product page, its CSV and the API.

Both lists are read from their own rollups, kept by the sync (`rollups.product_orders`, defined by
`metrics.product_orders`): `ProductBuyerRollup` (the product's day cells per customer key) and `ProductPairRollup`
(per companion and day). The buyer cells are read through the covering index of analytics migration 0013, so a range
is one index range scan (no table row per cell); the grouping by customer, the ranking and the counts are done in the
same SQL statement, so Python sees only the rows it shows (a year of a popular product has 20,000 buyers at 1M
orders: grouping them in Python was 180 ms of a 245 ms list).

`product_buyers_raw` and `bought_together_raw` compute the same lists from the product's line items, their orders and
refunds (line items' (store, product) index, then the orders' other lines): the property test's and the benchmark's
baseline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, Q, Sum

from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.reports.counted import counted_orders, in_range
from storelens.analytics.reports.products import ProductLine, name_lines
from storelens.commerce.payloads import email_key

# WooCommerce skips a line with no quantity that takes nothing back (as `products.product_leaderboard_raw`).
COUNTED_LINE = ~Q(quantity=0, total_minor__gte=0)


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


def named_buyers(store: Any, top: list[tuple[int | None, str, int, int, int]]) -> list[Buyer]:
    """(customer id or None, currency, orders, units, net) rows, best first, as `Buyer`s named from the customers
    table (one read of the shown rows' customers)."""
    from storelens.commerce.models import Customer

    people = {
        c.pk: c
        for c in Customer.objects.filter(store=store, pk__in=[row[0] for row in top if row[0] is not None]).only(
            "first_name", "last_name", "email"
        )
    }
    buyers = []
    for customer, currency, n, units, net in top:
        person = people.get(customer) if customer is not None else None
        name = f"{person.first_name} {person.last_name}".strip() if person else ""
        email = person.email if person else ""
        buyers.append(Buyer(customer, name or email or "Guest (no e-mail)", email, n, units, net, currency))
    return buyers


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
    from storelens.commerce.models import Refund, RefundLine

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
    ranked = sorted(figures.items(), key=lambda kv: (-kv[1][2], -kv[1][1], kv[0][0] is None, kv[0][0] or 0, kv[0][1]))
    return named_buyers(store, [(c, currency, n, u, net) for (c, currency), (n, u, net) in ranked[:limit]]), len(
        figures
    )


@dataclass
class Together:
    product_wc_id: int
    name: str
    orders: int  # orders holding both products
    share: float  # of the orders holding this page's product


def named_together(store: Any, counts: dict[int, int], total: int, limit: int) -> list[Together]:
    """Companion → orders with both, ranked (most orders, then lowest id), cut to `limit` and named as the Products
    page names them; the share is of the product's `total` orders (both sides of the list end here)."""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    lines = [ProductLine(product, 0, "", "", "", orders=n) for product, n in ranked]
    name_lines(store, lines)
    return [Together(p.product_wc_id, p.name, p.orders, p.orders / total if total else 0.0) for p in lines]


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
    return named_together(store, counts, total, limit), total


def _buyer_cells(store: Any, settings: ReportSettings, product_wc_id: int, first: date, last: date) -> Any:
    from storelens.analytics.models import ProductBuyerRollup

    return ProductBuyerRollup.objects.filter(
        store=store, product_wc_id=product_wc_id, basis=settings.date_basis.value, day__gte=first, day__lte=last
    ).exclude(status__in=sorted(settings.all_excluded))


@dataclass
class RankedBuyers:
    top: list[tuple[int | None, str, int, int, int]]  # (customer id or None, currency, orders, units, net), best first
    count: int  # buyers in all: (customer, currency) with an order of the product in the range
    orders: int  # the product's orders in the range (bought-together's denominator)


def ranked_buyers(
    store: Any, settings: ReportSettings, product_wc_id: int, first: date, last: date, limit: int
) -> RankedBuyers:
    """The range's buyer cells summed per customer and currency, ranked, counted and cut to `limit`, in one statement.

    A cell's key names the customer the order pointed at when it was written. A key that no longer names a customer
    was a guest merged into the registered customer with its e-mail (`commerce.customers.merge_guests_into_registered`:
    the lowest id), whose orders were re-pointed there without a change of theirs; so it resolves to that customer
    (through the customers' (store, e-mail) index), else to nobody, as the orders' SET_NULL does. The ranking is
    `product_buyers_raw`'s: net, then units, named customers before nobody, then id and currency."""
    from storelens.commerce.models import Customer

    cells = (
        _buyer_cells(store, settings, product_wc_id, first, last)
        .values("customer_key", "currency")
        .annotate(n=Sum("orders"), u=Sum("units"), net=Sum("net_minor"))
        .order_by()
    )
    sql, params = cells.query.sql_with_params()
    q = connection.ops.quote_name
    customers = q(Customer._meta.db_table)
    key, store_id, pk = q("customer_key"), q("store_id"), q("id")
    merged_into = (
        f"(SELECT MIN(m.{pk}) FROM {customers} m WHERE m.{store_id} = %s AND m.{q('is_registered')} "
        f"AND g.{key} LIKE %s AND m.{q('email')} = SUBSTR(g.{key}, %s))"
    )
    # A correlated lookup, not a join: PostgreSQL hashed the whole customers table for a few hundred keys (19 of a
    # 22 ms list at 200k orders); per key it is one probe of the (store, key) unique index on both databases.
    named = f"(SELECT c.{pk} FROM {customers} c WHERE c.{store_id} = %s AND c.{q('key')} = g.{key})"
    resolved = (
        f"SELECT COALESCE({named}, {merged_into}) AS cid, g.{q('currency')} AS cur, g.n, g.u, g.net FROM ({sql}) g"
    )
    per_buyer = f"SELECT cid, cur, SUM(n) AS n, SUM(u) AS u, SUM(net) AS net FROM ({resolved}) r GROUP BY cid, cur"
    counted = (
        "SELECT cid, cur, n, u, net, SUM(CASE WHEN n > 0 THEN 1 ELSE 0 END) OVER () AS buyers, "
        f"SUM(n) OVER () AS total FROM ({per_buyer}) b"
    )
    ranked = (
        f"SELECT cid, cur, n, u, net, buyers, total FROM ({counted}) w WHERE n > 0 "
        "ORDER BY net DESC, u DESC, CASE WHEN cid IS NULL THEN 1 ELSE 0 END, COALESCE(cid, 0), cur LIMIT %s"
    )
    prefix = email_key("")
    with connection.cursor() as cursor:
        cursor.execute(ranked, [store.pk, store.pk, f"{prefix}%", len(prefix) + 1, *params, limit])
        rows = cursor.fetchall()
    if not rows:  # nobody with an order of it: the orders (if any cell holds some) are counted alone
        orders = _buyer_cells(store, settings, product_wc_id, first, last).aggregate(n=Sum("orders"))["n"]
        return RankedBuyers([], 0, int(orders or 0))
    top = [(cid, cur, int(n), int(u or 0), int(net or 0)) for cid, cur, n, u, net, _, _ in rows]
    return RankedBuyers(top, int(rows[0][5]), int(rows[0][6] or 0))


def product_buyers(
    store: Any, settings: ReportSettings, product_wc_id: int, first: date, last: date, limit: int = 50
) -> tuple[list[Buyer], int]:
    """`product_buyers_raw` from the buyer cells of the range (`ranked_buyers`), the top `limit` named."""
    ranked = ranked_buyers(store, settings, product_wc_id, first, last, limit)
    return named_buyers(store, ranked.top), ranked.count


def bought_together(
    store: Any,
    settings: ReportSettings,
    product_wc_id: int,
    first: date,
    last: date,
    limit: int = 20,
    orders: int | None = None,
) -> tuple[list[Together], int]:
    """`bought_together_raw` from the product's pair cells of the range (one indexed read, grouped by companion), and
    its order count (the share's denominator): `orders` when the caller has it (`ranked_buyers` counts it), else
    from its buyer cells."""
    from storelens.analytics.models import ProductPairRollup

    total = orders
    if total is None:
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
    return named_together(store, {other: int(n) for other, n in rows if n}, total, limit), total


@dataclass
class ProductLists:
    buyers: list[Buyer]
    buyer_count: int
    together: list[Together]
    product_orders: int


def product_lists(
    store: Any,
    settings: ReportSettings,
    product_wc_id: int,
    first: date,
    last: date,
    buyers: int = 50,
    together: int = 20,
) -> ProductLists:
    """Both lists as the product page and its API show them: the buyer cells read once, for the buyers and for the
    order count bought-together divides by."""
    ranked = ranked_buyers(store, settings, product_wc_id, first, last, buyers)
    pairs, orders = bought_together(store, settings, product_wc_id, first, last, together, orders=ranked.orders)
    return ProductLists(named_buyers(store, ranked.top), ranked.count, pairs, orders)

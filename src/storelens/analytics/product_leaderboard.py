"""The products page leaderboard: units, net sales and refunds per product (or variation) in a range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Max, Sum

from storelens.analytics.definitions import ReportSettings
from storelens.analytics.range_filters import BASIS_FIELD, counted_orders, in_range
from storelens.analytics.timezones import range_bounds_utc


@dataclass
class ProductLine:
    product_wc_id: int
    variation_wc_id: int
    name: str
    sku: str
    currency: str
    units: int = 0
    net_minor: int = 0
    refunded_units: int = 0
    refunds_minor: int = 0
    orders: int = 0


def product_leaderboard(
    source: Any, settings: ReportSettings, first: date, last: date, by_variation: bool = False
) -> list[ProductLine]:
    """Per product (or variation): units and net sales (Σ line total, excl. tax) of counted orders dated in range;
    refunds (Σ refunded line totals) of refunds created in range whose order is counted."""
    from storelens.commerce.models import LineItem, Order, Refund, RefundLine

    keys = ["product_wc_id", "variation_wc_id"] if by_variation else ["product_wc_id"]
    sold = (
        LineItem.objects.filter(
            counted_orders(source, settings, "order__") & in_range(settings, first, last, "order__")
        )
        .values(*keys)
        .annotate(
            units=Sum("quantity"),
            net=Sum("total_minor"),
            orders=Count("order_id", distinct=True),
            name=Max("name"),
            sku=Max("sku"),
            currency=Max("order__currency"),
        )
    )
    start, end = range_bounds_utc(first, last, settings.tz)
    # Refunds made in the range (few, through the created_at index), then those whose order is counted: two small
    # steps, because SQLite would otherwise walk every counted order to find them.
    in_range_refunds = dict(
        Refund.objects.filter(
            source=source, deleted_at__isnull=True, created_at__gte=start, created_at__lt=end
        ).values_list("pk", "order_id")
    )
    column = BASIS_FIELD[settings.date_basis]
    counted_ids = {
        pk
        for pk, status, deleted_at, when in Order.objects.filter(pk__in=set(in_range_refunds.values())).values_list(
            "pk", "status", "deleted_at", column
        )
        if deleted_at is None and when is not None and status not in settings.all_excluded
    }
    refunded = (
        RefundLine.objects.filter(refund_id__in=[r for r, o in in_range_refunds.items() if o in counted_ids])
        .values(*keys)
        .annotate(units=Sum("quantity"), amount=Sum("total_minor"))
    )
    lines: dict[tuple, ProductLine] = {}
    for row in sold:
        key = tuple(row[k] for k in keys)
        lines[key] = ProductLine(
            product_wc_id=row["product_wc_id"],
            variation_wc_id=row.get("variation_wc_id", 0),
            name=_product_name(row["name"], by_variation),
            sku=row["sku"] or "",
            currency=row["currency"],
            units=int(row["units"] or 0),
            net_minor=int(row["net"] or 0),
            orders=row["orders"],
        )
    for row in refunded:
        key = tuple(row[k] for k in keys)
        line = lines.get(key)
        if line is None:
            line = lines[key] = ProductLine(
                product_wc_id=row["product_wc_id"],
                variation_wc_id=row.get("variation_wc_id", 0),
                name=f"Product {row['product_wc_id']}",
                sku="",
                currency=source.currency,
            )
        line.refunded_units += -int(row["units"] or 0)
        line.refunds_minor += -int(row["amount"] or 0)
    return sorted(lines.values(), key=lambda p: (-p.net_minor, -p.units, p.product_wc_id))


def _product_name(name: str | None, by_variation: bool) -> str:
    name = name or ""
    # Line names of variations read "Product - Variation"; the product board shows the product alone.
    return name if by_variation else name.split(" - ")[0]

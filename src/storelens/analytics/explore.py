"""Numbers behind the list pages (orders, customers, products, subscriptions) and the live activity feed.

Range figures use the same counted-order rule as `definitions` (status, deletion, a date on the basis), expressed as
one SQL filter per store: local days become one UTC interval (`timezones.range_bounds_utc`), so "in range" means
exactly what it means for the rollups. Money is summed in SQL over integer minor units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.utils import timezone

from storelens.analytics.definitions import DateBasis, ReportSettings
from storelens.analytics.money import divide_minor
from storelens.analytics.settings import report_settings
from storelens.analytics.timezones import range_bounds_utc

BASIS_FIELD = {DateBasis.CREATED: "created_at", DateBasis.PAID: "paid_at", DateBasis.COMPLETED: "completed_at"}


def counted_orders(source: Any, settings: ReportSettings, prefix: str = "") -> Q:
    """The counted-order rule as a Q on Order (or on a relation to it, with `prefix` like "order__")."""
    column = BASIS_FIELD[settings.date_basis]
    return Q(
        **{f"{prefix}source": source, f"{prefix}deleted_at__isnull": True, f"{prefix}{column}__isnull": False}
    ) & ~Q(**{f"{prefix}status__in": sorted(settings.all_excluded)})


def in_range(settings: ReportSettings, first: date, last: date, prefix: str = "") -> Q:
    column = BASIS_FIELD[settings.date_basis]
    start, end = range_bounds_utc(first, last, settings.tz)
    return Q(**{f"{prefix}{column}__gte": start, f"{prefix}{column}__lt": end})


# --- orders ------------------------------------------------------------------------------------------------------

ORDER_SORTS = {
    "date": "-created_at",
    "-date": "created_at",
    "total": "-total_minor",
    "-total": "total_minor",
    "number": "-wc_id",
    "-number": "wc_id",
}


def orders_list(
    sources: Sequence[Any],
    first: date,
    last: date,
    search: str = "",
    statuses: Sequence[str] = (),
    country: str = "",
    sort: str = "date",
) -> QuerySet:
    """Every order created in the range (whatever its status: a list is for finding orders, not for totals),
    filtered and sorted. Dates are the stores' own local days of `date_created`."""
    from storelens.commerce.models import Order

    q = Q(pk__in=[])
    for source in sources:
        s = report_settings(source, date_basis=DateBasis.CREATED)
        start, end = range_bounds_utc(first, last, s.tz)
        q |= Q(source=source, created_at__gte=start, created_at__lt=end)
    qs = Order.objects.filter(q).select_related("source", "customer")
    if search:
        term = search.strip().lstrip("#")
        match = Q(billing_email__icontains=term) | Q(number__iexact=term) | Q(customer__last_name__icontains=term)
        match |= Q(customer__first_name__icontains=term)
        qs = qs.filter(match)
    if statuses:
        qs = qs.filter(status__in=list(statuses))
    if country:
        qs = qs.filter(billing_country=country.upper())
    return qs.order_by(ORDER_SORTS.get(sort, "-created_at"), "-pk")


# --- customers ---------------------------------------------------------------------------------------------------


@dataclass
class CustomerValue:
    customer_id: int
    source_id: int
    name: str
    email: str
    currency: str
    orders: int
    net_minor: int  # lifetime: counted orders' net minus their refunds' net
    first_at: datetime | None
    last_at: datetime | None
    r: int = 0
    f: int = 0
    m: int = 0
    segment: str = ""


def customer_values(source: Any, settings: ReportSettings) -> list[CustomerValue]:
    """Every customer's lifetime value over the whole history (LTV = Σ order net − Σ refund net, counted orders),
    from the customer rollups: one row per customer and status instead of every order and refund."""
    from storelens.analytics.models import CustomerRollup

    per = (
        CustomerRollup.objects.filter(source=source, basis=settings.date_basis.value)
        .exclude(status__in=sorted(settings.all_excluded))
        .values("customer_id")
        .annotate(
            orders=Sum("orders"),
            net=Sum("net_minor"),
            first_at=Min("first_at"),
            last_at=Max("last_at"),
            currency=Max("currency"),
        )
        .order_by()
    )
    return [
        CustomerValue(
            customer_id=customer_id,
            source_id=source.pk,
            name="",
            email="",
            currency=currency,
            orders=int(orders),
            net_minor=int(net or 0),
            first_at=first_at,
            last_at=last_at,
        )
        for customer_id, orders, net, first_at, last_at, currency in per.values_list(
            "customer_id", "orders", "net", "first_at", "last_at", "currency"
        ).iterator(5000)
    ]


def customer_values_raw(source: Any, settings: ReportSettings) -> list[CustomerValue]:
    """The same from the raw orders and refunds: what the rollups are checked against (tests, bench)."""
    from storelens.commerce.models import Order, Refund

    column = BASIS_FIELD[settings.date_basis]
    per = (
        Order.objects.filter(counted_orders(source, settings), customer__isnull=False)
        .values("customer_id")
        .annotate(
            orders=Count("pk"),
            net=Sum(F("total_minor") - F("total_tax_minor") - F("shipping_total_minor")),
            first_at=Min(column),
            last_at=Max(column),
            currency=Max("currency"),
        )
    )
    refunds = dict(
        Refund.objects.filter(counted_orders(source, settings, "order__"), deleted_at__isnull=True)
        .values("order__customer_id")
        .annotate(net=Sum(F("amount_minor") - F("refunded_tax_minor") - F("refunded_shipping_minor")))
        .values_list("order__customer_id", "net")
    )
    out = []
    for row in per.values_list("customer_id", "orders", "net", "first_at", "last_at", "currency").iterator(2000):
        customer_id, orders, net, first_at, last_at, currency = row
        out.append(
            CustomerValue(
                customer_id=customer_id,
                source_id=source.pk,
                name="",
                email="",
                currency=currency,
                orders=orders,
                net_minor=int(net or 0) - int(refunds.get(customer_id) or 0),
                first_at=first_at,
                last_at=last_at,
            )
        )
    return out


def with_people(values: list[CustomerValue]) -> list[CustomerValue]:
    """Fill names and e-mails, for the customers about to be shown (a page of them, not the whole store)."""
    from storelens.commerce.models import Customer

    people = {
        c.pk: c
        for c in Customer.objects.filter(pk__in=[v.customer_id for v in values]).only(
            "pk", "first_name", "last_name", "email"
        )
    }
    for v in values:
        person = people.get(v.customer_id)
        if person is not None:
            v.email = person.email
            v.name = f"{person.first_name} {person.last_name}".strip() or person.email or "Guest"
        else:
            v.name = v.name or "Guest"
    return values


def _quintile_scores(values: list[float]) -> list[int]:
    """1..5 by rank (ties share the lower rank's score), so each score holds about a fifth of the customers."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    scores = [0] * len(values)
    n = len(values)
    i = 0
    while i < n:
        j = i
        while j + 1 < n and values[order[j + 1]] == values[order[i]]:
            j += 1
        score = min(5, 1 + (i * 5) // n) if n else 1
        for k in range(i, j + 1):
            scores[order[k]] = score
        i = j + 1
    return scores


RFM_SEGMENTS = (
    ("Champions", "Bought recently, buy often and spend the most."),
    ("Loyal", "Buy often."),
    ("Potential loyalists", "Recent customers with more than one order."),
    ("New", "First order was recent."),
    ("Need attention", "Average recency, frequency and spend."),
    ("At risk", "Used to buy often, not lately."),
    ("Can't lose them", "Big spenders who have not come back for a long time."),
    ("Hibernating", "Last order long ago, few orders."),
)


def segment_of(r: int, f: int, m: int) -> str:
    if r >= 4 and f >= 4:
        return "Champions"
    if r <= 2 and f >= 4 and m >= 4:
        return "Can't lose them"
    if r <= 2 and f >= 3:
        return "At risk"
    if f >= 4:
        return "Loyal"
    if r >= 4 and f >= 2:
        return "Potential loyalists"
    if r >= 4:
        return "New"
    if r <= 2 and f <= 2:
        return "Hibernating"
    return "Need attention"


def rfm(values: list[CustomerValue], now: datetime | None = None) -> list[CustomerValue]:
    """Recency, frequency and monetary scores (1–5, by quintile over the whole history) and a named segment.

    Recency is days since the last counted order, frequency the counted orders, monetary the LTV; a higher score is
    better on all three. Scores are relative to this store's customers, as Putler's and Metorik's are.
    """
    if not values:
        return values
    now = now or timezone.now()
    recency = [-(now - v.last_at).total_seconds() if v.last_at else float("-inf") for v in values]
    r = _quintile_scores(recency)
    f = _quintile_scores([float(v.orders) for v in values])
    m = _quintile_scores([float(v.net_minor) for v in values])
    for v, rs, fs, ms in zip(values, r, f, m, strict=True):
        v.r, v.f, v.m = rs, fs, ms
        v.segment = segment_of(rs, fs, ms)
    return values


@dataclass
class CustomerSummary:
    customers: int = 0
    ltv_avg_minor: int = 0
    top20_share: Decimal = Decimal(0)  # share of lifetime net from the top 20 % customers
    top: list[CustomerValue] = field(default_factory=list)
    segments: dict[str, int] = field(default_factory=dict)


def customer_summary(values: list[CustomerValue], top_n: int = 20) -> CustomerSummary:
    values = sorted(values, key=lambda v: v.net_minor, reverse=True)
    total = sum(v.net_minor for v in values)
    n20 = max(1, (len(values) + 4) // 5) if values else 0
    share = Decimal(sum(v.net_minor for v in values[:n20])) / Decimal(total) if total > 0 else Decimal(0)
    segments = {name: 0 for name, _ in RFM_SEGMENTS}
    for v in values:
        if v.segment:
            segments[v.segment] += 1
    return CustomerSummary(
        customers=len(values),
        ltv_avg_minor=divide_minor(total, len(values)),
        top20_share=share.quantize(Decimal("0.001")),
        top=values[:top_n],
        segments=segments,
    )


# --- products ----------------------------------------------------------------------------------------------------


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


# --- subscriptions -----------------------------------------------------------------------------------------------

MONTHS_PER_PERIOD = {"day": Decimal(12) / Decimal(365), "week": Decimal(12) / Decimal(52), "month": 1, "year": 12}


@dataclass
class SubscriptionFigures:
    currency: str
    active: int = 0
    mrr_minor: int = 0
    new: int = 0
    churned: int = 0
    active_at_start: int = 0

    @property
    def arr_minor(self) -> int:
        return self.mrr_minor * 12

    @property
    def churn_rate(self) -> Decimal:
        """Churned in the range ÷ active at its start (Putler's user churn)."""
        if not self.active_at_start:
            return Decimal(0)
        return (Decimal(self.churned) / Decimal(self.active_at_start)).quantize(Decimal("0.0001"))


def monthly_minor(total_minor: int, period: str, interval: int) -> Decimal:
    """A subscription's recurring total as a monthly amount: total ÷ (interval × months per period)."""
    months = Decimal(str(MONTHS_PER_PERIOD.get(period or "month", 1))) * max(1, interval or 1)
    return Decimal(total_minor) / months


def subscription_figures(source: Any, settings: ReportSettings, first: date, last: date) -> SubscriptionFigures:
    """MRR and ARR of subscriptions active now; new (started in range), churned (cancelled or expired in range),
    churn rate = churned ÷ active at the start of the range."""
    from storelens.commerce.models import Subscription

    start, end = range_bounds_utc(first, last, settings.tz)
    subs = Subscription.objects.filter(source=source, deleted_at__isnull=True)
    fig = SubscriptionFigures(currency=source.currency or "USD")
    mrr = Decimal(0)
    for s in subs.filter(status__in=["active", "pending-cancel"]).values(
        "total_minor", "billing_period", "billing_interval"
    ):
        fig.active += 1
        mrr += monthly_minor(s["total_minor"], s["billing_period"], s["billing_interval"])
    fig.mrr_minor = int(mrr.to_integral_value())
    fig.new = subs.filter(start_at__gte=start, start_at__lt=end).count()
    ended = Q(cancelled_at__gte=start, cancelled_at__lt=end) | Q(status="expired", end_at__gte=start, end_at__lt=end)
    fig.churned = subs.filter(ended).count()
    fig.active_at_start = (
        subs.filter(start_at__lt=start)
        .exclude(Q(cancelled_at__lt=start) | Q(end_at__lt=start))
        .exclude(status__in=["pending", "trash"])
        .count()
    )
    return fig


# --- live activity -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    kind: str  # "order" | "refund"
    pk: int
    source_name: str
    label: str
    amount_minor: int
    currency: str
    status: str
    at: datetime | None


def activity(sources: Sequence[Any], after_order: int = 0, after_refund: int = 0, limit: int = 20) -> list[Activity]:
    """The newest orders and refunds, newest first: by the store's creation date for the first screen, and by arrival
    in our copy (`after_*` ids) for the live feed, so an old order imported late still counts as news once."""
    from storelens.commerce.models import Order, Refund

    ids = [s.pk for s in sources]
    order_by = "-pk" if after_order or after_refund else "-created_at"
    orders = (
        Order.objects.filter(source_id__in=ids, pk__gt=after_order, deleted_at__isnull=True)
        .exclude(status__in=["trash", "checkout-draft", "auto-draft"])
        .select_related("source")
        .order_by(order_by)[:limit]
    )
    refunds = (
        Refund.objects.filter(source_id__in=ids, pk__gt=after_refund, deleted_at__isnull=True)
        .select_related("source")
        .order_by(order_by)[:limit]
    )
    items = [
        Activity(
            "order",
            o.pk,
            str(o.source),
            f"Order #{o.number or o.wc_id}",
            o.total_minor,
            o.currency,
            o.status,
            o.created_at,
        )
        for o in orders
    ] + [
        Activity(
            "refund",
            r.pk,
            str(r.source),
            f"Refund on order #{r.parent_wc_id}",
            -r.amount_minor,
            r.currency,
            "refund",
            r.created_at,
        )
        for r in refunds
    ]
    items.sort(key=lambda a: (a.at or timezone.now(), a.pk), reverse=True)
    return items[:limit]


def latest_ids(sources: Sequence[Any]) -> tuple[int, int]:
    from storelens.commerce.models import Order, Refund

    ids = [s.pk for s in sources]
    o = Order.objects.filter(source_id__in=ids).aggregate(m=Max("pk"))["m"] or 0
    r = Refund.objects.filter(source_id__in=ids).aggregate(m=Max("pk"))["m"] or 0
    return o, r


def days_between(first: date, last: date) -> int:
    return (last - first).days + 1


def previous_period(first: date, last: date) -> tuple[date, date]:
    n = days_between(first, last)
    return first - timedelta(days=n), first - timedelta(days=1)


def filtered_daily(
    source: Any, settings: ReportSettings, first: date, last: date, product: int | None = None, country: str = ""
) -> dict[date, Any]:
    """Per-day totals of the orders that sold `product` or ship to `country`, with their refunds.

    Rollups have no product or country dimension, so this reads the matching raw rows and applies the same
    `definitions` (whole orders are counted: an order with the product counts with its full net)."""
    from storelens.analytics.definitions import Totals, contributions
    from storelens.analytics.rows import ORDER_FIELDS, REFUND_FIELDS, order_row_from_values, refund_row_from_values
    from storelens.commerce.models import Order, Refund

    qs = Order.objects.filter(source=source)
    if product:
        qs = qs.filter(line_items__product_wc_id=product).distinct()
    if country:
        qs = qs.filter(billing_country=country.upper())
    orders = [order_row_from_values(v) for v in qs.values(*ORDER_FIELDS)]
    ids = [o.id for o in orders]
    refunds = [
        refund_row_from_values(v)
        for v in Refund.objects.filter(source=source, parent_wc_id__in=ids).values(*REFUND_FIELDS)
    ]
    out: dict[date, Totals] = {}
    for c in contributions(orders, refunds, settings.date_basis, settings.tz):
        if first <= c.day <= last and c.status not in settings.all_excluded:
            out.setdefault(c.day, Totals()).add(c.totals)
    return out

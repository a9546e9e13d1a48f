"""Customers' lifetime values, their RFM segments and the customers page summary; money summed in SQL over
integer minor units."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Min, Sum
from django.utils import timezone

from storelens.analytics.definitions import ReportSettings
from storelens.analytics.money import divide_minor
from storelens.analytics.range_filters import BASIS_FIELD, counted_orders


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

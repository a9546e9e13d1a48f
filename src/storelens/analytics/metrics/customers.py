"""Customer definitions: a customer's lifetime value, RFM scores (quintiles over the store's customers) and
segments, and the Customers page's summary (average and median LTV, the top 20 %'s share). Pure: values in, figures
out; the values come from the customer rollups (`rollups.snapshots.customer_values`) or the raw rows
(`reports.customers.customer_values_raw`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from storelens.commerce.money import divide_minor

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class CustomerValue:
    customer_id: int
    store_id: int
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


Bounds = list[int | None]
"""The lowest value reaching scores 2, 3, 4 and 5 (None: no customer reaches that score)."""

NO_DATE = -(2**62)  # the recency key of a customer without a last order: below everyone


def recency_key(last_at: datetime | None) -> int:
    """Recency as an integer that ranks like "days since the last order", reversed: microseconds since the epoch.
    Ranking by it gives the same scores as ranking by −(now − last_at), without depending on `now`."""
    if last_at is None:
        return NO_DATE
    delta = last_at - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def quintile_bounds(values: list[int]) -> Bounds:
    """1..5 by rank, ties sharing the score of the tie's lowest rank (so each score holds about a fifth of the
    customers), expressed as the lowest value reaching each score 2–5: a customer's score is then
    `score(value, bounds)`, which a profile or a new row can be given without ranking everyone again."""
    ordered = sorted(values)
    n = len(ordered)
    bounds: Bounds = [None, None, None, None]
    i = 0
    while i < n:
        value = ordered[i]
        rank_score = min(5, 1 + (i * 5) // n)
        for k in range(2, rank_score + 1):
            if bounds[k - 2] is None:
                bounds[k - 2] = value
        j = i
        while j + 1 < n and ordered[j + 1] == value:
            j += 1
        i = j + 1
    return bounds


def score(value: int, bounds: Bounds) -> int:
    return 1 + sum(1 for b in bounds if b is not None and value >= b)


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


RFM_KEYS = {
    "r": lambda v: recency_key(v.last_at),
    "f": lambda v: v.orders,
    "m": lambda v: v.net_minor,
}


def rfm_bounds(values: list[CustomerValue]) -> dict[str, Bounds]:
    return {dim: quintile_bounds([key(v) for v in values]) for dim, key in RFM_KEYS.items()}


def rfm(values: list[CustomerValue], bounds: dict[str, Bounds] | None = None) -> list[CustomerValue]:
    """Recency, frequency and monetary scores (1–5, by quintile over the whole history) and a named segment.

    Recency ranks the last counted order, frequency the counted orders, monetary the LTV; a higher score is better on
    all three. Scores are relative to this store's customers, as Putler's and Metorik's are: by default the bounds
    come from `values` themselves; pass a store's stored bounds to score a few customers against all of them.
    """
    if not values:
        return values
    bounds = bounds or rfm_bounds(values)
    for v in values:
        v.r = score(recency_key(v.last_at), bounds["r"])
        v.f = score(v.orders, bounds["f"])
        v.m = score(v.net_minor, bounds["m"])
        v.segment = segment_of(v.r, v.f, v.m)
    return values


@dataclass
class CustomerSummary:
    customers: int = 0
    ltv_avg_minor: int = 0
    ltv_median_minor: int = 0
    top20_share: Decimal = Decimal(0)  # share of lifetime net from the top 20 % customers
    top: list[CustomerValue] = field(default_factory=list)
    segments: dict[str, int] = field(default_factory=dict)


def top_count(customers: int) -> int:
    """How many customers are "the top 20 %": a fifth, rounded up, at least one when there is anyone."""
    return max(1, (customers + 4) // 5) if customers else 0


def median_minor(low: int, high: int, odd: bool) -> int:
    """The median of a sorted list from its middle value(s): the middle one, or the two middles' mean rounded half
    away from zero (minor units stay integers)."""
    return low if odd else divide_minor(low + high, 2)


def share(part: int, total: int) -> Decimal:
    return (
        (Decimal(part) / Decimal(total)).quantize(Decimal("0.001"))
        if total > 0
        else Decimal(0).quantize(Decimal("0.001"))
    )


def ranked(values: list[CustomerValue]) -> list[CustomerValue]:
    """Highest lifetime net first; equal values by customer id, so every list (page, API, CSV) ranks alike."""
    return sorted(values, key=lambda v: (-v.net_minor, v.customer_id))


def customer_summary(values: list[CustomerValue], top_n: int = 20) -> CustomerSummary:
    """The page's whole-history figures over scored values: average and median LTV, the top 20 %'s share of
    lifetime net, the top `top_n` customers and the customers per RFM segment."""
    values = ranked(values)
    n = len(values)
    total = sum(v.net_minor for v in values)
    nets = [v.net_minor for v in reversed(values)]  # ascending
    segments = {name: 0 for name, _ in RFM_SEGMENTS}
    for v in values:
        if v.segment:
            segments[v.segment] += 1
    return CustomerSummary(
        customers=n,
        ltv_avg_minor=divide_minor(total, n),
        ltv_median_minor=median_minor(nets[(n - 1) // 2], nets[n // 2], n % 2 == 1) if n else 0,
        top20_share=share(sum(v.net_minor for v in values[: top_count(n)]), total),
        top=values[:top_n],
        segments=segments,
    )

"""MRR over time and its movements, from what a subscription row holds: when it started, when it stopped (cancelled or
ended) and its recurring total as last synced.

Pure (spans and instants in, periods out). Movements are per customer, between the MRR a customer pays at a period's
start and at its end, so every period adds up exactly in whole minor units:

    MRR(start) + new + expansion − contraction − churned + reactivated = MRR(end)

- new: a customer paying nothing at the start and something at the end, with no subscription started before the period;
- reactivated: the same, for a customer who had a subscription before (one that had stopped by the period's start);
- expansion / contraction: a customer paying at both ends, more / less at the end (a second subscription, or one of
  several stopping);
- churned: a customer paying at the start and nothing at the end.

What this cannot see: a subscription's own history. The sync keeps its current totals and dates, not each change, so
a price change or a switch shows as if the current total had always applied, and a suspension (on-hold) does not
stop MRR. A customer who starts and stops within one period moves nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from itertools import pairwise

from storelens.analytics.metrics.subscriptions import monthly_minor


def monthly_whole_minor(total_minor: int, period: str, interval: int) -> int:
    """A subscription's monthly amount rounded once to whole minor units, so sums of them add up exactly."""
    return int(monthly_minor(total_minor, period, interval).to_integral_value(ROUND_HALF_EVEN))


@dataclass(frozen=True)
class Span:
    """One subscription: who pays, how much a month, and the instants it runs between. It runs at `t` when it started
    before `t` and had not stopped before `t` (stop None: still running), as `subscription_figures` counts."""

    customer: Hashable
    monthly_minor: int
    start: datetime
    stop: datetime | None = None

    def runs_at(self, instant: datetime) -> bool:
        return self.start < instant and (self.stop is None or self.stop >= instant)


@dataclass
class MrrPeriod:
    start: datetime
    end: datetime
    mrr_start: int = 0
    new: int = 0
    expansion: int = 0
    contraction: int = 0
    churned: int = 0
    reactivated: int = 0
    mrr_end: int = 0
    customers_start: int = 0  # paying customers at each end (MRR > 0)
    customers_end: int = 0
    new_customers: int = 0
    churned_customers: int = 0
    reactivated_customers: int = 0

    @property
    def net(self) -> int:
        return self.new + self.expansion - self.contraction - self.churned + self.reactivated

    @property
    def adds_up(self) -> bool:
        return self.mrr_start + self.net == self.mrr_end


@dataclass
class MrrAt:
    """Each paying customer's MRR at one instant."""

    by_customer: dict[Hashable, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_customer.values())

    @property
    def paying(self) -> int:
        return sum(1 for v in self.by_customer.values() if v > 0)


def mrr_at(spans: Sequence[Span], instant: datetime) -> MrrAt:
    out: dict[Hashable, int] = defaultdict(int)
    for s in spans:
        if s.runs_at(instant):
            out[s.customer] += s.monthly_minor
    return MrrAt(dict(out))


def movements(spans: Sequence[Span], boundaries: Sequence[datetime]) -> list[MrrPeriod]:
    """One `MrrPeriod` per consecutive pair of `boundaries` (ascending instants).

    A sweep: each span adds its amount once its start is passed and takes it away once its stop is passed, and only
    the customers touched between two boundaries are compared, so weeks over years of a few thousand subscriptions
    cost a sort, not subscriptions × periods. `mrr_at` is the definition it must equal (tests/analytics/metrics)."""
    first_start: dict[Hashable, datetime] = {}
    events: list[tuple[datetime, int, Span]] = []  # (instant, +1 add / −1 remove): effective at boundaries after it
    for s in spans:
        if s.customer not in first_start or s.start < first_start[s.customer]:
            first_start[s.customer] = s.start
        if s.stop is not None and s.stop < s.start:
            continue  # stopped before it started: never runs
        events.append((s.start, 1, s))
        if s.stop is not None:
            events.append((s.stop, -1, s))
    events.sort(key=lambda e: (e[0], e[1]))
    current: dict[Hashable, int] = defaultdict(int)
    total = paying = i = 0

    def advance(to: datetime) -> dict[Hashable, int]:
        """Applies the events before `to`; returns each touched customer's MRR before them."""
        nonlocal total, paying, i
        before: dict[Hashable, int] = {}
        while i < len(events) and events[i][0] < to:
            _, sign, s = events[i]
            before.setdefault(s.customer, current[s.customer])
            was = current[s.customer]
            current[s.customer] = was + sign * s.monthly_minor
            total += sign * s.monthly_minor
            paying += (current[s.customer] > 0) - (was > 0)
            i += 1
        return before

    if boundaries:
        advance(boundaries[0])
    periods = []
    for a, b in pairwise(boundaries):
        p = MrrPeriod(a, b, mrr_start=total, customers_start=paying)
        for c, was in advance(b).items():
            tally(p, was, current[c], first_start[c] < a)
        p.mrr_end, p.customers_end = total, paying
        periods.append(p)
    return periods


def tally(p: MrrPeriod, was: int, now: int, returning: bool) -> None:
    """Adds one customer's move between the period's ends to its movements: `was` and `now` their MRR at its start and
    end, `returning` whether they had a subscription started before the period (reactivated, not new)."""
    if was <= 0 < now:
        if returning:
            p.reactivated += now
            p.reactivated_customers += 1
        else:
            p.new += now
            p.new_customers += 1
    elif now <= 0 < was:
        p.churned += was
        p.churned_customers += 1
    elif now > was:
        p.expansion += now - was
    elif now < was:
        p.contraction += was - now


@dataclass(frozen=True)
class Lifetime:
    """Putler's ARPPU and LTV at an instant: ARPPU = MRR ÷ paying customers; user churn = customers paying 30 days
    before who pay nothing now ÷ customers paying 30 days before; LTV = ARPPU ÷ user churn (None when nobody churned:
    the lifetime is not bounded by what the data shows)."""

    mrr_minor: int
    paying: int
    arppu_minor: int | None
    user_churn: Decimal | None
    ltv_minor: int | None


def lifetime(before: MrrAt, now: MrrAt) -> Lifetime:
    paying_before = [c for c, v in before.by_customer.items() if v > 0]
    gone = sum(1 for c in paying_before if now.by_customer.get(c, 0) <= 0)
    return lifetime_of(now.total, now.paying, len(paying_before), gone)


def lifetime_of(mrr_minor: int, paying: int, paying_before: int, gone: int) -> Lifetime:
    """`lifetime` from its counts: MRR and paying customers now, customers paying 30 days before and how many of them
    pay nothing now (what the MRR snapshot gives without each customer's MRR)."""
    arppu = Decimal(mrr_minor) / paying if paying else None
    churn = Decimal(gone) / paying_before if paying_before else None
    ltv = int((arppu / churn).to_integral_value(ROUND_HALF_EVEN)) if arppu is not None and churn else None
    if churn is not None:
        churn = churn.quantize(Decimal("0.0001"))
    return Lifetime(
        mrr_minor, paying, None if arppu is None else int(arppu.to_integral_value(ROUND_HALF_EVEN)), churn, ltv
    )

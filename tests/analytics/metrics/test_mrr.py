"""MRR movements: every period adds up exactly (start + new + expansion − contraction − churned + reactivated = end)
for random subscription histories, periods chain, and each movement is what a customer's MRR did, by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from storelens.analytics.metrics.mrr import Span, lifetime, monthly_whole_minor, movements, mrr_at

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def day(n: int) -> datetime:
    return T0 + timedelta(days=n)


span = st.builds(
    lambda customer, amount, start, length: Span(
        customer, amount, day(start), None if length is None else day(start + length)
    ),
    customer=st.integers(1, 5),
    amount=st.integers(0, 50_000),
    start=st.integers(-60, 200),
    length=st.none() | st.integers(0, 150),
)


def by_definition(spans: list[Span], b0: datetime, b1: datetime) -> tuple[int, ...]:
    """The movements from each customer's MRR at both ends (`mrr_at`, no sweep)."""
    m0, m1 = mrr_at(spans, b0).by_customer, mrr_at(spans, b1).by_customer
    new = expansion = contraction = churned = reactivated = 0
    for c in set(m0) | set(m1):
        was, now = m0.get(c, 0), m1.get(c, 0)
        if was <= 0 < now:
            if any(s.customer == c and s.start < b0 for s in spans):
                reactivated += now
            else:
                new += now
        elif now <= 0 < was:
            churned += was
        elif now > was:
            expansion += now - was
        else:
            contraction += was - now
    return new, expansion, contraction, churned, reactivated


@settings(max_examples=200, deadline=None)
@given(spans=st.lists(span, max_size=25), cuts=st.lists(st.integers(-30, 240), min_size=2, max_size=10, unique=True))
def test_every_period_adds_up_and_periods_chain_for_random_histories(spans: list[Span], cuts: list[int]) -> None:
    boundaries = [day(c) for c in sorted(cuts)]
    periods = movements(spans, boundaries)
    assert len(periods) == len(boundaries) - 1
    for p, b0, b1 in zip(periods, boundaries, boundaries[1:], strict=False):
        assert p.mrr_start + p.new + p.expansion - p.contraction - p.churned + p.reactivated == p.mrr_end
        # MRR at each end is the running spans' sum, straight from the definition.
        assert p.mrr_start == sum(s.monthly_minor for s in spans if s.start < b0 and (s.stop is None or s.stop >= b0))
        assert p.mrr_end == sum(s.monthly_minor for s in spans if s.start < b1 and (s.stop is None or s.stop >= b1))
        assert min(p.new, p.expansion, p.contraction, p.churned, p.reactivated) >= 0
        assert (p.new, p.expansion, p.contraction, p.churned, p.reactivated) == by_definition(spans, b0, b1)
        assert p.customers_end == mrr_at(spans, b1).paying
        assert p.customers_start + p.new_customers + p.reactivated_customers - p.churned_customers == p.customers_end
    for earlier, later in pairwise(periods):
        assert earlier.mrr_end == later.mrr_start


def test_each_movement_is_what_a_customers_mrr_did() -> None:
    spans = [
        Span("new", 1000, day(40)),  # starts in February: new
        Span("grows", 500, day(0)), Span("grows", 700, day(45)),  # a second subscription: expansion 700
        Span("shrinks", 300, day(0)), Span("shrinks", 200, day(0), day(50)),  # one of two stops: contraction 200
        Span("leaves", 900, day(0), day(35)),  # churned 900
        Span("returns", 400, day(-90), day(-10)), Span("returns", 600, day(33)),  # had one before: reactivated 600
        Span("in-and-out", 5000, day(34), day(40)),  # starts and stops within February: moves nothing
    ]  # fmt: skip
    [p] = movements(spans, [day(31), day(59)])  # 1 Feb → 1 Mar
    assert (p.mrr_start, p.mrr_end) == (500 + 300 + 200 + 900, 1000 + 1200 + 300 + 600)
    assert (p.new, p.expansion, p.contraction, p.churned, p.reactivated) == (1000, 700, 200, 900, 600)
    assert (p.new_customers, p.churned_customers, p.reactivated_customers) == (1, 1, 1)
    assert p.adds_up


def test_putler_arppu_and_ltv() -> None:
    before = mrr_at([Span(c, 1000, day(0)) for c in range(10)], day(10))
    now = mrr_at([Span(c, 1000, day(0)) for c in range(8)] + [Span(99, 4000, day(15))], day(40))
    life = lifetime(before, now)
    # MRR 12,000 over 9 paying customers; 2 of the 10 paying 30 days before pay nothing now: churn 20 %.
    assert (life.mrr_minor, life.paying, life.arppu_minor, life.user_churn) == (12_000, 9, 1333, Decimal("0.2000"))
    assert life.ltv_minor == 6667  # 1333.33… ÷ 0.2, rounded once
    assert lifetime(now, now).ltv_minor is None  # nobody churned: no lifetime the data bounds


def test_monthly_amounts_are_rounded_once_per_subscription() -> None:
    assert monthly_whole_minor(12000, "year", 1) == 1000
    assert monthly_whole_minor(1000, "week", 2) == 2167  # 10 × 52 ÷ 24 = 21.666…
    assert monthly_whole_minor(999, "month", 3) == 333

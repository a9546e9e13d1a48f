"""New and returning customers over time, whole weeks and months read from the cohort cells and cut ones from the
orders, equal the definition over raw rows (`metrics.ranges.new_and_returning` for each period), after any sequence
of writes the sync can make (`test_cohorts_property`'s: status and date changes, deletions, guest orders merged into
a registered customer), for any range (whole and cut periods), grain, basis, excluded statuses and zone; also when
writes after the last pass end left the cells stale, or the report overrides the store's date basis, where the
cells must not answer."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.cohorts import nth_period_start, period_start
from storelens.analytics.metrics.ranges import new_and_returning
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.reports.breakdowns import new_and_returning_over_time, periods_of
from storelens.analytics.reports.period_customers import cells_exact_before, is_whole, whole_period_counts
from storelens.analytics.rollups import cohorts as cohort_cells
from storelens.analytics.rollups.rows import raw_rows
from storelens.stores.models import Store
from storelens.stores.reporting import DateBasis
from tests.analytics.rollups.test_cohorts_property import (
    STATUSES,
    T0,
    delete_op,
    pass_end,
    pass_op,
    register_op,
    run,
)

pytestmark = pytest.mark.django_db(transaction=False)

# Orders of up to 40 ids spread over five months, each written again a few days later or earlier (the cohort test's
# 9 ids, dated by hypothesis's favourite small numbers, rarely give a customer orders in two periods of one range):
# each of the three customers (e-mails by id) then returns in most months and many weeks.
dense_order = st.builds(
    lambda oid, status, currency, shift, paid, country, account: (
        *("order", oid, status, currency, (oid * 23) % 150 + shift, paid, 5000, 500, set(), set()),
        *(country, account, False),
    ),
    st.sampled_from(range(1, 41)),  # drawn evenly (st.integers favours the smallest)
    st.sampled_from(["completed", "completed", "processing", *STATUSES]),
    st.sampled_from(["USD", "USD", "EUR"]),
    st.integers(0, 9),
    st.sampled_from([None, 0, 0, 3, 30]),  # paid, days after created
    st.sampled_from(["US", "DE", ""]),
    st.sampled_from([0, 0, 41]),
)
ops_strategy = st.lists(st.one_of(*[dense_order] * 6, delete_op, register_op, pass_op), min_size=12, max_size=40)
ZONES = [("America/New_York", Decimal("0")), ("", Decimal("5.50")), ("Pacific/Auckland", Decimal("0"))]


def raw_per_period(store: Store, periods: list[tuple[date, date]], basis: str | None) -> list[tuple[int, int]]:
    """The definition, period by period, over every order of the store as raw rows."""
    s = report_settings(store, basis)
    orders, _ = raw_rows(store)
    return [new_and_returning(orders, s, a, b) for a, b in periods]


def a_range(start: int, days: int, grain: str, align_first: bool, align_last: bool) -> tuple[date, date]:
    """A range over the orders' months, its ends on period bounds or not."""
    first = T0.date() + timedelta(days=start)
    last = first + timedelta(days=days)
    if align_first:
        first = period_start(first, grain)
    if align_last:
        last = nth_period_start(period_start(last, grain), 1, grain) - timedelta(days=1)
    return first, last


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ops=ops_strategy,
    # Writes after the pass: orders new or moved, deleted, guests merged into a registered customer (each notes where
    # the cells are behind from, `rollups.cohorts.exact_before`).
    after=st.one_of(st.just([]), st.lists(st.one_of(dense_order, delete_op, register_op), min_size=1, max_size=3)),
    basis=st.sampled_from([DateBasis.CREATED, DateBasis.PAID]),
    excluded=st.sets(st.sampled_from(STATUSES[:7]), max_size=2),
    zone=st.sampled_from(ZONES),
    grain=st.sampled_from(["week", "month"]),
    start=st.integers(-20, 130),
    days=st.integers(0, 120),
    align_first=st.booleans(),
    align_last=st.booleans(),
    override=st.sampled_from([False, False, False, True]),
)
def test_new_and_returning_over_time_equals_the_raw_definition_per_period(
    ops: list[tuple],
    after: list[tuple],
    basis: DateBasis,
    excluded: set[str],
    zone: tuple[str, Decimal],
    grain: str,
    start: int,
    days: int,
    align_first: bool,
    align_last: bool,
    override: bool,
) -> None:
    with transaction.atomic():
        workspace = Workspace.objects.create(name="Prop")
        store = Store.objects.create(
            workspace=workspace,
            currency="USD",
            timezone_string=zone[0],
            gmt_offset=zone[1],
            date_basis=basis.value,
            excluded_statuses=sorted(excluded),
        )
        run(store, ops)
        pass_end(store)
        cohort_cells.current(store)
        run(store, after)  # a write after the pass: the cells are stale until the next one, if it moved a customer
        other = DateBasis.PAID if basis == DateBasis.CREATED else DateBasis.CREATED
        asked = other.value if override else None
        first, last = a_range(start, days, grain, align_first, align_last)
        periods = periods_of(first, last, grain)
        expected = raw_per_period(store, periods, asked)
        answer = new_and_returning_over_time([store], first, last, grain, date_basis=asked)
        assert [(p.first, p.last) for p in answer] == periods
        assert [(p.new, p.returning) for p in answer] == expected
        # The cells answered every whole period when they could, and exactly; never when they could not.
        s = report_settings(store, asked)
        whole = whole_period_counts(store, s, periods, grain)
        before = cells_exact_before(store, s)
        answers = before is not None
        event(f"cells answer: {answers}; whole periods: {any(is_whole(a, b, grain) for a, b in periods)}")
        if any(expected[i][1] for i in whole):
            event("returning customers in a whole period from the cells")
        if not answers and not override:
            event("cells behind with nothing noted: the orders answer every period")
        if answers and before != date.max:
            event("stale cells answered the periods before the change" if whole else "stale cells: none before it")
        if answers:
            assert before is not None
            assert set(whole) == {i for i, (a, b) in enumerate(periods) if is_whole(a, b, grain) and b < before}
            assert all(expected[i] == counts for i, counts in whole.items())
            assert before == date.max or after  # behind only by what was written after the pass
        else:
            assert whole == {}
            assert override or after
        transaction.set_rollback(True)

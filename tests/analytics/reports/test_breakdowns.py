"""New and returning customers over time answer, period by period, exactly what the one reader of those counts
(`customer_counts.new_and_returning`) answers for that period, whether the cohort cells answer the whole periods
(fresh, the store's own settings), the customer standings give each customer's first order (fresh, same settings)
or the orders must (stale cells or standings, another basis, other excluded statuses, no customer snapshot)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.models import CustomerSnapshot
from storelens.analytics.reports import breakdowns
from storelens.analytics.reports.breakdowns import new_and_returning_over_time, periods_of
from storelens.analytics.reports.customer_counts import new_and_returning
from storelens.analytics.reports.summary import ReportError
from storelens.analytics.rollups import cohorts, snapshots
from storelens.commerce import upsert_customers, upsert_orders
from tests.analytics.payloads import order_payload
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db


@pytest.fixture
def ny() -> Any:
    store, _ = make_shops(Workspace.objects.create(name="Shops"))
    upsert_orders(
        store,
        [
            order_payload(20, created="2025-01-20T15:00:00", paid="2025-01-20T15:00:00", email="ann@x.org"),
            order_payload(21, created="2025-03-20T15:00:00", paid="2025-03-21T15:00:00", email="eve@x.org"),
            order_payload(22, status="on-hold", created="2025-02-03T15:00:00", email="eve@x.org"),
        ],
    )
    return store


def per_period(store: Any, first: date, last: date, grain: str, basis: str | None) -> list[tuple[int, int]]:
    return [new_and_returning([store], a, b, basis) for a, b in periods_of(first, last, grain)]


@pytest.mark.parametrize("grain", ["week", "month"])
@pytest.mark.parametrize("basis", [None, "created"])
@pytest.mark.parametrize("fresh_standings", [False, True])
def test_each_period_counts_what_the_customer_reader_counts_for_it(
    ny: Any, grain: str, basis: str | None, fresh_standings: bool
) -> None:
    if fresh_standings:
        snapshots.refresh(ny)
    first, last = date(2025, 1, 6), date(2025, 3, 31)
    answer = new_and_returning_over_time([ny], first, last, grain, date_basis=basis)
    assert [(p.new, p.returning) for p in answer] == per_period(ny, first, last, grain, basis)
    assert sum(p.new + p.returning for p in answer) > 0


def asked_of_the_orders(monkeypatch: pytest.MonkeyPatch) -> list[tuple[date, date]]:
    """The periods counted from the orders (every other one came from the cohort cells)."""
    asked: list[tuple[date, date]] = []
    from_orders = breakdowns._from_orders

    def spy(store: Any, settings: Any, periods: list[tuple[date, date]]) -> list[tuple[int, int]]:
        asked.extend(periods)
        return from_orders(store, settings, periods)

    monkeypatch.setattr(breakdowns, "_from_orders", spy)
    return asked


@pytest.mark.parametrize("grain", ["week", "month"])
def test_fresh_cells_answer_the_whole_periods_and_the_orders_only_the_cut_ones(
    ny: Any, grain: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshots.refresh(ny)
    cohorts.refresh(ny)
    asked = asked_of_the_orders(monkeypatch)
    first, last = date(2025, 1, 15), date(2025, 3, 24)  # cut at both ends, by month and by week
    answer = new_and_returning_over_time([ny], first, last, grain)
    periods = periods_of(first, last, grain)
    assert asked == [periods[0], periods[-1]]
    assert [(p.new, p.returning) for p in answer] == per_period(ny, first, last, grain, None)
    assert sum(p.returning for p in answer) > 0 and sum(p.new for p in answer) > 0


@pytest.mark.parametrize(
    "change",
    ["order after the pass", "another basis asked", "store counts other statuses", "no customer snapshot"],
)
def test_cells_that_cannot_answer_exactly_are_not_read_and_the_orders_stay_exact(
    ny: Any, change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshots.refresh(ny)
    cohorts.refresh(ny)
    basis = None
    if change == "order after the pass":  # eve's earlier order moves her cohort: the cells are stale
        upsert_orders(
            ny, [order_payload(23, created="2025-01-02T15:00:00", paid="2025-01-02T15:00:00", email="eve@x.org")]
        )
    elif change == "another basis asked":
        basis = "created"
    elif change == "store counts other statuses":  # the owner now excludes completed orders: ann's are gone
        ny.excluded_statuses = ["completed"]
        ny.save()
    else:
        CustomerSnapshot.objects.filter(store=ny).delete()
    asked = asked_of_the_orders(monkeypatch)
    first, last = date(2024, 12, 1), date(2025, 3, 31)
    answer = new_and_returning_over_time([ny], first, last, "month", date_basis=basis)
    months = periods_of(first, last, "month")
    # Behind by an order of 2 January: December, whole and before it, is still the cells'; the rest the orders'.
    assert asked == (months[1:] if change == "order after the pass" else months)
    assert [(p.new, p.returning) for p in answer] == per_period(ny, first, last, "month", basis)


def test_cells_behind_answer_only_the_periods_before_the_earliest_change(
    ny: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new customer's order of 20 February after the pass: January is still the cells', February on the orders'."""
    snapshots.refresh(ny)
    cohorts.refresh(ny)
    upsert_orders(ny, [order_payload(40, created="2025-02-20T15:00:00", paid="2025-02-20T15:00:00", email="zed@x.org")])
    asked = asked_of_the_orders(monkeypatch)
    first, last = date(2024, 12, 1), date(2025, 3, 31)
    answer = new_and_returning_over_time([ny], first, last, "month")
    assert asked == periods_of(date(2025, 2, 1), last, "month")
    assert [(p.new, p.returning) for p in answer] == per_period(ny, first, last, "month", None)


def test_a_guest_merged_into_a_registered_customer_is_behind_from_their_first_order(
    ny: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """cy@x.org (guest orders of 10 February and March) registers: her orders change hands without an order change,
    so her earliest order (February) is what the cells are behind from."""
    snapshots.refresh(ny)
    cohorts.refresh(ny)
    upsert_customers(ny, [{"id": 77, "email": "cy@x.org", "role": "customer"}])
    asked = asked_of_the_orders(monkeypatch)
    first, last = date(2024, 12, 1), date(2025, 3, 31)
    answer = new_and_returning_over_time([ny], first, last, "month")
    assert asked == periods_of(date(2025, 2, 1), last, "month")
    assert [(p.new, p.returning) for p in answer] == per_period(ny, first, last, "month", None)


@pytest.mark.parametrize("fresh_standings", [False, True])
def test_periods_apart_are_counted_from_their_own_orders(ny: Any, fresh_standings: bool) -> None:
    """The cut first and last periods of a range whose middle the cells answered: not adjacent."""
    if fresh_standings:
        snapshots.refresh(ny)
    periods = periods_of(date(2025, 1, 15), date(2025, 3, 24), "month")
    apart = [periods[0], periods[2]]
    counts = breakdowns._from_orders(ny, report_settings(ny), apart)
    assert counts == [new_and_returning([ny], a, b) for a, b in apart] == [(1, 0), (1, 2)]


def test_periods_are_cut_to_the_range() -> None:
    assert periods_of(date(2025, 1, 15), date(2025, 3, 3), "month") == [
        (date(2025, 1, 15), date(2025, 1, 31)),
        (date(2025, 2, 1), date(2025, 2, 28)),
        (date(2025, 3, 1), date(2025, 3, 3)),
    ]
    assert periods_of(date(2025, 3, 5), date(2025, 3, 17), "week")[1] == (date(2025, 3, 10), date(2025, 3, 16))


def test_an_unknown_period_is_refused_with_the_choices() -> None:
    with pytest.raises(ReportError, match="week, month"):
        new_and_returning_over_time([], date(2025, 1, 1), date(2025, 1, 2), "day")

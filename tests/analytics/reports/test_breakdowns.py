"""New and returning customers over time answer, period by period, exactly what the one reader of those counts
(`customer_counts.new_and_returning`) answers for that period, whether the customer standings can give each
customer's first order (fresh, same settings) or the orders must (stale standings, another basis)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.analytics.reports.breakdowns import new_and_returning_over_time, periods_of
from storelens.analytics.reports.customer_counts import new_and_returning
from storelens.analytics.reports.summary import ReportError
from storelens.analytics.rollups import snapshots
from storelens.commerce import upsert_orders
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

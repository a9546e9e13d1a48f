"""A chart's comparison series sits beside the range (`periods.beside`, `moved_beside`): by week or month each point
holds the comparison's days matching the range's days of that bucket, and the points add up to the comparison's
total. Cut by its own calendar and then to the range's length, 29 Jan – 28 Feb by month was 29–31 Jan only."""

from __future__ import annotations

from datetime import date, timedelta

from storelens.analytics.metrics.periods import beside, comparison_range, moved_beside, series
from storelens.analytics.metrics.types import Totals


def each_day(first: date, last: date, net: int = 1) -> dict[date, Totals]:
    """Every day of a comparison with the same net sales: a bucket's net is then the number of its days."""
    return {first + timedelta(days=i): Totals(net_sales=net) for i in range((last - first).days + 1)}


def dashed(first: date, last: date, compare: str, per_day: dict[date, Totals], grain: str) -> list[tuple[date, int]]:
    """The comparison's points as the Sales page draws them: moved beside the range, bucketed by the range."""
    return [(d, t.net_sales) for d, t in series(moved_beside(per_day, first, last, compare), first, last, grain)]


def test_march_by_month_holds_all_of_its_previous_period() -> None:
    first, last = date(2025, 3, 1), date(2025, 3, 31)
    then = comparison_range(first, last)
    assert then == (date(2025, 1, 29), date(2025, 2, 28))
    per_day = each_day(*then)
    per_day[date(2025, 2, 10)] = Totals(net_sales=1000)
    # One point, March's, with all 31 days of the comparison (not the 3 days of January its own calendar starts with).
    assert dashed(first, last, "previous", per_day, "month") == [(date(2025, 3, 1), 30 + 1000)]
    # What the old cut gave: the comparison's own January, three days.
    assert series(per_day, *then, "month")[0] == (date(2025, 1, 1), Totals(net_sales=3))


def test_march_by_week_holds_the_matching_days_of_each_week() -> None:
    first, last = date(2025, 3, 1), date(2025, 3, 31)  # a Saturday to a Monday
    per_day = each_day(*comparison_range(first, last))
    per_day[date(2025, 2, 10)] = Totals(net_sales=1000)  # 31 days later: Thursday 13 March, the week of 10 March
    points = dashed(first, last, "previous", per_day, "week")
    mondays = [date(2025, 2, 24), date(2025, 3, 3), date(2025, 3, 10), date(2025, 3, 17), date(2025, 3, 24)]
    assert [d for d, _ in points] == [*mondays, date(2025, 3, 31)]
    # 1–2 March, four whole weeks, 31 March: the comparison's days 29–30 Jan, ..., 28 Feb.
    assert [net for _, net in points] == [2, 7, 7 - 1 + 1000, 7, 7, 1]
    assert sum(net for _, net in points) == sum(t.net_sales for t in per_day.values())


def test_same_period_last_year_by_month_keeps_each_month_with_its_own() -> None:
    first, last = date(2025, 1, 1), date(2025, 3, 31)
    then = comparison_range(first, last, "last_year")
    assert then == (date(2024, 1, 1), date(2024, 3, 31))
    per_day = each_day(*then)
    per_day[date(2024, 2, 29)] = Totals(net_sales=500)  # lands on 28 February 2025, still February
    per_day[date(2024, 3, 1)] = Totals(net_sales=70)
    points = dashed(first, last, "last_year", per_day, "month")
    assert points == [(date(2025, 1, 1), 31), (date(2025, 2, 1), 28 + 500), (date(2025, 3, 1), 30 + 70)]


def test_a_range_of_parts_of_months_by_month_and_by_week() -> None:
    # 10 March – 20 April 2025 (42 days) against 27 Jan – 9 Mar: March holds the comparison's first 22 days, April the
    # last 20 (its own calendar would say 5 days of January, then February).
    first, last = date(2025, 3, 10), date(2025, 4, 20)
    then = comparison_range(first, last)
    assert then == (date(2025, 1, 27), date(2025, 3, 9))
    per_day = each_day(*then)
    assert dashed(first, last, "previous", per_day, "month") == [(date(2025, 3, 1), 22), (date(2025, 4, 1), 20)]
    # 42 days from a Monday: six whole weeks, each the comparison's matching seven days.
    assert [net for _, net in dashed(first, last, "previous", per_day, "week")] == [7] * 6
    # A year before, 10 Feb – 9 Mar 2024 holds 29 February: it joins 28 February 2025, so February holds 20 days' worth.
    first, last = date(2025, 2, 10), date(2025, 3, 9)
    per_day = each_day(*comparison_range(first, last, "last_year"))
    assert len(per_day) == 29
    assert dashed(first, last, "last_year", per_day, "month") == [(date(2025, 2, 1), 20), (date(2025, 3, 1), 9)]


def test_a_comparison_day_never_lands_outside_the_range() -> None:
    # A range starting on 29 February: a year before starts on 28 February, which stands beside the range's first day.
    first, last = date(2024, 2, 29), date(2024, 3, 5)
    then_first, then_last = comparison_range(first, last, "last_year")
    assert (then_first, then_last) == (date(2023, 2, 28), date(2023, 3, 5))
    assert beside(then_first, first, last, "last_year") == first
    assert beside(then_last, first, last, "last_year") == last
    # The previous period moves by the range's length, day for day.
    assert beside(date(2024, 2, 23), first, last) == first and beside(date(2024, 2, 28), first, last) == last


def test_the_totals_given_are_not_changed() -> None:
    per_day = {date(2024, 2, 28): Totals(net_sales=1), date(2024, 2, 29): Totals(net_sales=2)}
    moved = moved_beside(per_day, date(2025, 2, 1), date(2025, 2, 28), "last_year")
    assert moved == {date(2025, 2, 28): Totals(net_sales=3)}
    assert per_day[date(2024, 2, 28)] == Totals(net_sales=1)

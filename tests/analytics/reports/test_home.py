"""The home page's figures: one rollup query sliced by day equals a report per range; the forecast by hand."""

from __future__ import annotations

from datetime import date

import pytest

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.periods import shift_months
from storelens.analytics.reports.home import comparison_period, forecast_minor, home
from storelens.analytics.reports.summary import build
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db


def test_home_slices_equal_separate_reports_and_the_forecast_is_the_3_month_daily_average() -> None:
    ny, _ = make_shops(Workspace.objects.create(name="Home"))
    h = home([ny], date(2025, 3, 6))
    assert h.mtd.totals == build([ny], date(2025, 3, 1), date(2025, 3, 6)).totals
    assert h.today_report.totals == build([ny], date(2025, 3, 6), date(2025, 3, 6)).totals  # the −20.00 refund day
    assert h.today_report.totals.net_sales == -2000
    assert h.previous.totals == build([ny], date(2025, 2, 1), date(2025, 2, 6)).totals
    assert [m.first for m in h.months] == [date(2024, 12, 1), date(2025, 1, 1), date(2025, 2, 1)]
    # Dec + Jan + Feb = 90 days with 10.00 of net sales (order 4, 10 Feb) → 10.00 / 90 × 31 days = 3.44.
    assert h.forecast_minor == forecast_minor(h.months, date(2025, 3, 6)) == 344


def test_home_answers_a_chosen_range_compared_with_the_period_before_and_last_year() -> None:
    ny, _ = make_shops(Workspace.objects.create(name="Home range"))
    h = home([ny], date(2025, 3, 6), first=date(2025, 2, 1), last=date(2025, 2, 28))
    assert h.range_report.totals == build([ny], date(2025, 2, 1), date(2025, 2, 28)).totals
    assert (h.previous.first, h.previous.last) == (date(2025, 1, 1), date(2025, 1, 31))
    assert h.previous.totals == build([ny], date(2025, 1, 1), date(2025, 1, 31)).totals
    assert (h.last_year.first, h.last_year.last) == (date(2024, 2, 1), date(2024, 2, 29))
    assert [d for d, _ in h.daily_series()][::27] == [date(2025, 2, 1), date(2025, 2, 28)]
    assert h.mtd.totals == build([ny], date(2025, 3, 1), date(2025, 3, 6)).totals  # the goal's month is unchanged


def test_comparison_period_is_the_month_before_for_month_ranges_else_the_days_before() -> None:
    assert comparison_period(date(2026, 12, 1), date(2026, 12, 7)) == (date(2026, 11, 1), date(2026, 11, 7))
    assert comparison_period(date(2026, 11, 1), date(2026, 11, 30)) == (date(2026, 10, 1), date(2026, 10, 31))
    assert comparison_period(date(2026, 12, 1), date(2026, 12, 7)) != comparison_period(
        date(2026, 12, 2), date(2026, 12, 8)
    )
    assert comparison_period(date(2026, 12, 2), date(2026, 12, 8)) == (date(2026, 11, 25), date(2026, 12, 1))


def test_shift_months_clamps_to_the_last_day() -> None:
    assert shift_months(date(2025, 3, 31), -1) == date(2025, 2, 28)
    assert shift_months(date(2024, 3, 31), -12) == date(2023, 3, 31)
    assert shift_months(date(2025, 1, 15), -2) == date(2024, 11, 15)

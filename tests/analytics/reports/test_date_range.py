"""Huge and absurd date ranges: read as bounded ranges everywhere (pages, API, CLI) — no overflow, no minute of CPU,
the same totals, and a note or a 422 saying what was shown instead."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.timezones import local_day
from storelens.analytics.reports.date_range import (
    CEILING,
    FLOOR,
    MAX_POINTS,
    Bounded,
    DayError,
    bound,
    grain_for,
    parse_day,
    points,
    points_problem,
)
from storelens.commerce import upsert_orders
from tests.analytics.payloads import order_payload
from tests.analytics.shops import make_shops

EVER = "0001-01-01", "9999-12-31"
TODAY = date(2026, 12, 7)


def test_a_day_is_written_yyyy_mm_dd_and_nothing_else() -> None:
    assert parse_day("2025-03-31") == date(2025, 3, 31)
    for text in ("20250331", "2025-W13-1", "2025-02-30", "", "2025-3-1", "２０２５-03-01"):
        with pytest.raises(DayError):
            parse_day(text)


def test_points_per_grain_count_every_bucket_the_series_has() -> None:
    assert points(date(2025, 3, 1), date(2025, 3, 31), "day") == 31
    assert points(date(2025, 3, 1), date(2025, 3, 31), "week") == 6  # 24 Feb .. 31 Mar, Mondays
    assert points(date(2024, 12, 31), date(2025, 1, 1), "month") == 2


def test_a_long_range_by_day_is_shown_by_week_then_month_with_a_note() -> None:
    ten_years = date(2015, 1, 1), date(2024, 12, 31)
    assert grain_for(*ten_years, "day")[0] == "week"
    assert "by week" in grain_for(*ten_years, "day")[1]
    assert grain_for(date(1900, 1, 1), date(2000, 1, 1), "week")[0] == "month"
    assert grain_for(date(2025, 3, 1), date(2025, 3, 31), "day") == ("day", "")
    assert "grain=week" in points_problem(*ten_years, "day")
    assert points_problem(date(2025, 3, 1), date(2025, 3, 31), "day") == ""


def test_an_ordinary_range_is_left_exactly_as_asked() -> None:
    march = Bounded(date(2025, 3, 1), date(2025, 3, 31))
    assert bound(date(2025, 3, 31), date(2025, 3, 1), [], TODAY) == march  # earlier day first, no note


def test_every_range_stays_far_from_the_ends_of_the_calendar() -> None:
    short = bound(date(9999, 12, 1), date(9999, 12, 31), [], TODAY)
    assert (short.first, short.last) == (CEILING, CEILING) and "you asked for" in short.note
    # Wholly outside any data and longer than allowed: the last MAX_POINTS days of what was asked.
    old = bound(date(1, 1, 1), date(1800, 1, 1), [], TODAY)
    assert old.first == old.last == FLOOR
    future = bound(date(2500, 1, 1), date(9999, 12, 31), [], TODAY)
    assert future.last == CEILING and (future.last - future.first).days + 1 == MAX_POINTS


@pytest.mark.django_db
def test_a_huge_range_is_cut_to_the_stores_data_and_today() -> None:
    ny, berlin = make_shops(Workspace.objects.create(name="Shops"))
    cut = bound(date(1, 1, 1), date(9999, 12, 31), [ny, berlin], TODAY)
    assert cut.first == date(2025, 2, 9)  # the first order (10 Feb, UTC) less a day for the stores' zones
    assert cut.last == TODAY
    assert "no orders on the days left out" in cut.note


# --- every surface answers 0001-01-01..9999-12-31 -------------------------------------------------------------------


@pytest.fixture
def shops(alice: Any) -> tuple[Any, Any]:
    ny, berlin = make_shops(Workspace.objects.get(name="Alice's Shop"))
    # An order in 2019 makes the data longer than MAX_POINTS days, so a daily series of it cannot be drawn.
    upsert_orders(ny, [order_payload(77, created="2019-06-01T15:00:00", paid="2019-06-01T15:00:00", net=500)])
    return ny, berlin


@pytest.mark.django_db
def test_the_api_summary_of_all_time_counts_every_order(shops: Any, alice: Any, api_client_for: Any) -> None:
    ny, _ = shops
    client = api_client_for(alice)
    body = client.get(f"/api/v1/metrics/summary?source={ny.pk}&date_from={EVER[0]}&date_to={EVER[1]}").json()
    assert body["orders"] == 5  # orders 1, 2, 4, 5 and 77 (3 is unpaid)
    assert body["date_from"] == "2019-05-31"  # cut to the data: the answer says which days it counted
    assert body["date_to"] == local_day(timezone.now(), ZoneInfo("America/New_York")).isoformat()  # today


@pytest.mark.django_db
def test_the_api_series_answers_a_grain_that_fits_and_422_for_one_that_does_not(
    shops: Any, alice: Any, api_client_for: Any
) -> None:
    ny, _ = shops
    client = api_client_for(alice)
    url = f"/api/v1/metrics/series?source={ny.pk}&date_from={EVER[0]}&date_to={EVER[1]}"
    by_month = client.get(f"{url}&grain=month")
    assert by_month.status_code == 200, by_month.content
    assert sum(p["orders"] for p in by_month.json()["points"]) == 5
    by_day = client.get(f"{url}&grain=day")
    assert by_day.status_code == 422
    assert "ask for grain=week" in by_day.json()["detail"][0]["msg"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["/sales/", "/orders/", "/customers/", "/products/", "/", "/subscriptions/"])
def test_pages_of_all_time_answer_with_the_days_they_show(page: str, shops: Any, alice: Any, client_for: Any) -> None:
    response = client_for(alice).get(f"{page}?from={EVER[0]}&to={EVER[1]}&grain=day")
    assert response.status_code == 200
    assert "you asked for 1 Jan 0001 – 31 Dec 9999" in response.content.decode()


@pytest.mark.django_db
def test_two_centuries_by_day_on_the_sales_page_are_shown_by_week_in_seconds_not_a_minute(
    shops: Any, alice: Any, client_for: Any
) -> None:
    client = client_for(alice)
    started = time.process_time()  # CPU time: wall time on a busy CI machine says little
    response = client.get("/sales/?from=1900-01-01&to=2100-12-31&grain=day")
    elapsed = time.process_time() - started
    html = response.content.decode()
    assert response.status_code == 200 and "Shown by week" in html
    assert elapsed < 5, elapsed  # 61 s before the bound (73,000 days, twice)


@pytest.mark.django_db
def test_storelens_report_of_all_time_says_which_days_it_counted(shops: Any) -> None:
    ny, _ = shops
    out, err = StringIO(), StringIO()
    call_command("report", "--source", str(ny.pk), "--from", EVER[0], "--to", EVER[1], stdout=out, stderr=err)
    data = json.loads(out.getvalue())
    assert (data["orders"], data["from"]) == (5, "2019-05-31")
    assert "you asked for 1 Jan 0001 – 31 Dec 9999" in err.getvalue()
    with pytest.raises(CommandError, match="not a day"):
        call_command("report", "--source", str(ny.pk), "--from", "20250301", "--to", "2025-03-31", stdout=out)


def test_a_week_ago_is_not_cut() -> None:
    first = TODAY - timedelta(days=6)
    assert bound(first, TODAY, [], TODAY).first == first

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from storelens.woocommerce.dates import format_gmt, gmt_filter, parse_gmt


def test_filter_values_are_naive_utc_with_dates_are_gmt() -> None:
    tokyo = timezone(timedelta(hours=9))
    params = gmt_filter(
        modified_after=datetime(2026, 11, 2, 9, 0, 0, 999, tzinfo=tokyo),
        modified_before=datetime(2026, 11, 2, 1, 30),
    )
    assert params == {
        "modified_after": "2026-11-02T00:00:00",
        "modified_before": "2026-11-02T01:30:00",
        "dates_are_gmt": "true",
    }
    for value in params.values():
        assert "+" not in value and not value.endswith("Z")  # an offset with dates_are_gmt=true is shifted


def test_no_window_means_no_dates_are_gmt() -> None:
    assert gmt_filter() == {}


def test_format_gmt_converts_aware_times_to_utc() -> None:
    ny = timezone(timedelta(hours=-5))
    assert format_gmt(datetime(2025, 1, 26, 6, 51, 54, tzinfo=ny)) == "2025-01-26T11:51:54"


def test_gmt_fields_parse_as_utc() -> None:
    assert parse_gmt("2024-12-05T19:56:06") == datetime(2024, 12, 5, 19, 56, 6, tzinfo=UTC)
    assert parse_gmt("2024-12-05T19:56:06Z") == datetime(2024, 12, 5, 19, 56, 6, tzinfo=UTC)
    assert parse_gmt("2024-12-05T21:56:06+02:00") == datetime(2024, 12, 5, 19, 56, 6, tzinfo=UTC)
    assert parse_gmt(None) is None
    assert parse_gmt("") is None
    assert parse_gmt("0000-00-00T00:00:00") is None

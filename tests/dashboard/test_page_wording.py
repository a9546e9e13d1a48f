"""The small formatters behind issue 15's page wording: counts, buyer names, store-zone times, chart labels and the
reporting currency's choices (the browser walk in tests/browser/test_first_hour_pages.py shows them on the pages)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

from storelens.analytics.reports.currency import ecb_currencies, unset_currency_label
from storelens.dashboard.chart_labels import axis_label, table_label
from storelens.dashboard.templatetags.insights import buyer_name, count
from storelens.dashboard.templatetags.store_time import store_time, store_time_text


def test_counts_get_thousands_separators() -> None:
    assert (count(1351), count(0), count(None), count(-1200)) == ("1,351", "0", "0", "-1,200")


def test_a_buyer_is_named_by_the_customer_then_the_e_mail_then_guest() -> None:
    person = SimpleNamespace(first_name="Taro", last_name="Yamada", email="taro@example.com")
    assert buyer_name(SimpleNamespace(customer=person, billing_email="t@example.com")) == "Taro Yamada"
    nameless = SimpleNamespace(first_name="", last_name="", email="c@example.com")
    assert buyer_name(SimpleNamespace(customer=nameless, billing_email="b@example.com")) == "b@example.com"
    assert buyer_name(SimpleNamespace(customer=None, billing_email="")) == "Guest"


def test_times_are_the_stores_wall_clock_with_its_zone_in_one_format() -> None:
    instant = datetime(2026, 12, 6, 23, 59, tzinfo=UTC)
    new_york = SimpleNamespace(timezone_string="America/New_York", gmt_offset=0)
    assert store_time_text(instant, new_york) == "6 Dec 2026 18:59 EST"
    assert (
        store_time_text(instant, SimpleNamespace(timezone_string="Europe/Berlin", gmt_offset=0))
        == "7 Dec 2026 00:59 CET"
    )
    assert (
        store_time_text(instant, SimpleNamespace(timezone_string="", gmt_offset="5.5")) == "7 Dec 2026 05:29 UTC+05:30"
    )
    assert store_time_text(instant, SimpleNamespace(timezone_string="America/Sao_Paulo", gmt_offset=0)).endswith(
        "20:59 UTC-03:00"  # a zone whose abbreviation is a number is shown as its offset
    )
    assert store_time_text(None, new_york) == ""
    html = store_time(instant, new_york)
    assert 'datetime="2026-12-06T23:59:00+00:00"' in html and 'title="6 Dec 2026 23:59 UTC"' in html


def test_chart_labels_name_days_weeks_and_months_and_mark_a_cut_bucket() -> None:
    first, last = date(2026, 9, 3), date(2026, 12, 7)
    assert axis_label(date(2026, 8, 31), "week", first, last) == "3 Sep (4 d)"  # not 31 Aug, before the range
    assert table_label(date(2026, 8, 31), "week", first, last) == "3 Sep–6 Sep 2026 (4 days)"
    assert (axis_label(date(2026, 9, 7), "week", first, last), table_label(date(2026, 9, 7), "week", first, last)) == (
        "7 Sep",
        "Week of 7 Sep 2026",
    )
    assert axis_label(date(2026, 10, 1), "month", first, last) == "Oct 2026"
    assert table_label(date(2026, 10, 1), "month", first, last) == "October 2026"
    assert axis_label(date(2026, 12, 1), "month", first, last) == "Dec 2026 (7 d)"
    assert table_label(date(2026, 12, 7), "week", first, last) == "7 Dec 2026 (1 day)"
    assert (axis_label(last, "day", first, last), table_label(last, "day", first, last)) == ("7 Dec", "Mon 7 Dec 2026")


def test_the_reporting_currency_offers_no_retired_currency_and_says_what_unset_does() -> None:
    codes = set(ecb_currencies())
    assert {"EUR", "USD", "GBP", "JPY", "CHF"} <= codes
    assert not codes & {"CYP", "EEK", "HRK", "LTL", "LVL", "MTL", "ROL", "RUB", "SIT", "SKK", "TRL"}
    usd, eur = SimpleNamespace(currency="USD"), SimpleNamespace(currency="eur")
    assert unset_currency_label([usd, eur]) == "Not set: converted into USD, the first store's currency"
    assert unset_currency_label([usd, usd]) == "Not set: USD, the stores' own currency, unconverted"
    assert unset_currency_label([]) == "Not set"

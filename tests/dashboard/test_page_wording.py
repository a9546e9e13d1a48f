"""The small formatters behind issue 15's page wording: counts, buyer names, chart labels and the reporting
currency's choices (the browser walk in tests/browser/test_first_hour_pages.py shows them on the pages; store-zone
times are tests/stores/test_store_clock.py)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from storelens.analytics.reports.currency import ecb_currencies, unset_currency_label
from storelens.dashboard.chart_labels import axis_label, table_label
from storelens.dashboard.templatetags.insights import buyer_name, count


def test_counts_get_thousands_separators() -> None:
    assert (count(1351), count(0), count(None), count(-1200)) == ("1,351", "0", "0", "-1,200")


def test_a_buyer_is_named_by_the_customer_then_the_e_mail_then_guest() -> None:
    person = SimpleNamespace(first_name="Taro", last_name="Yamada", email="taro@example.com")
    assert buyer_name(SimpleNamespace(customer=person, billing_email="t@example.com")) == "Taro Yamada"
    nameless = SimpleNamespace(first_name="", last_name="", email="c@example.com")
    assert buyer_name(SimpleNamespace(customer=nameless, billing_email="b@example.com")) == "b@example.com"
    assert buyer_name(SimpleNamespace(customer=None, billing_email="")) == "Guest"


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

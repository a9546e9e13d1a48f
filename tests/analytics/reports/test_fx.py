"""ECB conversion: the rate of the amount's own day, the previous rate on a day without one, unknown never guessed."""

from __future__ import annotations

from datetime import date

import pytest

from storelens.analytics.models import ExchangeRate
from storelens.analytics.reports.fx import Rates, UnknownRate, load, read_history

pytestmark = pytest.mark.django_db


def test_saturday_takes_fridays_rate() -> None:
    # ECB 2025-03-07 (Friday): 1 EUR = 1.0857 USD; no rate on Saturday 8 March → 100.00 EUR = 108.57 USD.
    assert Rates().convert_minor(10000, "EUR", "USD", date(2025, 3, 8)) == 10857


def test_cross_rate_goes_through_the_euro_and_rounds_once() -> None:
    # 2025-03-07: GBP 0.84088, USD 1.0857 per EUR → 50.00 GBP = 50 × 1.0857 / 0.84088 = 64.5574… → 64.56 USD.
    assert Rates().convert_minor(5000, "GBP", "USD", date(2025, 3, 7)) == 6456
    # 2025-03-10: JPY 159.39 (no decimals), USD 1.0845 → ¥10000 = 68.04… USD.
    assert Rates().convert_minor(10000, "JPY", "USD", date(2025, 3, 10)) == 6804


def test_a_currency_the_ecb_lacks_is_flagged_not_guessed() -> None:
    with pytest.raises(UnknownRate, match="XAF"):
        Rates().convert_minor(1000, "XAF", "EUR", date(2025, 3, 7))


def test_a_day_before_the_first_rate_is_flagged() -> None:
    with pytest.raises(UnknownRate, match="1998-12-31"):
        Rates().per_eur("USD", date(1998, 12, 31))


def test_history_lands_in_our_table_once_per_currency() -> None:
    n = load(["USD"])
    assert n == len(read_history()["USD"]) == ExchangeRate.objects.filter(currency="USD").count()
    load(["USD"])  # idempotent
    assert ExchangeRate.objects.filter(currency="USD").count() == n

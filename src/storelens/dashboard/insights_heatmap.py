"""The Sales heatmap page: when (weekday × hour of the store's own clock) orders come in, for any range."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from storelens.accounts.scoping import workspace_required
from storelens.analytics.reports.fx import UnknownRate
from storelens.analytics.reports.heatmap import METRICS, WEEKDAYS, Heatmap, heatmap
from storelens.analytics.reports.summary import ReportError, timezone_label
from storelens.commerce.money import decimal_string
from storelens.dashboard.insights_common import no_stores_page, page_context
from storelens.dashboard.insights_scope import csv_response, scope_of

LEVELS = 8  # shades of the scale; a cell's shade is its share of the busiest hour


def hour_label(hour: int) -> str:
    """ "12 am", "1 am" … "11 pm": the store owner's clock, not 24-hour codes."""
    return f"{hour % 12 or 12} {'am' if hour < 12 else 'pm'}"


def grid(h: Heatmap) -> list[dict[str, Any]]:
    """Rows of hours, each with seven cells (Monday first) carrying the value, its shade and its text: hours down the
    page so that the table fits a phone's width, weekdays across."""
    top = max((v for row in h.values for v in row), default=0)
    rows = []
    for hour in range(24):
        cells = []
        for day in range(7):
            v = h.values[day][hour]
            level = 0 if v <= 0 or top <= 0 else max(1, -(-v * LEVELS // top))
            text = str(v) if h.metric == "orders" else decimal_string(v, h.currency)
            cells.append({"value": v, "level": level, "negative": v < 0, "text": text, "weekday": WEEKDAYS[day]})
        rows.append({"hour": hour_label(hour), "cells": cells})
    return rows


@workspace_required
def sales_heatmap(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.stores:
        return no_stores_page(request, "Sales heatmap")
    metric = request.GET.get("metric") if request.GET.get("metric") in METRICS else "orders"
    try:
        h = heatmap(scope.stores, scope.first, scope.last, metric, scope.currency)
        before = heatmap(scope.stores, *scope.comparison, metric, scope.currency)
    except (ReportError, UnknownRate) as exc:
        context = page_context(request, scope, title="Sales heatmap", problem=str(exc))
        return render(request, "insights/problem.html", context)
    if request.GET.get("format") == "csv":
        return csv_response(
            f"sales-heatmap-{metric}-{scope.first}-{scope.last}.csv",
            ["weekday", "hour", metric, "currency"],
            (
                [WEEKDAYS[d], hour, v if metric == "orders" else decimal_string(v, h.currency), h.currency]
                for d, row in enumerate(h.values)
                for hour, v in enumerate(row)
            ),
        )
    peak, before_peak = h.peak, before.peak
    context = page_context(
        request,
        scope,
        heatmap=h,
        rows=grid(h),
        weekdays=[w[:3] for w in WEEKDAYS],
        metric=metric,
        metrics=[("orders", "Orders"), ("net_sales", "Net sales")],
        peak=(WEEKDAYS[peak[0]], hour_label(peak[1]), peak[2], f"{peak[2]:,} orders") if peak else None,
        # The comparison period's total and busiest hour: has the busy time moved? (only when in one currency)
        before=before if before.currency == h.currency else None,
        before_peak=(WEEKDAYS[before_peak[0]], hour_label(before_peak[1]), before_peak[2]) if before_peak else None,
        zones=sorted({timezone_label(s) for s in scope.stores}),
        levels=range(1, LEVELS + 1),
    )
    return render(request, "insights/heatmap.html", context)

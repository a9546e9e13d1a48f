"""The Cohorts page: customers grouped by the week, month or quarter of their first counted order, and how each
group kept ordering (a triangle table with heatmap shades), filterable by first product, first coupon and country."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from storelens.accounts.scoping import workspace_required
from storelens.analytics.metrics.cohorts import GRAINS
from storelens.analytics.reports.cohorts import CohortTable, cohorts, filter_options
from storelens.analytics.reports.fx import UnknownRate
from storelens.analytics.reports.summary import ReportError
from storelens.analytics.reports.whole_numbers import whole_number
from storelens.commerce.money import decimal_string
from storelens.dashboard.insights_common import no_stores_page, page_context
from storelens.dashboard.insights_scope import csv_response, scope_of

LEVELS = 8  # shades, as on the Sales heatmap (the same classes)
SHOWS = (
    ("retention", "Customers still ordering"),
    ("orders", "Orders"),
    ("net_sales", "Net sales"),
    ("cumulative", "Cumulative net per customer"),
)
GRAIN_LABELS = {"month": "Month", "week": "Week", "quarter": "Quarter"}


def cell_value(period: Any, show: str) -> int | float:
    if show == "retention":
        return period.retention
    if show == "orders":
        return period.orders
    return period.net_minor if show == "net_sales" else period.cumulative_per_customer_minor


def cell_text(period: Any, show: str, currency: str) -> str:
    if show == "retention":
        return f"{round(period.retention * 100)} %"
    if show == "orders":
        return f"{period.orders:,}"
    return decimal_string(cell_value(period, show), currency)


def triangle(table: CohortTable, show: str) -> list[dict[str, Any]]:
    """Rows of cohorts, each with its periods' text, shade (share of the table's largest value; period 0 of
    "still ordering" is 100 % by definition, so the shades of that view read periods 1 onwards) and tooltip."""
    values = [cell_value(p, show) for c in table.cohorts for p in c.periods if not (show == "retention" and p.k == 0)]
    top = max(values, default=0)
    rows = []
    for c in table.cohorts:
        cells = []
        for p in c.periods:
            v = cell_value(p, show)
            level = 0 if v <= 0 or top <= 0 else max(1, min(LEVELS, -int(-v * LEVELS // top)))
            if show == "retention" and p.k == 0:
                level = LEVELS
            title = (
                f"{c.label}, {GRAIN_LABELS[table.grain].lower()} {p.k}: {p.customers:,} of {c.size:,} customers "
                f"ordered, {p.orders:,} orders, {decimal_string(p.net_minor, table.currency)} net, "
                f"{decimal_string(p.cumulative_per_customer_minor, table.currency)} per customer so far"
            )
            cells.append(
                {"text": cell_text(p, show, table.currency), "level": level, "negative": v < 0, "title": title}
            )
        rows.append({"label": c.label, "size": c.size, "cells": cells})
    return rows


def csv_rows(table: CohortTable) -> Any:
    c = table.currency
    for cohort in table.cohorts:
        for p in cohort.periods:
            yield [
                cohort.start.isoformat(),
                cohort.size,
                p.k,
                p.customers,
                f"{p.retention:.4f}",
                p.orders,
                decimal_string(p.net_minor, c),
                decimal_string(p.cumulative_per_customer_minor, c),
                c,
            ]


CSV_HEADER = [
    "cohort",
    "cohort_customers",
    "period",
    "customers_ordering",
    "retention",
    "orders",
    "net_sales",
    "cumulative_net_per_customer",
    "currency",
]


def product_choices(stores: list[Any], found: list[tuple[str, int]]) -> list[tuple[int, str]]:
    """(wc id, "name (customers)") of the first products found, named from the stores' catalogues."""
    from storelens.commerce.models import Product

    ids = [int(v) for v, _ in found if v.isdigit()]
    names = dict(Product.objects.filter(store__in=stores, wc_id__in=ids).values_list("wc_id", "name"))
    return [(int(v), f"{names.get(int(v)) or f'Product #{v}'} ({n:,})") for v, n in found if v.isdigit()]


@workspace_required
def cohorts_page(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request, default_preset="12m")
    if not scope.stores:
        return no_stores_page(request, "Cohorts")
    grain = request.GET.get("grain") if request.GET.get("grain") in GRAINS else "month"
    show = request.GET.get("show") if request.GET.get("show") in dict(SHOWS) else "retention"
    product = whole_number(request.GET.get("product", ""))
    coupon = (request.GET.get("coupon") or "").strip().lower()[:200]
    country = (request.GET.get("country") or "").strip().upper()[:2]
    try:
        table = cohorts(
            scope.stores, grain, scope.first, scope.last, scope.today, product, coupon, country, scope.currency
        )
    except (ReportError, UnknownRate) as exc:
        context = page_context(request, scope, title="Cohorts", problem=str(exc))
        return render(request, "insights/problem.html", context)
    if request.GET.get("format") == "csv":
        return csv_response(f"cohorts-{grain}-{scope.first}-{scope.last}.csv", CSV_HEADER, csv_rows(table))
    options = filter_options(scope.stores)
    filters = {"grain": grain, "show": show, "product": product or "", "coupon": coupon, "country": country}
    context = page_context(
        request,
        scope,
        table=table,
        rows=triangle(table, show),
        columns=range(table.width),
        grain=grain,
        grains=[(g, GRAIN_LABELS[g]) for g in GRAINS],
        show=show,
        shows=SHOWS,
        show_label=dict(SHOWS)[show],
        product=product,
        coupon=coupon,
        country=country,
        products=product_choices(scope.stores, options["product"]),
        coupons=options["coupon"],
        countries=options["country"],
        filters=scope.query(**filters),
        levels=range(1, LEVELS + 1),
    )
    return render(request, "insights/cohorts.html", context)

"""The products page: the leaderboard (from the per-product rollup), variations under their product, each line's net
sales against the comparison period the user chose (previous period or same period last year), CSV export."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from storelens.accounts.scoping import workspace_required
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.reports.products import ProductLine, product_leaderboard
from storelens.commerce.money import decimal_string
from storelens.dashboard.insights_common import chart_json, lists_context, no_stores_page, one_currency, page_context
from storelens.dashboard.insights_scope import csv_response, scope_of

# --- products ----------------------------------------------------------------------------------------------------

LineKey = tuple[int, int, int, str]  # store, product, variation, currency


def line_key(line: ProductLine) -> LineKey:
    return (line.store_id, line.product_wc_id, line.variation_wc_id, line.currency)


def net_by_line(lines: list[ProductLine]) -> dict[LineKey, int]:
    """Net sales per product and per variation under it, to look each line of the range up in the comparison's."""
    out: dict[LineKey, int] = {}
    for line in lines:
        out[line_key(line)] = line.net_minor
        out.update((line_key(v), v.net_minor) for v in line.variations)
    return out


def compared(line: ProductLine, before: dict[LineKey, int]) -> dict[str, Any]:
    """A line with its comparison figure; a product absent from the comparison period compares with 0 ("new")."""
    return {
        "p": line,
        "before": before.get(line_key(line), 0),
        "variations": [{"v": v, "before": before.get(line_key(v), 0)} for v in line.variations],
    }


@workspace_required
def products(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.stores:
        return no_stores_page(request, "Products")
    by_variation = request.GET.get("by") == "variation"
    sort = request.GET.get("sort", "net")
    lines: list[ProductLine] = []
    before: dict[LineKey, int] = {}
    list_stores, list_note = one_currency(scope, "Products")
    then_first, then_last = scope.comparison
    for store in list_stores:
        settings = report_settings(store)
        lines.extend(product_leaderboard(store, settings, scope.first, scope.last, by_variation))
        # The comparison reads the same rollup for its own days: a few more grouped rows, not a scan.
        before.update(net_by_line(product_leaderboard(store, settings, then_first, then_last, by_variation)))
    key = {"units": lambda p: -p.units, "refunds": lambda p: -p.refunds_minor}.get(sort, lambda p: -p.net_minor)
    lines.sort(key=key)
    for line in lines:  # a variable product's variations are listed under it, ranked the same way
        line.variations.sort(key=key)
    if request.GET.get("format") == "csv":
        return csv_response(
            f"products-{scope.first}-{scope.last}.csv",
            [
                "product_id",
                "variation_id",
                "name",
                "sku",
                "units",
                "net_sales",
                "refunded_units",
                "refunds",
                "orders",
                "currency",
                "compared_net_sales",
            ],
            (
                [
                    p.product_wc_id,
                    p.variation_wc_id,
                    p.name,
                    p.sku,
                    p.units,
                    decimal_string(p.net_minor, p.currency),
                    p.refunded_units,
                    decimal_string(p.refunds_minor, p.currency),
                    p.orders,
                    p.currency,
                    decimal_string(before.get(line_key(p), 0), p.currency),
                ]
                for p in lines
            ),
        )
    top = sorted(lines, key=lambda p: -p.net_minor)[:10]  # the chart is titled "by net sales" whatever the ranking
    chart = chart_json(
        [p.name[:28] for p in reversed(top)],
        [{"name": "Net sales", "data": [decimal_string(p.net_minor, p.currency) for p in reversed(top)]}],
        kind="hbar",
    )
    context = page_context(
        request,
        scope,
        lines=[compared(p, before) for p in lines[:200]],
        by_variation=by_variation,
        sort=sort,
        chart=chart,
        list_note=list_note,
        **lists_context(list_stores, scope),
    )
    return render(request, "insights/products.html", context)

"""The products page: the leaderboard (from the per-product rollup), variations under their product, CSV export."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from storelens.accounts.scoping import workspace_required
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.reports.products import ProductLine, product_leaderboard
from storelens.commerce.money import decimal_string
from storelens.dashboard.insights_common import chart_json, lists_context, no_stores_page, one_currency, page_context
from storelens.dashboard.insights_scope import csv_response, scope_of

# --- products ----------------------------------------------------------------------------------------------------


@workspace_required
def products(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.stores:
        return no_stores_page(request, "Products")
    by_variation = request.GET.get("by") == "variation"
    sort = request.GET.get("sort", "net")
    lines: list[ProductLine] = []
    list_stores, list_note = one_currency(scope, "Products")
    for store in list_stores:
        lines.extend(product_leaderboard(store, report_settings(store), scope.first, scope.last, by_variation))
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
        lines=lines[:200],
        by_variation=by_variation,
        sort=sort,
        chart=chart,
        list_note=list_note,
        **lists_context(list_stores, scope),
    )
    return render(request, "insights/products.html", context)

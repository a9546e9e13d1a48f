"""The sales page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from storelens.accounts.scoping import workspace_required
from storelens.analytics.metrics.periods import add_all, moved_beside, series
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.reports.date_range import grain_for
from storelens.analytics.reports.filtered import filtered_daily_in
from storelens.analytics.reports.fx import UnknownRate
from storelens.analytics.reports.summary import ReportError, build
from storelens.analytics.reports.whole_numbers import whole_number
from storelens.commerce.money import decimal_string
from storelens.dashboard.chart_labels import axis_label, table_label
from storelens.dashboard.insights_common import chart_json, money_series, no_stores_page, page_context
from storelens.dashboard.insights_scope import csv_response, scope_of
from storelens.stores.reporting import ORDER_STATUSES

# --- sales -------------------------------------------------------------------------------------------------------


def countries_with_orders(stores: list[Any], first: date, last: date) -> list[str]:
    """The country filter's choices: countries with orders created in the shown and the previous period, from the
    per-country cells (a DISTINCT over every cell of the history took 21–36 ms at a million orders on PostgreSQL,
    over these two periods 6 ms)."""
    from storelens.analytics.models import CountryDailyRollup

    cells = CountryDailyRollup.objects.filter(store__in=stores, basis="created", day__gte=first, day__lte=last)
    return list(cells.exclude(country="").values_list("country", flat=True).distinct().order_by("country"))


@workspace_required
def sales(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.stores:
        return no_stores_page(request, "Sales")
    # At most MAX_POINTS points: a range of years asked by day is shown by week or month, and the note says so.
    grain, grain_note = grain_for(scope.first, scope.last, request.GET.get("grain") or "day")
    scope.note = " ".join(n for n in (scope.note, grain_note) if n)
    statuses = [s for s in request.GET.getlist("status") if s]
    product = request.GET.get("product", "")
    country = (request.GET.get("country") or "").upper()[:2]
    prev_first, prev_last = scope.comparison
    try:
        # The page shows no customer counts: skip their raw-row query (seconds at a million orders).
        current = build(scope.stores, scope.first, scope.last, currency=scope.currency, with_customers=False)
        previous = build(scope.stores, prev_first, prev_last, currency=scope.currency, with_customers=False)
        if statuses:
            # Only these statuses, the owner's excluded ones too (never drafts or trash): the one status rule, decided
            # in `cells.by_status`, which the country and product filters and the orders list's net follow as well.
            from storelens.analytics.reports.fx import Rates
            from storelens.analytics.reports.summary import Report, daily_in

            for rep in (current, previous):
                fresh = Report(currency=rep.currency, first=rep.first, last=rep.last, timezone=rep.timezone)
                rep.daily = daily_in(fresh, scope.stores, scope.currency is not None, None, None, Rates(), statuses)
                rep.totals = fresh.totals
    except (ReportError, UnknownRate) as exc:
        return render(request, "insights/problem.html", page_context(request, scope, title="Sales", problem=str(exc)))
    # The product filter's values are Storelens's own product ids (WooCommerce ids collide between stores): the
    # product says which store it is in; a country filter adds every shown store up, in the report's currency.
    from storelens.commerce.models import Product

    product_id = whole_number(product)
    chosen = Product.objects.filter(pk=product_id, store__in=scope.stores).first() if product_id else None
    if chosen is None:
        product = ""
    filtered = bool(chosen or country)
    if filtered:
        stores = [s for s in scope.stores if chosen is None or s.pk == chosen.store_id]
        for rep, (f, last) in ((current, (scope.first, scope.last)), (previous, (prev_first, prev_last))):
            rep.unconverted = {}
            try:
                rep.daily = filtered_daily_in(
                    stores,
                    rep.currency,
                    scope.currency is not None,
                    f,
                    last,
                    chosen.wc_id if chosen else None,
                    country,
                    statuses,
                    rep.unconverted,
                )
            except UnknownRate as exc:
                return render(
                    request, "insights/problem.html", page_context(request, scope, title="Sales", problem=str(exc))
                )
            rep.totals = add_all(rep.daily.values())
    points = series(current.daily, scope.first, scope.last, grain)
    # The comparison's days on the range's days they stand beside, then bucketed by the range's weeks or months: each
    # point holds the matching days and the dashed line adds up to the comparison's total.
    prev_points = series(
        moved_beside(previous.daily, scope.first, scope.last, scope.compare), scope.first, scope.last, grain
    )
    currency = current.currency
    # Orders by day are bars: a day without orders is a real zero, and a line through those zeros zigzags.
    chart = chart_json(
        [axis_label(d, grain, scope.first, scope.last) for d, _ in points],
        [
            {"name": "Net sales", "data": money_series(points, "net_sales", currency), "type": "bar"},
            {
                "name": scope.compare_label.capitalize(),
                "data": money_series(prev_points, "net_sales", currency),
                "type": "line",
            },
            {
                "name": "Orders",
                "data": [t.orders for _, t in points],
                "type": "bar" if grain == "day" else "line",
                "axis": 1,
            },
        ],
    )
    if request.GET.get("format") == "csv":
        return csv_response(
            f"sales-{scope.first}-{scope.last}.csv",
            [
                "period",
                "orders",
                "net_sales",
                "total_sales",
                "gross_sales",
                "coupons",
                "refunds",
                "taxes",
                "shipping",
                "items_sold",
                "currency",
            ],
            (
                [
                    d.isoformat(),
                    t.orders,
                    decimal_string(t.net_sales, currency),
                    decimal_string(t.total_sales, currency),
                    decimal_string(t.gross_sales, currency),
                    decimal_string(t.coupons, currency),
                    decimal_string(t.refunds, currency),
                    decimal_string(t.taxes, currency),
                    decimal_string(t.shipping, currency),
                    t.items_sold,
                    currency,
                ]
                for d, t in points
            ),
        )
    countries = sorted(set(countries_with_orders(scope.stores, prev_first, scope.last)) | ({country} - {""}))
    products = Product.objects.filter(store__in=scope.stores, parent_wc_id=0).select_related("store")
    products = products.order_by("name", "store_id")[:500]
    context = page_context(
        request,
        scope,
        current=current,
        previous=previous,
        rows=[(table_label(d, grain, scope.first, scope.last), t) for d, t in points],
        chart=chart,
        grain=grain,
        statuses=statuses,
        status_choices=ORDER_STATUSES,
        product=product,
        country=country,
        countries=list(countries),
        products=products,
        chosen_product=chosen,  # its product page is linked beside the filter
        several_stores=len(scope.stores) > 1,
        figure_statuses=ORDER_STATUSES,
        figure_settings=report_settings(scope.selected) if scope.selected else None,
        aov=current.aov,
        prev_aov=previous.aov,
    )
    return render(request, "insights/sales.html", context)

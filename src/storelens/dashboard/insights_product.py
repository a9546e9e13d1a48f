"""One product's page (reached from any product name): net sales, units and refunds over time with its variations,
its buyers and the products bought with it, each part as CSV (`?format=csv&part=series|buyers|together`).

`?variation=ID` selects one variation (a variation's name elsewhere links here so): the figures, chart and table are
then that variation's, the variations table marks it; buyers and bought-together stay the product's (a buyer of the
product, whichever variation)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from storelens.accounts.scoping import scoped, workspace_required
from storelens.analytics.metrics.periods import beside
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.reports.date_range import grain_for
from storelens.analytics.reports.product_buyers import bought_together, product_buyers, product_lists
from storelens.analytics.reports.product_page import (
    BIGGEST_ID,
    FIGURES,
    ZERO,
    Figures,
    ProductSeries,
    product_names,
    product_series,
)
from storelens.analytics.reports.whole_numbers import whole_number
from storelens.commerce.money import decimal_string
from storelens.dashboard.chart_labels import axis_label, table_label
from storelens.dashboard.insights_common import chart_json, page_context
from storelens.dashboard.insights_scope import csv_response, scope_of

PARTS = ("series", "buyers", "together")  # what `?part=` exports as CSV
CSV_BUYERS = 10_000  # a CSV lists this many buyers at most (the page shows 50)


def _sum(points: list[tuple[date, Figures]]) -> Figures:
    totals = ZERO
    for _, f in points:
        totals = tuple(a + b for a, b in zip(totals, f, strict=True))  # type: ignore[assignment]
    return totals


def _beside(then: ProductSeries, scope: Any) -> ProductSeries:
    """The comparison's cells on the range's days they stand beside (`periods.beside`, as on Sales), so each week or
    month of the chart holds the comparison's matching days and the dashed line adds up to the comparison's total."""
    moved = ProductSeries(then.product_wc_id)
    for (currency, day, variation), f in then.days.items():
        key = (currency, beside(day, scope.first, scope.last, scope.compare), variation)
        moved.days[key] = tuple(a + b for a, b in zip(moved.days.get(key, ZERO), f, strict=True))  # type: ignore[assignment]
    return moved


def _series_csv(
    series: ProductSeries, names: dict, currency: str, first: date, last: date, grain: str, variations: list[int]
) -> tuple[list[str], list[list[Any]]]:
    rows = []
    for variation in [None, *variations]:
        label = names[variation or 0][0]
        for start, f in series.points(currency, first, last, grain, variation):
            units, net, refunded_units, refunds, orders, _ = f
            rows.append(
                [
                    start.isoformat(),
                    series.product_wc_id,
                    variation or 0,
                    label,
                    units,
                    decimal_string(net, currency),
                    refunded_units,
                    decimal_string(refunds, currency),
                    orders,
                    currency,
                ]
            )
    header = ["period", "product_id", "variation_id", "name", "units", "net_sales", "refunded_units", "refunds"]
    return [*header, "orders", "currency"], rows


def _lists_csv(store: Any, settings: Any, product_wc_id: int, first: date, last: date, part: str) -> tuple:
    if part == "buyers":
        buyers, _ = product_buyers(store, settings, product_wc_id, first, last, limit=CSV_BUYERS)
        header = ["customer_id", "name", "email", "orders", "units", "net_sales", "currency"]
        rows = [
            [
                b.customer_id or "",
                b.name,
                b.email,
                b.orders,
                b.units,
                decimal_string(b.net_minor, b.currency),
                b.currency,
            ]
            for b in buyers
        ]
        return header, rows
    together, total = bought_together(store, settings, product_wc_id, first, last, limit=1000)
    header = ["product_id", "name", "orders_with_both", "product_orders", "share"]
    return header, [[t.product_wc_id, t.name, t.orders, total, f"{t.share:.4f}"] for t in together]


@workspace_required
def product_detail(request: HttpRequest, store_id: int, product_wc_id: int) -> HttpResponse:
    from storelens.stores.models import Store

    if max(store_id, product_wc_id) > BIGGEST_ID:
        raise Http404("No such product.")
    store = scoped(request, Store).filter(pk=store_id).first()
    if store is None:
        raise Http404("No such store in this workspace.")
    scope = scope_of(request)
    # The store is the page's own (in its path): the range and the figures are that store's, and no picker offers
    # another one (the same product id in another store is another product).
    scope.stores, scope.all_stores, scope.selected, scope.currency = [store], [store], store, None
    # By default a range is shown in at most about 60 rows: days for two months, weeks for a year, then months.
    days = (scope.last - scope.first).days + 1
    default = "day" if days <= 62 else "week" if days <= 371 else "month"
    grain, grain_note = grain_for(scope.first, scope.last, request.GET.get("grain") or default)
    scope.note = " ".join(n for n in (scope.note, grain_note) if n)
    settings = report_settings(store)
    part = request.GET.get("part") or "series"
    if request.GET.get("format") == "csv" and part in PARTS[1:]:
        header, rows = _lists_csv(store, settings, product_wc_id, scope.first, scope.last, part)
        return csv_response(f"product-{store.pk}-{product_wc_id}-{part}-{scope.first}-{scope.last}.csv", header, rows)
    series = product_series(store, settings, product_wc_id, scope.first, scope.last)
    currencies = series.currencies() or [(store.currency or "USD").upper()]
    currency = currencies[0]
    variations = series.variations(currency)
    selected = whole_number(request.GET.get("variation")) or None  # 0 or nonsense: the whole product
    names = product_names(store, product_wc_id, sorted({*variations, *([selected] if selected else [])}))
    if request.GET.get("format") == "csv":
        header, rows = _series_csv(series, names, currency, scope.first, scope.last, grain, variations)
        return csv_response(f"product-{store.pk}-{product_wc_id}-{scope.first}-{scope.last}.csv", header, rows)
    points = series.points(currency, scope.first, scope.last, grain, selected)
    totals = _sum(points)
    # The comparison (the user's remembered choice) reads the same day cells for its own days, in the same currency
    # and for the same variation: one more indexed read of this product's cells, never the raw rows.
    then_first, then_last = scope.comparison
    then = product_series(store, settings, product_wc_id, then_first, then_last)
    then_points = then.points(currency, then_first, then_last, grain, selected)
    then_beside = _beside(then, scope).points(currency, scope.first, scope.last, grain, selected)
    labels = [axis_label(d, grain, scope.first, scope.last) for d, _ in points]
    chart = chart_json(
        labels,
        [
            {"name": "Net sales", "data": [decimal_string(f[1], currency) for _, f in points], "type": "bar"},
            {
                # Second series: drawn dashed, as the Sales page's comparison.
                "name": f"Net sales, {scope.compare_label}",
                "data": [decimal_string(f[1], currency) for _, f in then_beside],
                "type": "line",
            },
            {"name": "Refunds", "data": [decimal_string(f[3], currency) for _, f in points], "type": "line"},
            {"name": "Net units", "data": [f[0] for _, f in points], "type": "line", "axis": 1},
        ],
    )
    variation_rows = []
    for v in variations:
        figures = _sum(series.points(currency, scope.first, scope.last, grain, v))
        variation_rows.append(
            {"id": v, "name": names[v][0], "sku": names[v][1], **dict(zip(FIGURES, figures, strict=True))}
        )
    variation_rows.sort(key=lambda r: (-r["net_minor"], r["id"]))
    lists = product_lists(store, settings, product_wc_id, scope.first, scope.last)
    name, sku = names[0]
    context = page_context(
        request,
        scope,
        store=store,
        product_wc_id=product_wc_id,
        name=name,
        sku=sku,
        variation=selected,
        variation_name=names[selected][0] if selected else "",
        variation_sku=names[selected][1] if selected else "",
        currency=currency,
        other_currencies=currencies[1:],
        totals=dict(zip(FIGURES, totals, strict=True)),
        before=dict(zip(FIGURES, _sum(then_points), strict=True)),
        chart=chart,
        rows=[(table_label(d, grain, scope.first, scope.last), dict(zip(FIGURES, f, strict=True))) for d, f in points],
        grain=grain,
        variation_rows=variation_rows,
        buyers=lists.buyers,
        buyer_count=lists.buyer_count,
        together=lists.together,
        product_orders=lists.product_orders,
    )
    return render(request, "insights/product.html", context)

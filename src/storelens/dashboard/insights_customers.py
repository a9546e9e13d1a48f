"""The customers list and one customer's page."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from storelens.accounts.scoping import get_workspace_object_or_404, workspace_required
from storelens.analytics.metrics.customers import RFM_SEGMENTS
from storelens.analytics.reports.customer_counts import new_and_returning
from storelens.analytics.reports.customers import customer_value, overview, ranked_standings, with_people
from storelens.analytics.reports.fx import UnknownRate
from storelens.analytics.reports.product_page import customer_products
from storelens.analytics.reports.summary import ReportError, build
from storelens.analytics.rollups.snapshots import current
from storelens.commerce.money import decimal_string
from storelens.dashboard.insights_common import lists_context, no_stores_page, one_currency, page_context
from storelens.dashboard.insights_scope import csv_response, scope_of

# --- customers ---------------------------------------------------------------------------------------------------


CSV_HEADER = [
    "name",
    "email",
    "orders",
    "lifetime_net",
    "currency",
    "first_order_gmt",
    "last_order_gmt",
    "r",
    "f",
    "m",
    "segment",
]


@workspace_required
def customers(request: HttpRequest) -> HttpResponse:
    """Whole-history figures from the stores' customer snapshots (computed after each sync pass), the range's new
    and returning customers through indexes: no request groups or ranks every customer."""
    scope = scope_of(request)
    if not scope.stores:
        return no_stores_page(request, "Customers")
    list_stores, list_note = one_currency(scope, "Customers, lifetime values and segments")
    if request.GET.get("format") == "csv":
        return _csv(list_stores, request.GET.get("segment", ""))
    summary = overview(list_stores)
    with_people(summary.top)
    try:
        # The whole page is about the stores its lists rank (one currency), new and returning customers included.
        currency = scope.currency if len(list_stores) == len(scope.stores) else None
        report = build(list_stores, scope.first, scope.last, currency=currency, with_customers=False)
    except (ReportError, UnknownRate) as exc:
        return render(
            request, "insights/problem.html", page_context(request, scope, title="Customers", problem=str(exc))
        )
    report.new_customers, report.returning_customers = new_and_returning(list_stores, scope.first, scope.last)
    before_new, before_returning = new_and_returning(list_stores, *scope.comparison)
    segment_chart = json.dumps(
        {
            "kind": "pie",
            "x": list(summary.segments),
            "series": [{"name": "Customers", "data": list(summary.segments.values())}],
        }
    )
    context = page_context(
        request,
        scope,
        summary=summary,
        report=report,
        segments=[(name, about, summary.segments.get(name, 0)) for name, about in RFM_SEGMENTS],
        segment_chart=segment_chart,
        before_new=before_new,
        before_returning=before_returning,
        mixed_currencies=len(summary.currencies) > 1,
        list_note=list_note,
        **lists_context(list_stores, scope),
    )
    return render(request, "insights/customers.html", context)


def _csv(stores: list[Any], segment: str) -> HttpResponse:
    """Every customer (or one segment's), ranked, as of the stores' snapshots: read in chunks through the rank index
    with the people joined, never held as one list."""
    for store in stores:
        current(store)
    rows = ranked_standings(stores, segment).values_list(
        "customer__first_name",
        "customer__last_name",
        "customer__email",
        "orders",
        "net_minor",
        "currency",
        "first_at",
        "last_at",
        "r",
        "f",
        "m",
        "segment",
    )
    return csv_response(
        "customers.csv",
        CSV_HEADER,
        (
            [
                f"{first} {last}".strip() or email or "Guest",
                email,
                orders,
                decimal_string(net, currency),
                currency,
                first_at.isoformat(),
                last_at.isoformat(),
                r,
                f,
                m,
                seg,
            ]
            for first, last, email, orders, net, currency, first_at, last_at, r, f, m, seg in rows.iterator(5000)
        ),
    )


@workspace_required
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    """One customer: their figures from their own rollups, scored against their store's snapshot (indexed reads)."""
    from storelens.commerce.models import Customer, Order

    customer = get_workspace_object_or_404(request, Customer.objects.select_related("store"), pk=customer_id)
    orders_qs = Order.objects.filter(customer=customer).order_by("-created_at")[:200]
    context = {
        "customer": customer,
        "value": customer_value(customer),
        "orders": orders_qs,
        "products": customer_products(customer),  # each linked to its product page
    }
    return render(request, "insights/customer_detail.html", context)

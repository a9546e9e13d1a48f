"""The customers list and one customer's page."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from storelens.accounts.scoping import get_workspace_object_or_404, workspace_required
from storelens.analytics import explore
from storelens.analytics.fx import UnknownRate
from storelens.analytics.money import decimal_string
from storelens.analytics.report import ReportError, build
from storelens.analytics.settings import report_settings
from storelens.dashboard.insights_common import _base, _no_stores, _one_currency
from storelens.dashboard.insights_scope import csv_response, scope_of

# --- customers ---------------------------------------------------------------------------------------------------


@workspace_required
def customers(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.sources:
        return _no_stores(request, "Customers")
    values: list[explore.CustomerValue] = []
    list_sources, list_note = _one_currency(scope)
    for source in list_sources:
        values.extend(explore.rfm(explore.customer_values(source, report_settings(source))))
    if request.GET.get("format") == "csv":
        segment = request.GET.get("segment", "")
        rows = explore.with_people(
            [v for v in sorted(values, key=lambda v: -v.net_minor) if not segment or v.segment == segment]
        )
        return csv_response(
            "customers.csv",
            [
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
            ],
            (
                [
                    v.name,
                    v.email,
                    v.orders,
                    decimal_string(v.net_minor, v.currency),
                    v.currency,
                    v.first_at.isoformat() if v.first_at else "",
                    v.last_at.isoformat() if v.last_at else "",
                    v.r,
                    v.f,
                    v.m,
                    v.segment,
                ]
                for v in rows
                if not segment or v.segment == segment
            ),
        )
    summary = explore.customer_summary(values)
    explore.with_people(summary.top)
    try:
        report = build(scope.sources, scope.first, scope.last, currency=scope.currency)
    except (ReportError, UnknownRate) as exc:
        return render(request, "insights/problem.html", _base(request, scope, title="Customers", problem=str(exc)))
    segment_chart = json.dumps(
        {
            "kind": "pie",
            "x": list(summary.segments),
            "series": [{"name": "Customers", "data": list(summary.segments.values())}],
        }
    )
    context = _base(
        request,
        scope,
        summary=summary,
        report=report,
        segments=[(name, about, summary.segments.get(name, 0)) for name, about in explore.RFM_SEGMENTS],
        segment_chart=segment_chart,
        mixed_currencies=len({v.currency for v in values}) > 1,
        list_note=list_note,
    )
    return render(request, "insights/customers.html", context)


@workspace_required
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    from storelens.commerce.models import Customer, Order

    customer = get_workspace_object_or_404(request, Customer.objects.select_related("source"), pk=customer_id)
    settings = report_settings(customer.source)
    values = {v.customer_id: v for v in explore.rfm(explore.customer_values(customer.source, settings))}
    orders_qs = Order.objects.filter(customer=customer).order_by("-created_at")[:200]
    context = {"customer": customer, "value": values.get(customer.pk), "orders": orders_qs}
    return render(request, "insights/customer_detail.html", context)

"""The subscriptions page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from storelens.accounts.scoping import workspace_required
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.reports.subscriptions import subscription_figures
from storelens.commerce.money import decimal_string
from storelens.dashboard.insights_common import no_stores_page, page_context
from storelens.dashboard.insights_scope import csv_response, scope_of

# --- subscriptions -----------------------------------------------------------------------------------------------


@workspace_required
def subscriptions(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.stores:
        return no_stores_page(request, "Subscriptions")
    from storelens.commerce.models import Subscription

    rows = []
    for store in scope.stores:
        if Subscription.objects.filter(store=store).exists():
            rows.append((store, subscription_figures(store, report_settings(store), scope.first, scope.last)))
    if request.GET.get("format") == "csv":
        return csv_response(
            "subscriptions.csv",
            ["store", "active", "mrr", "arr", "new", "churned", "churn_rate", "currency"],
            (
                [
                    str(s),
                    f.active,
                    decimal_string(f.mrr_minor, f.currency),
                    decimal_string(f.arr_minor, f.currency),
                    f.new,
                    f.churned,
                    str(f.churn_rate),
                    f.currency,
                ]
                for s, f in rows
            ),
        )
    return render(request, "insights/subscriptions.html", page_context(request, scope, rows=rows))

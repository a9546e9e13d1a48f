"""The orders list and one order's page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from storelens.accounts.permissions import Action, allows, role_of
from storelens.accounts.scoping import get_workspace_object_or_404, workspace_required
from storelens.analytics.metrics.orders import DATE_FIELD
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.reports.fx import UnknownRate
from storelens.analytics.reports.orders import keyset_page, order_count, orders_list
from storelens.analytics.reports.orders_compare import orders_comparison
from storelens.analytics.reports.summary import ReportError
from storelens.analytics.reports.whole_numbers import whole_number
from storelens.commerce.money import decimal_string
from storelens.dashboard.insights_common import no_stores_page, page_context
from storelens.dashboard.insights_scope import csv_response, scope_of
from storelens.stores.reporting import ORDER_STATUSES

# --- orders ------------------------------------------------------------------------------------------------------

PER_PAGE = 50


def _page_number(request: HttpRequest) -> int:
    """The page's number, carried in the links for display only (keyset pages do not need it)."""
    return whole_number(request.GET.get("n")) or 1


@workspace_required
def orders(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.stores:
        return no_stores_page(request, "Orders")
    search = request.GET.get("q", "")
    statuses = [s for s in request.GET.getlist("status") if s]
    country = request.GET.get("country", "")
    sort = request.GET.get("sort", "date")
    qs = orders_list(scope.stores, scope.first, scope.last, search, statuses, country, sort)
    if request.GET.get("format") == "csv":
        return csv_response(
            f"orders-{scope.first}-{scope.last}.csv",
            [
                "store",
                "number",
                "created_gmt",
                "paid_gmt",
                "status",
                "customer",
                "country",
                "total",
                "tax",
                "shipping",
                "net",
                "currency",
            ],
            (
                [
                    str(o.store),
                    o.number or o.wc_id,
                    o.created_at.isoformat() if o.created_at else "",
                    o.paid_at.isoformat() if o.paid_at else "",
                    o.status,
                    o.billing_email,
                    o.billing_country,
                    decimal_string(o.total_minor, o.currency),
                    decimal_string(o.total_tax_minor, o.currency),
                    decimal_string(o.shipping_total_minor, o.currency),
                    decimal_string(o.total_minor - o.total_tax_minor - o.shipping_total_minor, o.currency),
                    o.currency,
                ]
                for o in qs.iterator()
            ),
        )
    page = keyset_page(qs, sort, request.GET.get("after", ""), request.GET.get("before", ""), PER_PAGE)
    count = order_count(scope.stores, scope.first, scope.last, search, statuses, country, page)
    # The list against the comparison period (the user's remembered choice), from the rollups; money only for a
    # role with revenue totals (support sees the count: the list already shows it one).
    can_revenue = allows(role_of(getattr(request, "membership", None)), Action.VIEW_REVENUE)
    try:
        compared = orders_comparison(
            scope.stores,
            scope.first,
            scope.last,
            scope.comparison,
            statuses,
            country,
            search,
            scope.currency,
            with_net=can_revenue,
        )
    except (ReportError, UnknownRate) as exc:
        compared = None
        compare_problem = str(exc)
    else:
        compare_problem = compared.unavailable
    filters = urlencode([("q", search), ("sort", sort), ("country", country), *(("status", s) for s in statuses)])
    context = page_context(
        request,
        scope,
        page=page,
        count=count,
        pages=-(-count.value // PER_PAGE) if count.exact else 0,
        page_number=_page_number(request),
        filters=filters,
        q=search,
        statuses=statuses,
        country=country,
        sort=sort,
        compared=compared,
        compare_problem=compare_problem,
        status_choices=[*ORDER_STATUSES, "trash"],  # a list finds orders, whatever their status
    )
    return render(request, "insights/orders.html", context)


@workspace_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    from storelens.commerce.models import Order

    order = get_workspace_object_or_404(request, Order.objects.select_related("store", "customer"), pk=order_id)
    settings = report_settings(order.store)
    basis_date = getattr(order, DATE_FIELD[settings.date_basis])
    if order.deleted_at is not None:
        not_counted = "it was deleted on the store"
    elif order.status in settings.all_excluded:
        not_counted = f"its status “{order.status}” is excluded from figures"
    elif basis_date is None:
        not_counted = f"it has no {settings.date_basis.value} date (figures count by {settings.date_basis.value} date)"
    else:
        not_counted = ""
    context = {
        "order": order,
        "items": order.line_items.order_by("wc_item_id"),
        "refunds": order.refunds.filter(deleted_at__isnull=True).order_by("created_at"),
        "net_minor": order.total_minor - order.total_tax_minor - order.shipping_total_minor,
        "not_counted": not_counted,
        "settings": settings,
    }
    return render(request, "insights/order_detail.html", context)

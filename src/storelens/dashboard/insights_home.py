"""The analytics home page and the workspace- and store-wide choices made from it: monthly goal, reporting currency,
a store's date basis and excluded statuses."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from storelens.accounts.scoping import get_workspace_object_or_404, workspace_required
from storelens.analytics.models import MonthlyGoal
from storelens.analytics.reports.activity import activity, latest_ids
from storelens.analytics.reports.currency import ReportingCurrencyError
from storelens.analytics.reports.currency import set_reporting_currency as save_reporting_currency
from storelens.analytics.reports.fx import UnknownRate
from storelens.analytics.reports.home import home as home_figures
from storelens.analytics.reports.summary import ReportError
from storelens.commerce.money import decimal_string, to_minor
from storelens.dashboard.chart_labels import axis_label
from storelens.dashboard.insights_common import chart_json, money_series, no_stores_page, page_context
from storelens.dashboard.insights_scope import PRESETS, scope_of
from storelens.stores.reporting import ORDER_STATUSES, DateBasis

# --- home --------------------------------------------------------------------------------------------------------


@workspace_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request, default_preset="mtd")
    if not scope.stores:
        return no_stores_page(request, "Dashboard")
    goal = MonthlyGoal.objects.filter(workspace=request.workspace).first()  # type: ignore[attr-defined]
    try:
        figures = home_figures(
            scope.stores,
            scope.today,
            scope.currency,
            goal.amount_minor if goal and goal.currency else None,
            first=scope.first,
            last=scope.last,
        )
    except (ReportError, UnknownRate) as exc:
        return render(
            request, "insights/problem.html", page_context(request, scope, title="Dashboard", problem=str(exc))
        )
    points = figures.daily_series()
    chart = chart_json(
        [axis_label(d, "day", scope.first, scope.last) for d, _ in points],
        [{"name": "Net sales", "data": money_series(points, "net_sales", figures.currency), "type": "bar"}],
        kind="bar",
    )
    months_chart = chart_json(
        [r.first.strftime("%b %Y") for r in figures.months],
        [{"name": "Net sales", "data": [decimal_string(r.totals.net_sales, r.currency) for r in figures.months]}],
        kind="bar",
    )
    range_name = dict(PRESETS).get(scope.preset, "Chosen range")
    ids = latest_ids(scope.stores)
    context = page_context(
        request,
        scope,
        home=figures,
        chart=chart,
        months_chart=months_chart,
        activity=activity(scope.stores),
        live_after=f"{ids[0]}-{ids[1]}",
        goal=goal,
        range_name=range_name,
        compared=[
            (range_name, figures.range_report),
            *(
                [("Same days last year", figures.last_year), ("Period before", figures.previous)]
                if scope.compare == "last_year"
                else [("Period before", figures.previous), ("Same days last year", figures.last_year)]
            ),
        ],
        month_to_date=(scope.first, scope.last) == (figures.mtd.first, figures.mtd.last),
    )
    return render(request, "insights/home.html", context)


@workspace_required
@require_POST
def set_goal(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    raw = (request.POST.get("goal") or "").strip().replace(",", "")
    currency = (request.POST.get("currency") or scope.display_currency).upper()
    workspace = request.workspace  # type: ignore[attr-defined]
    if not raw:
        MonthlyGoal.objects.filter(workspace=workspace).delete()
        messages.success(request, "Monthly goal removed.")
        return redirect("dashboard:home")
    try:
        amount = to_minor(raw, currency)
        if amount <= 0:
            raise ValueError
    except Exception:  # invalid decimal
        messages.error(request, f"“{raw}” is not an amount: write the monthly net-sales goal like 25000 or 25000.50.")
        return redirect("dashboard:home")
    MonthlyGoal.objects.update_or_create(workspace=workspace, defaults={"currency": currency, "amount_minor": amount})
    messages.success(request, "Monthly goal saved.")
    return redirect("dashboard:home")


@workspace_required
@require_POST
def set_reporting_currency(request: HttpRequest) -> HttpResponse:
    """The combined view's currency is a workspace setting: owners and admins change it (MANAGE_SETTINGS, checked by
    WorkspaceMiddleware before this runs)."""
    try:
        code = save_reporting_currency(request.workspace, request.POST.get("currency", ""))  # type: ignore[attr-defined]
    except ReportingCurrencyError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("dashboard:settings") + "#reporting")
    if code:
        messages.success(request, f"Reporting currency saved: every store added up is now shown in {code}.")
    else:
        messages.success(request, "Reporting currency cleared: stores sharing a currency are added up unconverted.")
    return redirect(reverse("dashboard:settings") + "#reporting")


@workspace_required
@require_POST
def store_figures(request: HttpRequest, store_id: int) -> HttpResponse:
    """The owner's choice of date basis and excluded statuses for one store (replacing the store's own WooCommerce
    Analytics settings). Rollups keep every basis and status, so figures change at once, with no rebuild."""
    from storelens.stores.figure_settings import set_by_owner
    from storelens.stores.models import Store

    store = get_workspace_object_or_404(request, Store, pk=store_id)
    basis = request.POST.get("date_basis", "")
    if basis not in {b.value for b in DateBasis}:
        messages.error(request, "Choose the date figures count by: created, paid or completed.")
        return redirect(f"{reverse('insights:sales')}?source={store.pk}")
    excluded = sorted({s for s in request.POST.getlist("excluded") if s in ORDER_STATUSES})
    set_by_owner(store, date_basis=basis, excluded=excluded)
    messages.success(
        request, f"{store}: figures now count by {basis} date, excluding {', '.join(excluded) or 'no status'}."
    )
    return redirect(f"{reverse('insights:sales')}?source={store.pk}")

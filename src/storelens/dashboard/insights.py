"""Analytics pages: home, sales, orders, customers, products, subscriptions, live activity (SSE), CSV exports.

Every page reads the workspace's stores through `accounts.scoping` (via `insights_scope.scope_of`) and its numbers
from `storelens.analytics`; nothing here computes a figure.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from storelens.accounts.models import Membership
from storelens.accounts.scoping import get_workspace_object_or_404, scoped, workspace_required
from storelens.analytics import explore, queries
from storelens.analytics.definitions import DateBasis, Totals
from storelens.analytics.fx import UnknownRate
from storelens.analytics.models import MonthlyGoal
from storelens.analytics.money import decimal_string, to_minor
from storelens.analytics.overview import home as home_figures
from storelens.analytics.report import ReportError, build
from storelens.analytics.reporting import ReportingCurrencyError
from storelens.analytics.reporting import set_reporting_currency as save_reporting_currency
from storelens.analytics.settings import report_settings
from storelens.dashboard.insights_scope import PRESETS, Scope, csv_response, scope_of

LIVE_POLL_SECONDS = 1.0
STATUS_CHOICES = ["pending", "failed", "cancelled", "on-hold", "processing", "completed", "refunded"]


def _base(request: HttpRequest, scope: Scope, **extra: Any) -> dict[str, Any]:
    return {"scope": scope, "presets": PRESETS, "currency": scope.display_currency, **extra}


def _no_stores(request: HttpRequest, title: str) -> HttpResponse:
    return render(request, "insights/no_stores.html", {"title": title})


def _one_currency(scope: Scope) -> tuple[list[Any], str]:
    """Stores whose lists can be ranked together: all of them when they share a currency, else the first one (lists
    of products and customers are not converted, so mixing € and $ rows would rank apples against pears)."""
    if len({(s.currency or "").upper() for s in scope.sources}) <= 1:
        return scope.sources, ""
    first = scope.sources[0]
    note = (
        f"Lists and lifetime values below are for {first} only: these stores sell in different currencies, so each "
        "store's list is ranked on its own. Pick a store above to see another."
    )
    return [first], note


def _chart(x: list[str], series: list[dict[str, Any]], kind: str = "line") -> str:
    return json.dumps({"x": x, "series": series, "kind": kind})


def _money_series(points: list[tuple[Any, Totals]], field: str, currency: str) -> list[str]:
    return [decimal_string(getattr(t, field), currency) for _, t in points]


# --- home --------------------------------------------------------------------------------------------------------


@workspace_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.sources:
        return _no_stores(request, "Dashboard")
    goal = MonthlyGoal.objects.filter(workspace=request.workspace).first()  # type: ignore[attr-defined]
    try:
        figures = home_figures(
            scope.sources, scope.today, scope.currency, goal.amount_minor if goal and goal.currency else None
        )
    except (ReportError, UnknownRate) as exc:
        return render(request, "insights/problem.html", _base(request, scope, title="Dashboard", problem=str(exc)))
    points = figures.daily_series()
    chart = _chart(
        [d.isoformat() for d, _ in points],
        [{"name": "Net sales", "data": _money_series(points, "net_sales", figures.currency), "type": "bar"}],
    )
    months_chart = _chart(
        [r.first.strftime("%b %Y") for r in figures.months],
        [{"name": "Net sales", "data": [decimal_string(r.totals.net_sales, r.currency) for r in figures.months]}],
        kind="bar",
    )
    ids = explore.latest_ids(scope.sources)
    context = _base(
        request,
        scope,
        home=figures,
        chart=chart,
        months_chart=months_chart,
        activity=explore.activity(scope.sources),
        live_after=f"{ids[0]}-{ids[1]}",
        goal=goal,
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
    """The combined view's currency is the whole workspace's, so only an owner changes it (as with its name)."""
    if request.membership.role != Membership.Role.OWNER:  # type: ignore[attr-defined]
        messages.error(request, "Only an owner of this workspace can change its reporting currency.")
        return redirect("dashboard:settings")
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


async def _live_events(
    sources: list[Any], after: tuple[int, int], once: bool, fetch: Any = None, render: Any = None
) -> Any:
    """Server-sent events: a new order or refund in our copy is on the page within ~1 s of its write (the page polls
    nothing; this loop reads the newest ids once a second, which also sees writes made by other processes)."""
    fetch = fetch or sync_to_async(explore.activity)
    render = render or sync_to_async(render_to_string)
    last_order, last_refund = after
    yield "retry: 2000\n\n"
    while True:
        items = await fetch(sources, last_order, last_refund)
        if items:
            last_order = max([last_order] + [a.pk for a in items if a.kind == "order"])
            last_refund = max([last_refund] + [a.pk for a in items if a.kind == "refund"])
            html = await render("insights/_activity_items.html", {"activity": items})
            payload = json.dumps({"html": html, "after": f"{last_order}-{last_refund}"})
            yield f"event: activity\ndata: {payload}\n\n"
        else:
            yield ": keep-alive\n\n"
        if once:
            return
        await asyncio.sleep(LIVE_POLL_SECONDS)


@workspace_required
def live(request: HttpRequest) -> StreamingHttpResponse:
    scope = scope_of(request)
    try:
        o, r = (int(x) for x in (request.GET.get("after") or "0-0").split("-", 1))
    except ValueError:
        o, r = explore.latest_ids(scope.sources)
    response = StreamingHttpResponse(
        _live_events(scope.sources, (o, r), request.GET.get("once") == "1"),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


# --- sales -------------------------------------------------------------------------------------------------------


@workspace_required
def sales(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.sources:
        return _no_stores(request, "Sales")
    grain = request.GET.get("grain") if request.GET.get("grain") in ("day", "week", "month") else "day"
    statuses = [s for s in request.GET.getlist("status") if s]
    product = request.GET.get("product", "")
    country = (request.GET.get("country") or "").upper()[:2]
    prev_first, prev_last = explore.previous_period(scope.first, scope.last)
    try:
        current = build(scope.sources, scope.first, scope.last, currency=scope.currency)
        previous = build(scope.sources, prev_first, prev_last, currency=scope.currency)
        if statuses:
            # Only these statuses (still never the always-excluded ones): recomputed with the status filter.
            from storelens.analytics.fx import Rates
            from storelens.analytics.report import Report, daily_in

            for rep in (current, previous):
                fresh = Report(currency=rep.currency, first=rep.first, last=rep.last, timezone=rep.timezone)
                rep.daily = daily_in(fresh, scope.sources, scope.currency is not None, None, [], Rates(), statuses)
                rep.totals = fresh.totals
    except (ReportError, UnknownRate) as exc:
        return render(request, "insights/problem.html", _base(request, scope, title="Sales", problem=str(exc)))
    filtered = bool(product.isdigit() or country)
    if filtered and len(scope.sources) == 1:
        source = scope.sources[0]
        settings = report_settings(source)
        for rep, (f, last) in ((current, (scope.first, scope.last)), (previous, (prev_first, prev_last))):
            rep.daily = explore.filtered_daily(
                source, settings, f, last, int(product) if product.isdigit() else None, country
            )
            rep.totals = queries.add_all(rep.daily.values())
    points = queries.series(current.daily, scope.first, scope.last, grain)
    prev_points = queries.series(previous.daily, prev_first, prev_last, grain)
    currency = current.currency
    chart = _chart(
        [d.isoformat() for d, _ in points],
        [
            {"name": "Net sales", "data": _money_series(points, "net_sales", currency), "type": "bar"},
            {
                "name": "Previous period",
                "data": _money_series(prev_points[: len(points)], "net_sales", currency),
                "type": "line",
            },
            {"name": "Orders", "data": [t.orders for _, t in points], "type": "line", "axis": 1},
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
    from storelens.commerce.models import Order

    countries = (
        Order.objects.filter(source__in=scope.sources)
        .exclude(billing_country="")
        .values_list("billing_country", flat=True)
        .distinct()
        .order_by("billing_country")
    )
    from storelens.commerce.models import Product

    products = Product.objects.filter(source__in=scope.sources, parent_wc_id=0).order_by("name")[:500]
    context = _base(
        request,
        scope,
        current=current,
        previous=previous,
        points=points,
        chart=chart,
        grain=grain,
        statuses=statuses,
        status_choices=["completed", "processing", "on-hold", "refunded", "pending", "failed", "cancelled"],
        product=product,
        country=country,
        countries=list(countries),
        products=products,
        filtered_note=filtered and len(scope.sources) != 1,
        figure_statuses=STATUS_CHOICES,
        figure_settings=report_settings(scope.selected) if scope.selected else None,
        aov=current.aov,
        prev_aov=previous.aov,
    )
    return render(request, "insights/sales.html", context)


# --- orders ------------------------------------------------------------------------------------------------------


@workspace_required
def orders(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.sources:
        return _no_stores(request, "Orders")
    search = request.GET.get("q", "")
    statuses = [s for s in request.GET.getlist("status") if s]
    country = request.GET.get("country", "")
    sort = request.GET.get("sort", "date")
    qs = explore.orders_list(scope.sources, scope.first, scope.last, search, statuses, country, sort)
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
                    str(o.source),
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
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    context = _base(
        request,
        scope,
        page=page,
        q=search,
        statuses=statuses,
        country=country,
        sort=sort,
        status_choices=["completed", "processing", "on-hold", "refunded", "pending", "failed", "cancelled", "trash"],
    )
    return render(request, "insights/orders.html", context)


@workspace_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    from storelens.commerce.models import Order

    order = get_workspace_object_or_404(request, Order.objects.select_related("source", "customer"), pk=order_id)
    settings = report_settings(order.source)
    basis_date = getattr(order, explore.BASIS_FIELD[settings.date_basis])
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


# --- products ----------------------------------------------------------------------------------------------------


@workspace_required
def products(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.sources:
        return _no_stores(request, "Products")
    by_variation = request.GET.get("by") == "variation"
    sort = request.GET.get("sort", "net")
    lines: list[explore.ProductLine] = []
    list_sources, list_note = _one_currency(scope)
    for source in list_sources:
        lines.extend(
            explore.product_leaderboard(source, report_settings(source), scope.first, scope.last, by_variation)
        )
    key = {"units": lambda p: -p.units, "refunds": lambda p: -p.refunds_minor}.get(sort, lambda p: -p.net_minor)
    lines.sort(key=key)
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
    top = lines[:10]
    chart = _chart(
        [p.name[:28] for p in reversed(top)],
        [{"name": "Net sales", "data": [decimal_string(p.net_minor, p.currency) for p in reversed(top)]}],
        kind="hbar",
    )
    context = _base(
        request, scope, lines=lines[:200], by_variation=by_variation, sort=sort, chart=chart, list_note=list_note
    )
    return render(request, "insights/products.html", context)


# --- subscriptions -----------------------------------------------------------------------------------------------


@workspace_required
def subscriptions(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.sources:
        return _no_stores(request, "Subscriptions")
    from storelens.commerce.models import Subscription

    rows = []
    for source in scope.sources:
        if Subscription.objects.filter(source=source).exists():
            rows.append(
                (source, explore.subscription_figures(source, report_settings(source), scope.first, scope.last))
            )
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
    return render(request, "insights/subscriptions.html", _base(request, scope, rows=rows))


def has_stores(request: HttpRequest) -> bool:
    from storelens.sources.models import Source

    return scoped(request, Source).exists()


@workspace_required
@require_POST
def store_figures(request: HttpRequest, source_id: int) -> HttpResponse:
    """The owner's choice of date basis and excluded statuses for one store (replacing the store's own WooCommerce
    Analytics settings). Rollups keep every basis and status, so figures change at once, with no rebuild."""
    from storelens.sources.models import Source

    source = get_workspace_object_or_404(request, Source, pk=source_id)
    basis = request.POST.get("date_basis", "")
    if basis not in {b.value for b in DateBasis}:
        messages.error(request, "Choose the date figures count by: created, paid or completed.")
        return redirect(f"{reverse('insights:sales')}?source={source.pk}")
    excluded = sorted({s for s in request.POST.getlist("excluded") if s in STATUS_CHOICES})
    source.date_basis = basis
    source.excluded_statuses = excluded
    source.settings_from_store = False
    source.save(update_fields=["date_basis", "excluded_statuses", "settings_from_store"])
    messages.success(
        request, f"{source}: figures now count by {basis} date, excluding {', '.join(excluded) or 'no status'}."
    )
    return redirect(f"{reverse('insights:sales')}?source={source.pk}")

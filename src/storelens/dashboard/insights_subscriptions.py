"""The subscriptions page: per store, today's MRR, ARR and counts, MRR over the range by month or week with its
movements, ARPPU and LTV as Putler defines them, failed renewals; below, the scope's subscriptions list (keyset-paged).
Four CSV exports: `?format=csv` (per-store summary), `&what=mrr` (the movements), `&what=failed`, `&what=list`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from storelens.accounts.scoping import workspace_required
from storelens.analytics.metrics.mrr import monthly_whole_minor
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.metrics.timezones import range_bounds_utc
from storelens.analytics.reports.subscription_mrr import (
    GRAINS,
    LIST_COLUMNS,
    all_subscriptions,
    failed_renewals,
    mrr_report,
    subscription_page,
)
from storelens.analytics.reports.subscriptions import subscription_figures
from storelens.commerce.money import decimal_string
from storelens.dashboard.insights_common import chart_json, no_stores_page, page_context
from storelens.dashboard.insights_scope import Scope, csv_response, scope_of

STATUSES = ("active", "on-hold", "pending-cancel", "cancelled", "expired", "pending", "switched")
MOVEMENT_COLUMNS = (
    "store", "period_from", "period_to", "mrr_start", "new", "expansion", "contraction", "churned", "reactivated",
    "mrr_end", "paying_customers_start", "paying_customers_end", "currency",
)  # fmt: skip


def grain_of(request: HttpRequest, scope: Scope) -> str:
    """Months, unless asked for weeks or the range is under about three months (too few months to show a trend)."""
    asked = request.GET.get("grain", "")
    if asked in GRAINS:
        return asked
    return "week" if (scope.last - scope.first).days < 92 else "month"


def _minor(value: int | None, currency: str) -> str:
    return "" if value is None else decimal_string(value, currency)


def _day(value: Any) -> str:
    return value.date().isoformat() if value else ""


def list_row(s: Any) -> list[Any]:
    currency = s.currency or s.store.currency or "USD"
    n, unit = s.billing_interval or 1, s.billing_period
    every = (f"a {unit}" if n == 1 else f"every {n} {unit}s") if unit else ""
    monthly = monthly_whole_minor(s.total_minor, s.billing_period, s.billing_interval)
    who = s.customer.email if s.customer_id else (f"#{s.wc_customer_id}" if s.wc_customer_id else "")
    return [
        str(s.store), s.wc_id, who, s.status, decimal_string(s.total_minor, currency), every,
        decimal_string(monthly, currency), currency, _day(s.start_at), _day(s.next_payment_at), _day(s.end_at),
    ]  # fmt: skip


def mrr_chart(report: Any, grain: str) -> str:
    """What was gained (new, expansion, reactivated) and lost (contraction, churn) each period as bars, and MRR at
    each period's end as a line on the second axis, which shares the bars' zero (the page's charts align a second
    axis to the first's zero, and only the first may go below it): beside MRR on one axis the movements would
    vanish."""
    label = "%d %b" if grain == "week" else "%b %Y"
    periods = report.periods
    cur = report.currency
    gained = [decimal_string(p.new + p.expansion + p.reactivated, cur) for _, _, p in periods]
    lost = [decimal_string(-(p.contraction + p.churned), cur) for _, _, p in periods]
    return chart_json(
        [d0.strftime(label) for d0, _, _ in periods],
        [
            {"name": "Gained", "data": gained, "type": "bar"},
            {"name": "Lost", "data": lost, "type": "bar"},
            {
                "name": "MRR at end",
                "data": [decimal_string(p.mrr_end, cur) for _, _, p in periods],
                "type": "line",
                "axis": 1,
            },
        ],
        kind="bar",
    )


def _movement_rows(reports: Sequence[tuple[Any, Any]]) -> Iterable[list[Any]]:
    for store, r in reports:
        for d0, d1, p in r.periods:
            yield [
                str(store), d0.isoformat(), d1.isoformat(),
                *(decimal_string(v, r.currency) for v in (
                    p.mrr_start, p.new, p.expansion, p.contraction, p.churned, p.reactivated, p.mrr_end
                )),
                p.customers_start, p.customers_end, r.currency,
            ]  # fmt: skip


@workspace_required
def subscriptions(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.stores:
        return no_stores_page(request, "Subscriptions")
    from storelens.commerce.models import Subscription

    grain = grain_of(request, scope)
    what = request.GET.get("what", "")
    status = request.GET.get("status", "")
    status = status if status in STATUSES else ""
    if request.GET.get("format") == "csv" and what == "list":
        listing = (list_row(s) for s in all_subscriptions(scope.stores, status))
        return csv_response("subscriptions-list.csv", LIST_COLUMNS, listing)
    rows = []
    for store in scope.stores:
        if not Subscription.objects.filter(store=store).exists():
            continue
        settings = report_settings(store)
        start, end = range_bounds_utc(scope.first, scope.last, settings.tz)
        mrr = mrr_report(store, settings, scope.first, scope.last, grain)
        rows.append(
            {
                "store": store,
                "f": subscription_figures(store, settings, scope.first, scope.last),
                "mrr": mrr,
                "chart": mrr_chart(mrr, grain),
                "chart_id": f"mrr-chart-{store.pk}",
                "failed": failed_renewals(store, start, end),
                "churn_from": scope.last - timedelta(days=29),
            }
        )
    if request.GET.get("format") == "csv":
        if what == "mrr":
            return csv_response(
                "subscriptions-mrr.csv", MOVEMENT_COLUMNS, _movement_rows([(r["store"], r["mrr"]) for r in rows])
            )
        if what == "failed":
            return csv_response(
                "subscriptions-failed-renewals.csv",
                ["store", "order", "number", "subscription", "created", "total", "currency", "billing_email"],
                (
                    [
                        str(r["store"]),
                        x.order_wc_id,
                        x.number,
                        x.subscription_wc_id or "",
                        _day(x.created_at),
                        decimal_string(x.total_minor, x.currency),
                        x.currency,
                        x.billing_email,
                    ]
                    for r in rows
                    for x in r["failed"]
                ),
            )
        return csv_response(
            "subscriptions.csv",
            ["store", "active", "mrr", "arr", "new", "churned", "churn_rate", "arppu", "ltv", "currency"],
            (
                [
                    str(r["store"]),
                    r["f"].active,
                    decimal_string(r["f"].mrr_minor, r["f"].currency),
                    decimal_string(r["f"].arr_minor, r["f"].currency),
                    r["f"].new,
                    r["f"].churned,
                    str(r["f"].churn_rate),
                    _minor(r["mrr"].lifetime.arppu_minor, r["f"].currency),
                    _minor(r["mrr"].lifetime.ltv_minor, r["f"].currency),
                    r["f"].currency,
                ]
                for r in rows
            ),
        )
    after = request.GET.get("after", "")
    listed, next_after = subscription_page(scope.stores, status, int(after) if after.isdigit() else None)
    return render(
        request,
        "insights/subscriptions.html",
        page_context(
            request,
            scope,
            rows=rows,
            grain=grain,
            grains=[("month", "Months"), ("week", "Weeks")],
            statuses=STATUSES,
            status=status,
            listed=[list_row(s) for s in listed],
            several=len(rows) > 1,  # the list names each row's store only when more than one sells subscriptions
            next_after=next_after,
            after=after,
        ),
    )

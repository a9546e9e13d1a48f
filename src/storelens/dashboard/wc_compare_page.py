"""The store's "Compare with WooCommerce Analytics" page: both figures for a range and every order that makes them
differ (`storelens.doctor.wc_compare`), as a table or CSV.

The comparison asks the store for WooCommerce Analytics' reports while the owner waits (a few seconds: two reports
and a page of orders per 100 rows); nothing is stored, so it is always as fresh as the store's own Analytics.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from storelens.accounts.scoping import get_workspace_object_or_404, workspace_required
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.metrics.timezones import local_day
from storelens.analytics.reports.date_range import DayError, parse_day
from storelens.analytics.reports.summary import ReportError
from storelens.analytics.reports.wc_explain import Explanation
from storelens.dashboard.insights_scope import csv_response
from storelens.doctor.wc_compare import CompareError, compare
from storelens.stores.models import Store

DEFAULT_DAYS = 30
REASONS = {
    "status_lag": "Status not re-imported",
    "amounts_lag": "Amounts not re-imported",
    "not_imported": "Not imported yet",
    "not_synced": "Not in Storelens yet",
    "trashed": "Trashed, still counted there",
    "deleted": "Deleted, still counted there",
    "dated": "Dated differently",
    "gross_counts_fees": "Fees in gross sales",
    "negative_net_as_refund": "Negative net as a refund",
}


def _range(request: HttpRequest, store: Store) -> tuple[date, date, str]:
    """The days asked for, else the last 30 days of the store's own calendar; a problem sentence when unreadable."""
    today = local_day(timezone.now(), report_settings(store).tz)
    first, last = today - timedelta(days=DEFAULT_DAYS - 1), today
    try:
        if request.GET.get("from"):
            first = parse_day(request.GET["from"])
        if request.GET.get("to"):
            last = parse_day(request.GET["to"])
    except DayError as exc:
        return first, last, str(exc)
    if first > last:
        return first, last, f"From {first} is after to {last}: the range is inclusive, from the earlier day."
    return first, last, ""


def _csv(store: Store, found: Explanation) -> HttpResponse:
    names = [f.name for f in found.figures]
    return csv_response(
        f"woocommerce-analytics-differences-{store.pk}-{found.first}-{found.last}.csv",
        ["kind", "id", "order_id", "reason", "woocommerce_status", "storelens_status", *names, "explanation"],
        (
            [
                r.kind,
                r.id,
                r.order_id,
                r.reason,
                r.woocommerce_status or "",
                r.storelens_status or "",
                *(found.amount(n, r.differences.get(n, 0)) for n in names),
                r.text,
            ]
            for r in found.rows
        ),
    )


@workspace_required
def compare_page(request: HttpRequest, store_id: int) -> HttpResponse:
    store = get_workspace_object_or_404(request, Store, pk=store_id)
    first, last, problem = _range(request, store)
    context: dict[str, Any] = {"store": store, "first": first, "last": last, "problem": problem, "found": None}
    if not problem and request.GET.get("from"):
        try:
            found = compare(store, first, last)
        except (CompareError, ReportError) as exc:
            context["problem"] = str(exc)
        else:
            if request.GET.get("format") == "csv":
                return _csv(store, found)
            context.update(found=found, reasons=REASONS)
            context["figures"] = [
                {
                    "label": f.label,
                    "woocommerce": found.amount(f.name, f.woocommerce),
                    "storelens": found.amount(f.name, f.storelens),
                    "difference": found.amount(f.name, f.difference),
                    "unexplained": found.amount(f.name, f.unexplained),
                    "differs": f.difference != 0,
                    "open": f.unexplained != 0,
                }
                for f in found.figures
            ]
            items = [
                {
                    "row": r,
                    "reason": REASONS.get(r.reason, r.reason),
                    "differences": [(n, found.amount(n, v)) for n, v in r.differences.items()],
                }
                for r in found.rows
            ]
            # Fees in gross sales are a difference of definition on every order with a fee: folded, not hidden.
            context["rows"] = [i for i in items if i["row"].reason != "gross_counts_fees"]
            context["fee_rows"] = [i for i in items if i["row"].reason == "gross_counts_fees"]
            fees = sum(i["row"].differences.get("gross_sales", 0) for i in context["fee_rows"])
            context["fee_total"] = found.amount("gross_sales", fees)
    return render(request, "wc_compare/compare.html", context)

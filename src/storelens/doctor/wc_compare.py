"""Compare a store's figures with WooCommerce Analytics' own: fetch theirs, read ours, let analytics explain.

The fetching lives here, beside the doctor's other calls to the store, because the analytics layer never talks
HTTP (`storelens.analytics.reports.wc_explain` is pure). WooCommerce's Revenue report is asked on the date basis
Storelens uses for the store; its Orders report always uses the store's own `woocommerce_date_type`, so when the
owner has set Storelens to another basis the row list and the totals disagree, and the comparison says so.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from storelens.analytics.metrics.orders import DATE_FIELD
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.metrics.types import OrderRow, RefundRow
from storelens.analytics.reports.summary import build
from storelens.analytics.reports.wc_explain import Explanation, explain, wc_rows_in, wc_totals_in
from storelens.analytics.rollups.rows import (
    ORDER_FIELDS,
    REFUND_FIELDS,
    order_row_from_values,
    refund_row_from_values,
)
from storelens.stores.client import client_for, run
from storelens.woocommerce.analytics_reports import AnalyticsRow, deleted_orders, order_rows, revenue_totals
from storelens.woocommerce.errors import StoreError


class CompareError(RuntimeError):
    """WooCommerce Analytics could not be read; the message says what to do next."""


def _refusal(err: StoreError) -> CompareError:
    if err.status in (401, 403):
        return CompareError(
            "The store refused its Analytics reports to Storelens's key "
            f"({err.wc_code or err.code}: {err.message}). The key's WordPress user needs the "
            "view_woocommerce_reports capability (a Shop manager or Administrator): reconnect the store as such a user."
        )
    return CompareError(f"WooCommerce Analytics did not answer: {err.message} {err.fix}".strip())


def fetch(store: Any, first: date, last: date, date_type: str) -> tuple[dict[str, Any], list[AnalyticsRow]]:
    """The Revenue report's totals and the Orders report's counted rows for the range."""

    async def go() -> tuple[dict[str, Any], list[AnalyticsRow]]:
        async with client_for(store) as client:
            totals = await revenue_totals(client, first, last, date_type)
            rows = await order_rows(client, first, last)
            return totals, rows

    try:
        return run(go)
    except StoreError as err:
        raise _refusal(err) from None


def fetch_stale(store: Any, first: date, last: date, ids: list[int], statuses: list[str]) -> list[AnalyticsRow]:
    """These orders' and refunds' rows among those WooCommerce holds with a status it does not count."""

    async def go() -> list[AnalyticsRow]:
        async with client_for(store) as client:
            return await order_rows(client, first, last, statuses=statuses, ids=ids)

    try:
        return run(go) if ids else []
    except StoreError as err:
        raise _refusal(err) from None


def fetch_deleted(store: Any, order_ids: list[int]) -> set[int]:
    """Which of these orders, unknown to Storelens, the store answers 404 for."""

    async def go() -> set[int]:
        async with client_for(store) as client:
            return await deleted_orders(client, order_ids)

    try:
        return run(go) if order_ids else set()
    except StoreError as err:
        raise _refusal(err) from None


def rows_for(
    store: Any, first: date, last: date, basis_field: str, rows: list[AnalyticsRow]
) -> tuple[list[OrderRow], list[RefundRow]]:
    """Storelens's orders and refunds that can matter for the range: dated within it (a day of margin each side for
    the store's zone), named by WooCommerce's rows, and the orders of those refunds. Proportional to the range, not
    to the store, so a store of a million orders compares a month as fast as a small one."""
    from django.db.models import Q

    from storelens.commerce.models import Order, Refund

    start = datetime.combine(first - timedelta(days=1), time.min, tzinfo=UTC)
    end = datetime.combine(last + timedelta(days=2), time.min, tzinfo=UTC)
    refund_ids = [r.order_id for r in rows if r.is_refund]
    order_ids = {r.order_id for r in rows if not r.is_refund} | {r.parent_id for r in rows if r.is_refund}
    refunds = [
        refund_row_from_values(v)
        for v in Refund.objects.filter(store=store)
        .filter(Q(created_at__gte=start, created_at__lt=end) | Q(wc_id__in=refund_ids))
        .values(*REFUND_FIELDS)
    ]
    order_ids |= {r.order_id for r in refunds}
    dated = Q(**{f"{basis_field}__gte": start, f"{basis_field}__lt": end})
    orders = [
        order_row_from_values(v)
        for v in Order.objects.filter(store=store).filter(dated | Q(wc_id__in=order_ids)).values(*ORDER_FIELDS)
    ]
    return orders, refunds


def compare(store: Any, first: date, last: date) -> Explanation:
    """Storelens's report for the store's own settings beside WooCommerce Analytics', every difference by order."""
    settings = report_settings(store)
    report = build([store], first, last, with_customers=False)
    currency = report.currency
    totals, rows = fetch(store, first, last, f"date_{settings.date_basis.value}")
    orders, refunds = rows_for(store, first, last, DATE_FIELD[settings.date_basis], rows)
    inputs: dict[str, Any] = dict(
        currency=currency,
        first=first,
        last=last,
        settings=settings,
        wc_totals=wc_totals_in(totals, currency),
        wc_rows=wc_rows_in(rows, currency),
        storelens_totals=report.totals,
        orders=orders,
        refunds=refunds,
    )
    first_pass = explain(**inputs)
    missing = [r.id for r in first_pass.rows if r.reason == "not_imported"]
    unknown = [r.order_id for r in first_pass.rows if r.reason == "not_synced"]
    if not missing and not unknown:
        return first_pass
    # Its `status_is` takes the store's order statuses only (`auto-draft` is refused with 400 rest_invalid_param).
    statuses = sorted((settings.all_excluded | {"trash"}) - {"auto-draft"})
    stale = fetch_stale(store, first, last, missing, statuses)
    gone = fetch_deleted(store, unknown)
    return explain(**inputs, stale_rows=wc_rows_in(stale, currency), deleted_orders=gone)

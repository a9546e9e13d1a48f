"""WooCommerce Analytics' own figures for a range: the Revenue report's totals and the Orders report's rows.

Both read WooCommerce's lookup table `wc_order_stats`, which its Action Scheduler import fills some seconds after an
order changes (`time() + 5`, or later on a busy queue): they are what the owner sees in wp-admin → Analytics, not
the orders as they are now. Storelens compares them with its own figures to explain every difference by order
(`storelens.analytics.reports.wc_explain`); nothing here interprets them.

Rules read from WooCommerce 11.0.1 (`src/Admin/API/Reports/`):
- `after`/`before` are the store's local wall clock, compared with the column of `woocommerce_date_type` (a refund's
  `date_paid` row is its creation date). `GET reports/revenue/stats` accepts `date_type` to override the option;
  `GET reports/orders` does not (it always uses the option).
- With no `status_is`/`status_is_not`, both leave out the excluded statuses of the option plus `auto-draft` and
  `trash` (`get_excluded_report_order_statuses`), compared with the status the import copied into the table.
- `reports/orders` lists one row per order (`parent_id` 0) and one per refund (`parent_id` = its order), with the
  row's `status`, `net_total`, `total_sales` and `num_items_sold`; money is a JSON float with binary noise.
- Results are cached for an hour unless `force_cache_refresh` is set: always set here, or a comparison made right
  after a change would read the figures from before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .client import StoreClient
from .errors import NotFound

REVENUE_STATS = "/wc-analytics/reports/revenue/stats"
ORDERS = "/wc-analytics/reports/orders"
REVENUE_FIGURES = (
    "orders_count",
    "num_items_sold",
    "gross_sales",
    "total_sales",
    "coupons",
    "refunds",
    "taxes",
    "shipping",
    "net_revenue",
)


@dataclass(frozen=True)
class AnalyticsRow:
    """One `reports/orders` row: an order (`parent_id` 0) or a refund of `parent_id`, money as exact decimals of the
    floats WooCommerce sent."""

    order_id: int
    parent_id: int
    status: str
    date: str  # the row's date on the store's date type, local wall clock (`YYYY-MM-DD HH:MM:SS`)
    net_total: Decimal
    total_sales: Decimal
    num_items_sold: int

    @property
    def is_refund(self) -> bool:
        return self.parent_id != 0


def _decimal(value: Any) -> Decimal:
    """A JSON number as the decimal it prints as (`repr` of the float), never the float's binary expansion."""
    if value is None or isinstance(value, bool):
        return Decimal(0)
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))


def range_params(first: date, last: date) -> dict[str, str]:
    """The whole local days `first`…`last`, as WooCommerce Analytics' own date picker asks for them."""
    return {"after": f"{first.isoformat()}T00:00:00", "before": f"{last.isoformat()}T23:59:59"}


async def revenue_totals(client: StoreClient, first: date, last: date, date_type: str) -> dict[str, Decimal]:
    """`reports/revenue/stats` totals over the range on `date_type` (`date_paid`, `date_created`, `date_completed`).

    Raises the client's `StoreError` when the store refuses (a key without `view_woocommerce_reports`: 401/403)."""
    params = {
        **range_params(first, last),
        "interval": "day",
        "per_page": 1,  # the totals cover the whole range whatever page of intervals comes with them
        "date_type": date_type,
        "force_cache_refresh": "true",
    }
    resp = await client.get(REVENUE_STATS, params)
    totals = resp.data.get("totals") if isinstance(resp.data, dict) else None
    if not isinstance(totals, dict):
        totals = {}
    return {name: _decimal(totals.get(name)) for name in REVENUE_FIGURES}


def _row(raw: dict[str, Any]) -> AnalyticsRow:
    return AnalyticsRow(
        order_id=int(raw.get("order_id") or 0),
        parent_id=int(raw.get("parent_id") or 0),
        status=str(raw.get("status") or ""),
        date=str(raw.get("date") or ""),
        net_total=_decimal(raw.get("net_total")),
        total_sales=_decimal(raw.get("total_sales")),
        num_items_sold=int(raw.get("num_items_sold") or 0),
    )


async def order_rows(
    client: StoreClient, first: date, last: date, *, statuses: list[str] | None = None, ids: list[int] | None = None
) -> list[AnalyticsRow]:
    """Every `reports/orders` row of the range, paged like every other listing.

    Default: the rows WooCommerce Analytics counts (its excluded statuses left out). `statuses` lists rows with any of
    these table statuses instead (to learn the stale status of a row Analytics leaves out); `ids` keeps only these
    orders and refunds."""
    params: dict[str, Any] = {**range_params(first, last), "orderby": "date", "order": "asc"}
    params["force_cache_refresh"] = "true"
    if statuses:
        params["status_is"] = list(statuses)  # a comma list: WordPress splits array parameters itself
    if ids:
        params["order_includes"] = list(ids)
    items = await client.fetch_all(ORDERS, params)
    return [_row(item) for item in items if isinstance(item, dict)]


async def deleted_orders(client: StoreClient, ids: list[int]) -> set[int]:
    """Which of these orders the store no longer has (`404 woocommerce_rest_shop_order_invalid_id`): WooCommerce
    keeps a deleted order's refund rows in `wc_order_stats`, so Analytics may count rows of an order long gone."""
    gone: set[int] = set()
    for order_id in sorted(set(ids)):
        try:
            await client.get(f"/wc/v3/orders/{order_id}", {"_fields": "id"})
        except NotFound:
            gone.add(order_id)
    return gone

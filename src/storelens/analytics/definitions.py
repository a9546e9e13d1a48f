"""Metric definitions: the only place that says what a number on a Storelens page means.

Defaults follow WooCommerce Analytics (measured on WooCommerce 9.9 and checked against the real store's dataset in
`tests/analytics/test_real_store.py`), so an owner sees the numbers their wp-admin shows:

- An order is *counted* when its status is not excluded (the store's setting, default pending, failed, cancelled;
  checkout-draft, trash and auto-draft always), it was not deleted from the store, and it has a date on the chosen
  basis (created, paid or completed; an unpaid order has no paid date, so it is absent on the paid basis).
- An order falls on the store-local day of that date's `_gmt` value (see `timezones`).
- A refund falls on its own creation day, and counts only when its order is counted (whatever day the order fell on).
- Ranges are whole local days, both ends included.

Everything here is pure: rows in, integer minor units out. Rollups (`rollups.py`) store exactly the per-row
contributions computed here, so a rollup answer and a raw answer cannot drift apart by definition, only by bookkeeping
(which the property test in `tests/analytics/test_rollups_property.py` checks).

The types live in `definition_types`, per-row definitions in `row_definitions` and range metrics in `range_metrics`;
this module gathers them so `definitions.<name>` keeps working for every caller.
"""

from storelens.analytics.definition_types import (
    ALWAYS_EXCLUDED,
    DEFAULT_EXCLUDED,
    Contribution,
    DateBasis,
    OrderRow,
    RefundRow,
    ReportSettings,
    Totals,
)
from storelens.analytics.range_metrics import (
    aov,
    average_order_value,
    coupons,
    first_counted_days,
    gross_sales,
    items_sold,
    net_sales,
    new_customers,
    orders_count,
    range_totals,
    refunds_total,
    returning_customers,
    shipping,
    taxes,
    total_sales,
)
from storelens.analytics.row_definitions import (
    contributions,
    is_counted,
    order_contribution,
    order_coupons,
    order_date,
    order_day,
    order_fees,
    order_gross_sales,
    order_has_basis_date,
    order_net_sales,
    order_shipping,
    order_taxes,
    order_total_sales,
    order_totals,
    refund_amount,
    refund_contribution,
    refund_net_sales,
    refund_totals,
)

__all__ = [
    "ALWAYS_EXCLUDED",
    "DEFAULT_EXCLUDED",
    "Contribution",
    "DateBasis",
    "OrderRow",
    "RefundRow",
    "ReportSettings",
    "Totals",
    "aov",
    "average_order_value",
    "contributions",
    "coupons",
    "first_counted_days",
    "gross_sales",
    "is_counted",
    "items_sold",
    "net_sales",
    "new_customers",
    "order_contribution",
    "order_coupons",
    "order_date",
    "order_day",
    "order_fees",
    "order_gross_sales",
    "order_has_basis_date",
    "order_net_sales",
    "order_shipping",
    "order_taxes",
    "order_total_sales",
    "order_totals",
    "orders_count",
    "range_totals",
    "refund_amount",
    "refund_contribution",
    "refund_net_sales",
    "refund_totals",
    "refunds_total",
    "returning_customers",
    "shipping",
    "taxes",
    "total_sales",
]

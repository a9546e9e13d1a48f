"""Numbers behind the list pages (orders, customers, products, subscriptions) and the live activity feed.

Range figures use the same counted-order rule as `definitions` (status, deletion, a date on the basis), expressed as
one SQL filter per store: local days become one UTC interval (`timezones.range_bounds_utc`), so "in range" means
exactly what it means for the rollups. Money is summed in SQL over integer minor units.

Each list lives in its own module; this one gathers them so `explore.<name>` keeps working for every caller.
"""

from storelens.analytics.activity import Activity, activity, latest_ids
from storelens.analytics.customer_values import (
    RFM_SEGMENTS,
    CustomerSummary,
    CustomerValue,
    customer_summary,
    customer_values,
    customer_values_raw,
    rfm,
    segment_of,
    with_people,
)
from storelens.analytics.order_list import ORDER_SORTS, orders_list
from storelens.analytics.product_leaderboard import ProductLine, product_leaderboard
from storelens.analytics.range_filters import (
    BASIS_FIELD,
    counted_orders,
    days_between,
    filtered_daily,
    in_range,
    previous_period,
)
from storelens.analytics.subscription_figures import (
    MONTHS_PER_PERIOD,
    SubscriptionFigures,
    monthly_minor,
    subscription_figures,
)

__all__ = [
    "BASIS_FIELD",
    "MONTHS_PER_PERIOD",
    "ORDER_SORTS",
    "RFM_SEGMENTS",
    "Activity",
    "CustomerSummary",
    "CustomerValue",
    "ProductLine",
    "SubscriptionFigures",
    "activity",
    "counted_orders",
    "customer_summary",
    "customer_values",
    "customer_values_raw",
    "days_between",
    "filtered_daily",
    "in_range",
    "latest_ids",
    "monthly_minor",
    "orders_list",
    "previous_period",
    "product_leaderboard",
    "rfm",
    "segment_of",
    "subscription_figures",
    "with_people",
]

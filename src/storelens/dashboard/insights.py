"""Analytics pages: home, sales, orders, customers, products, subscriptions, live activity (SSE), CSV exports.

Every page reads the workspace's stores through `accounts.scoping` (via `insights_scope.scope_of`) and its numbers
from `storelens.analytics`; nothing here computes a figure. Each page lives in its own `insights_<page>` module; this
one gathers them so `insights_urls` and `dashboard.views` keep one import path.
"""

from storelens.dashboard.insights_common import STATUS_CHOICES, has_stores
from storelens.dashboard.insights_customers import customer_detail, customers
from storelens.dashboard.insights_home import home, set_goal, set_reporting_currency, store_figures
from storelens.dashboard.insights_live import LIVE_POLL_SECONDS, _live_events, live
from storelens.dashboard.insights_orders import order_detail, orders
from storelens.dashboard.insights_products import products
from storelens.dashboard.insights_sales import sales
from storelens.dashboard.insights_subscriptions import subscriptions

__all__ = [
    "LIVE_POLL_SECONDS",
    "STATUS_CHOICES",
    "_live_events",
    "customer_detail",
    "customers",
    "has_stores",
    "home",
    "live",
    "order_detail",
    "orders",
    "products",
    "sales",
    "set_goal",
    "set_reporting_currency",
    "store_figures",
    "subscriptions",
]

"""Analytics pages, mounted at the site root by dashboard/urls.py (namespace "insights"); one module per page."""

from django.urls import path

from storelens.dashboard import (
    insights_breakdowns,
    insights_cohorts,
    insights_customers,
    insights_heatmap,
    insights_home,
    insights_live,
    insights_orders,
    insights_product,
    insights_products,
    insights_sales,
    insights_subscriptions,
)

app_name = "insights"

urlpatterns = [
    path("goal/", insights_home.set_goal, name="set_goal"),
    path("settings/reporting-currency/", insights_home.set_reporting_currency, name="set_reporting_currency"),
    path("live/activity/", insights_live.live, name="live"),
    path("sales/", insights_sales.sales, name="sales"),
    path("sales/heatmap/", insights_heatmap.sales_heatmap, name="heatmap"),
    path("sales/breakdowns/", insights_breakdowns.breakdowns, name="breakdowns"),
    path("stores/<int:store_id>/figures/", insights_home.store_figures, name="store_figures"),
    path("orders/", insights_orders.orders, name="orders"),
    path("orders/<int:order_id>/", insights_orders.order_detail, name="order_detail"),
    path("customers/", insights_customers.customers, name="customers"),
    path("customers/<int:customer_id>/", insights_customers.customer_detail, name="customer_detail"),
    path("cohorts/", insights_cohorts.cohorts_page, name="cohorts"),
    path("products/", insights_products.products, name="products"),
    path("products/<int:store_id>/<int:product_wc_id>/", insights_product.product_detail, name="product_detail"),
    path("subscriptions/", insights_subscriptions.subscriptions, name="subscriptions"),
]

"""Analytics pages, mounted at the site root by dashboard/urls.py (namespace "insights")."""

from django.urls import path

from storelens.dashboard import insights

app_name = "insights"

urlpatterns = [
    path("goal/", insights.set_goal, name="set_goal"),
    path("settings/reporting-currency/", insights.set_reporting_currency, name="set_reporting_currency"),
    path("live/activity/", insights.live, name="live"),
    path("sales/", insights.sales, name="sales"),
    path("stores/<int:store_id>/figures/", insights.store_figures, name="store_figures"),
    path("orders/", insights.orders, name="orders"),
    path("orders/<int:order_id>/", insights.order_detail, name="order_detail"),
    path("customers/", insights.customers, name="customers"),
    path("customers/<int:customer_id>/", insights.customer_detail, name="customer_detail"),
    path("products/", insights.products, name="products"),
    path("subscriptions/", insights.subscriptions, name="subscriptions"),
]

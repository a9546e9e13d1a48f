"""The store's comparison with WooCommerce Analytics, under the store's own path (/sources/<id>/compare/)."""

from __future__ import annotations

from django.urls import path

from storelens.dashboard.wc_compare_page import compare_page

app_name = "wc_compare"

urlpatterns = [path("<int:store_id>/compare/", compare_page, name="compare")]

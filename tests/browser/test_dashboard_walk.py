"""Every analytics page in Debian's Chromium, on demo data imported from two fake stores through the real sync.

Screenshots land in var/screenshots/dashboard/ (desktop and phone widths); they were looked at while building the
pages. The live feed is checked end to end: an order written into the server's database by another process shows
up on the open home page within 2 s.
"""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import pytest

from tests.browser.demo import seed_demo_and_sign_in

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "walk@storelens.local", "a-walk-through-the-pages"
PAGES = [
    ("/", "home", "Month to date"),
    ("/sales/?preset=90d&grain=week", "sales", "Net sales and orders by week"),
    ("/orders/?preset=30d", "orders", "created in this range"),
    ("/customers/?preset=12m", "customers", "RFM segments"),
    ("/products/?preset=12m", "products", "Top 10 by net sales"),
    ("/subscriptions/?preset=90d", "subscriptions", "MRR"),
]

WRITE_ORDER = """
import django, os
django.setup()
from storelens.commerce import upsert_orders
from storelens.stores.models import Store
from django.utils import timezone
now = timezone.now().strftime("%Y-%m-%dT%H:%M:%S")
store = Store.objects.order_by("pk").first()
upsert_orders(store, [{"id": 990001, "number": "990001", "status": "processing", "currency": store.currency,
  "date_created_gmt": now, "date_paid_gmt": now, "total": "77.00", "total_tax": "0.00", "shipping_total": "0.00",
  "line_items": [{"id": 1, "product_id": 1, "quantity": 1, "subtotal": "77.00", "total": "77.00"}],
  "billing": {"email": "live@example.com"}}])
"""


def test_walk_every_page_with_screenshots(start_storelens_server: Any, browser_page: Any, screenshot: Any) -> None:
    server = start_storelens_server()
    page = browser_page
    seed_demo_and_sign_in(server, page, EMAIL, PASSWORD)

    for path, name, expect in PAGES:
        page.goto(server.url + path)
        page.get_by_text(expect).first.wait_for()
        if page.locator("[data-chart]").count():
            page.wait_for_selector("[data-chart] svg, [data-chart] .chart-empty")
        assert page.locator(".message.error").count() == 0, path
        screenshot(page, f"dashboard/{name}")

    # An order detail and a customer profile, reached by clicking.
    page.goto(server.url + "/orders/?preset=90d")
    page.locator("table a[href^='/orders/']").first.click()
    page.get_by_role("heading", name="Items").wait_for()
    screenshot(page, "dashboard/order-detail")
    page.goto(server.url + "/customers/?preset=12m")
    page.locator("table a[href^='/customers/']").first.click()
    page.get_by_text("Lifetime net").wait_for()
    screenshot(page, "dashboard/customer-detail")

    # CSV export from the page.
    page.goto(server.url + "/sales/?preset=30d")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    assert download.value.suggested_filename.startswith("sales-")

    # Live activity: an order written by another process appears within 2 s.
    page.goto(server.url + "/")
    page.locator("[data-live-state].on").wait_for()
    subprocess.run([sys.executable, "-c", WRITE_ORDER], env=server.env, check=True, timeout=60)
    started = time.monotonic()
    page.get_by_text("Order #990001").wait_for(timeout=2000)
    assert time.monotonic() - started < 2.0
    screenshot(page, "dashboard/home-live")

    # The workspace's reporting currency, chosen on Settings, is what the combined view is shown in.
    page.goto(server.url + "/settings/#reporting")
    page.get_by_label("Currency").select_option("GBP")
    page.locator("#reporting").get_by_role("button", name="Save").click()
    page.get_by_text("Reporting currency saved").wait_for()
    screenshot(page, "dashboard/settings-reporting-currency")
    page.goto(server.url + "/sales/?preset=90d")
    page.wait_for_selector("[data-chart] svg, [data-chart] .chart-empty")
    assert "£" in page.locator(".kpis, main").first.inner_text()
    screenshot(page, "dashboard/sales-in-reporting-currency")

    # Phone width.
    page.set_viewport_size({"width": 390, "height": 844})
    for path, name, _ in PAGES[:3]:
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        screenshot(page, f"dashboard/{name}-phone")

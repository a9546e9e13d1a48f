"""The Customers page in Debian's Chromium, on demo data imported from the fake stores through the real sync (whose
end of pass refreshes the customer snapshot): new and returning customers, average and median lifetime value, the
top 20 %'s share, RFM segments, the top customers and a customer's profile, and the CSV export. Screenshots land in
var/screenshots/customers/ (desktop and phone widths); they were looked at."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.browser.demo import seed_demo_and_sign_in

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "customers@storelens.local", "a-walk-through-the-customers"


def test_customers_page_shows_segments_top_customers_and_a_profile(
    start_storelens_server: Any, browser_page: Any, screenshot: Any
) -> None:
    server = start_storelens_server()
    page = browser_page
    seed_demo_and_sign_in(server, page, EMAIL, PASSWORD)

    page.goto(server.url + "/customers/?preset=12m")
    page.get_by_text("Top customers by lifetime value").wait_for()
    page.wait_for_selector("[data-chart] svg, [data-chart] .chart-empty")
    assert page.locator(".message.error").count() == 0
    assert "median" in page.locator(".kpi", has_text="Average lifetime value").inner_text()
    top = page.locator("table a[href^='/customers/']")
    assert top.count() > 0
    screenshot(page, "customers/overview")

    name = top.first.inner_text()
    top.first.click()
    page.get_by_text("Lifetime net").wait_for()
    assert name in page.locator("h1").inner_text() or name in page.content()
    assert page.locator(".kpi", has_text="RFM").inner_text().strip()
    screenshot(page, "customers/profile")

    page.goto(server.url + "/customers/?preset=12m")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows and rows[0]["segment"]
    nets = [float(r["lifetime_net"]) for r in rows if r["currency"] == rows[0]["currency"]]
    assert nets == sorted(nets, reverse=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server.url + "/customers/?preset=12m")
    page.get_by_text("Top customers by lifetime value").wait_for()
    screenshot(page, "customers/phone")

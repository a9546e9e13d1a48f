"""The Sales heatmap in Debian's Chromium, on demo data imported from the fake stores through the real sync: the
orders grid, the net-sales switch, the CSV export, and the phone width with no horizontal page scroll. Screenshots
land in var/screenshots/heatmap/ (desktop and phone); they were looked at."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.browser.demo import seed_demo_and_sign_in

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "heatmap@storelens.local", "a-walk-through-the-hours"


def test_heatmap_shows_when_orders_come_in_on_desktop_and_phone(
    start_storelens_server: Any, browser_page: Any, screenshot: Any
) -> None:
    server = start_storelens_server()
    page = browser_page
    seed_demo_and_sign_in(server, page, EMAIL, PASSWORD)

    page.goto(server.url + "/sales/heatmap/?preset=12m")
    page.get_by_text("Orders by weekday and hour").wait_for()
    assert page.locator("table.heatmap tbody tr").count() == 24
    assert page.locator("table.heatmap td.heat-8").count() >= 1  # the busiest hour has the darkest shade
    assert "Busiest:" in page.inner_text(".heatmap-card")
    screenshot(page, "heatmap/orders")

    page.select_option("select[name=metric]", "net_sales")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**metric=net_sales**")
    page.get_by_text("Net sales by weekday and hour").wait_for()
    screenshot(page, "heatmap/net-sales")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == 168 and set(rows[0]) == {"weekday", "hour", "net_sales", "currency"}

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server.url + "/sales/heatmap/?preset=12m")
    page.get_by_text("Orders by weekday and hour").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "heatmap/phone")

"""The Products page in Debian's Chromium, on demo data imported from the fake stores through the real sync: the
leaderboard with a variable product's variations listed under it, the by-variation view, the ranking switch and the
CSV export. Screenshots land in var/screenshots/products/ (desktop and phone widths); they were looked at."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.browser.demo import seed_demo_and_sign_in

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "products@storelens.local", "a-walk-through-the-products"


def test_products_page_lists_variations_under_their_product(
    start_storelens_server: Any, browser_page: Any, screenshot: Any
) -> None:
    server = start_storelens_server()
    page = browser_page
    seed_demo_and_sign_in(server, page, EMAIL, PASSWORD)

    page.goto(server.url + "/products/?preset=12m")
    page.get_by_text("Top 10 by net sales").wait_for()
    page.wait_for_selector("[data-chart] svg, [data-chart] .chart-empty")
    assert page.locator(".message.error").count() == 0
    assert page.locator("tr.variation").count() > 0  # the demo store sells variable products
    first_variation = page.locator("tr.variation").first
    assert "↳" in first_variation.inner_text()
    screenshot(page, "products/leaderboard")

    page.select_option("select[name=sort]", "units")
    page.select_option("select[name=by]", "variation")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**by=variation**")
    assert page.locator("tr.variation").count() == 0
    screenshot(page, "products/by-variation")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    assert download.value.suggested_filename.startswith("products-")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows and any(r["variation_id"] != "0" for r in rows)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server.url + "/products/?preset=12m")
    page.get_by_text("Top 10 by net sales").wait_for()
    screenshot(page, "products/phone")

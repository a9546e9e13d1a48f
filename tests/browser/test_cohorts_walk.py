"""Cohorts in Debian's Chromium, on demo data imported from the fake stores through the real sync: the triangle by
month, the net-sales view, a first-product filter, weeks, the CSV export, and the phone width with no horizontal page
scroll (the triangle scrolls inside its card). Screenshots land in var/screenshots/cohorts/; they were looked at."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.browser.demo import seed_demo_and_sign_in

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "cohorts@storelens.local", "a-walk-through-the-cohorts"


def test_cohorts_show_how_each_months_new_customers_kept_ordering_on_desktop_and_phone(
    start_storelens_server: Any, browser_page: Any, screenshot: Any
) -> None:
    server = start_storelens_server()
    page = browser_page
    page.set_viewport_size({"width": 1440, "height": 1000})
    seed_demo_and_sign_in(server, page, EMAIL, PASSWORD)

    page.get_by_role("link", name="Cohorts").first.click()
    page.get_by_text("Customers still ordering, by month of first order").wait_for()
    rows = page.locator("table.cohort-table tbody tr")
    assert rows.count() >= 6
    assert page.locator("table.cohort-table tbody td.heat-8").count() >= rows.count()  # month 0: every customer
    first_row = page.inner_text("table.cohort-table tbody tr >> nth=0")
    assert "100 %" in first_row
    screenshot(page, "cohorts/retention")

    page.select_option("select[name=show]", "net_sales")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**show=net_sales**")
    page.get_by_text("Net sales, by month of first order").wait_for()
    screenshot(page, "cohorts/net-sales")

    product = page.locator("select[name=product] option").nth(1)
    page.select_option("select[name=product]", product.get_attribute("value"))
    page.select_option("select[name=show]", "cumulative")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**product=**")
    page.get_by_text("Cumulative net per customer, by month of first order").wait_for()
    assert "whose first order held the product chosen" in page.inner_text(".cohort-card")
    filtered = page.locator("table.cohort-table tbody td.cohort-size").all_inner_texts()
    screenshot(page, "cohorts/first-product")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    csv_rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    sizes = {r["cohort"]: r["cohort_customers"] for r in csv_rows}
    assert sorted(int(n.replace(",", "")) for n in filtered) == sorted(int(n) for n in sizes.values())

    page.goto(server.url + "/cohorts/?preset=90d&grain=week")
    page.get_by_text("Customers still ordering, by week of first order").wait_for()
    assert "Week of" in page.inner_text("table.cohort-table tbody tr >> nth=0")
    screenshot(page, "cohorts/weeks")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server.url + "/cohorts/?preset=12m")
    page.get_by_text("Customers still ordering, by month of first order").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert "customers" in page.inner_text("table.cohort-table tbody tr >> nth=0 >> th")  # the size, under the name
    screenshot(page, "cohorts/phone")
    # The later periods are a sideways scroll away inside the card; the cohort's name stays in view.
    page.locator(".cohort-wrap").evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    assert page.locator("table.cohort-table tbody tr >> nth=0 >> th").is_visible()
    screenshot(page, "cohorts/phone-scrolled")

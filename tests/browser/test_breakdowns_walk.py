"""The Breakdowns page in Debian's Chromium, on demo data imported from the fake stores through the real sync: each
tab (coupons, payment methods, shipping methods, countries, new vs returning), a CSV export, and the phone width with
no horizontal page scroll. Screenshots land in var/screenshots/breakdowns/ (desktop 1440 and phone 390); they were
looked at."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.browser.demo import seed_demo_and_sign_in

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "breakdowns@storelens.local", "a-walk-through-the-methods"
TABS = [
    ("coupon", "Coupons", "Coupon"),
    ("payment", "Payment methods", "Payment method"),
    ("shipping", "Shipping methods", "Shipping method"),
    ("country", "Countries", "Country"),
]


def test_breakdowns_show_every_dimension_on_desktop_and_phone(
    start_storelens_server: Any, browser_page: Any, screenshot: Any
) -> None:
    server = start_storelens_server()
    page = browser_page
    page.set_viewport_size({"width": 1440, "height": 900})
    seed_demo_and_sign_in(server, page, EMAIL, PASSWORD)

    page.goto(server.url + "/sales/?preset=12m")
    page.get_by_role("link", name="Breakdowns: coupons, payment, shipping, countries").click()
    page.wait_for_url("**/sales/breakdowns/**")
    for tab, title, column in TABS:
        page.get_by_role("link", name=title, exact=True).click()
        page.wait_for_url(f"**tab={tab}**")
        page.get_by_role("columnheader", name=column, exact=True).wait_for()
        assert page.locator("table.breakdown-table tbody tr").count() >= 1, f"{title}: no rows on the demo data"
        page.locator("[data-chart=breakdown-chart] svg").wait_for()
        screenshot(page, f"breakdowns/{tab}")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows and set(rows[0]) == {
        "country",
        "label",
        "orders",
        "net_sales",
        "discount",
        "currency",
        "compared_net_sales",
    }

    # The comparison the owner picks shows as a column of changes, and stays picked on the next tab.
    page.select_option("select[name=compare]", "last_year")
    page.get_by_role("button", name="Apply").click()
    page.get_by_role("columnheader", name="vs same period last year").wait_for()
    screenshot(page, "breakdowns/country-vs-last-year")

    page.get_by_role("link", name="New vs returning", exact=True).click()
    page.get_by_text("New and returning customers by month").wait_for()
    page.select_option("select[name=grain]", "week")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**grain=week**")
    page.get_by_text("New and returning customers by week").wait_for()
    assert page.locator("table.table tbody tr").count() >= 50
    screenshot(page, "breakdowns/customers")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server.url + "/sales/breakdowns/?preset=12m&tab=payment")
    page.get_by_role("columnheader", name="Payment method", exact=True).wait_for()
    net = page.get_by_role("columnheader", name="Net sales", exact=True).bounding_box()
    wrap = page.locator(".table-wrap").first.bounding_box()
    assert net is not None and wrap is not None
    assert net["x"] + net["width"] <= wrap["x"] + wrap["width"] + 1  # net sales fit without scrolling sideways
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "breakdowns/phone-payment")
    page.goto(server.url + "/sales/breakdowns/?preset=12m&tab=customers")
    page.locator("[data-chart=breakdown-chart] svg").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "breakdowns/phone-customers")

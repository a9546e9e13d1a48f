"""Sales and the orders list filtered by a status the owner's figures leave out (cancelled, WooCommerce's default), in
Debian's Chromium on demo data: the same orders with and without a country, and the note saying why they are shown.

Screenshots land in var/screenshots/status-note/; they were looked at while building the note.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.demo import seed_demo_and_sign_in

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "status@storelens.local", "asking-for-cancelled"


def orders_kpi(page: Any) -> int:
    return int(page.locator(".kpi", has_text="Orders").locator(".kpi-value").inner_text().replace(",", ""))


def test_an_excluded_status_asked_for_is_shown_and_explained(
    start_storelens_server: Any, browser_page: Any, screenshot: Any
) -> None:
    server = start_storelens_server()
    page = browser_page
    seed_demo_and_sign_in(server, page, EMAIL, PASSWORD)

    # Cancelled demo orders were never paid: counted by date paid (the default) there are none, and the note says why.
    page.goto(server.url + "/sales/?preset=12m&source=1&grain=month&status=cancelled")
    assert orders_kpi(page) == 0
    assert "cancelled orders never paid have no such date" in page.locator(".status-note").inner_text()
    page.screenshot(path=str(screenshot(page, "status-note/sales-cancelled-paid")).replace(".png", "-top.png"))
    # Counted by date created (the owner's form on the page), they are shown.
    page.goto(server.url + "/sales/?preset=12m&source=1&grain=month")
    page.get_by_label("Count orders by").select_option("created")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.goto(server.url + "/sales/?preset=12m&source=1&grain=month&status=cancelled")
    cancelled = orders_kpi(page)
    note = page.locator(".status-note")
    assert "Cancelled orders are excluded from your figures" in note.inner_text()
    assert "only because you filtered by “cancelled”" in note.inner_text()
    assert "never paid" not in note.inner_text()
    # The whole page, and its first screen (the note by the figures) to look at.
    page.screenshot(path=str(screenshot(page, "status-note/sales-cancelled")).replace(".png", "-top.png"))
    by_country = 0
    countries = [c for c in page.locator("select[name=country] option").all_inner_texts() if len(c) == 2]
    for country in countries:
        page.goto(page.url.split("&country=")[0] + f"&country={country}")
        by_country += orders_kpi(page)
        assert page.locator(".status-note").count() == 1
    assert cancelled > 0 and by_country == cancelled

    page.goto(server.url + "/orders/?preset=12m&source=1&status=cancelled")
    assert "the net sales above count them" in page.locator(".status-note").inner_text()
    page.screenshot(path=str(screenshot(page, "status-note/orders-cancelled")).replace(".png", "-top.png"))

"""The product page in Debian's Chromium, on demo data imported from the fake stores through the real sync: reached
by clicking a product name on the Products page, its figures against the comparison period (previous period, then
the same period last year chosen on the page), variations, buyers and bought-together, a companion
product's page by its link, the CSV exports (series, buyers, bought together), a variation's name opening its
product's page with the variation selected, and the phone width with no horizontal page scroll. Screenshots land in
var/screenshots/product/ (desktop, phone, and a selected variation on both); they were looked at."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.browser.demo import seed_demo_and_sign_in

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "product@storelens.local", "a-walk-round-one-product"


def test_product_page_is_reached_from_the_products_list_on_desktop_and_phone(
    start_storelens_server: Any, browser_page: Any, screenshot: Any
) -> None:
    server = start_storelens_server()
    page = browser_page
    seed_demo_and_sign_in(server, page, EMAIL, PASSWORD)
    page.set_viewport_size({"width": 1440, "height": 900})

    page.goto(server.url + "/products/?preset=12m")
    first = page.locator("table.table tbody tr:not(.variation) td:nth-child(2) a").first
    name = first.inner_text()
    first.click()
    page.wait_for_url("**/products/*/*/**")
    page.get_by_role("heading", name="Buyers").wait_for()
    assert name in page.inner_text("h1")
    assert page.locator(".kpi-value").count() == 4
    # Each tile compares with the remembered choice (previous period by default), the chart says what its dashed
    # line is; then the same period last year, chosen here, applies at once.
    assert page.locator(".kpi .compare").count() == 4
    assert "vs previous period" in page.locator(".kpi").first.inner_text()
    assert "Dashed: net sales of the previous period" in page.locator(".compare-note").inner_text()
    page.get_by_label("Compare with").select_option("last_year")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**compare=last_year**")
    assert "vs same period last year" in page.locator(".kpi").first.inner_text()
    product_url = page.url
    buyers = page.locator("section:has(h2:text('Buyers')) tbody tr").count()
    assert buyers >= 1
    shot = screenshot(page, "product/desktop")
    page.screenshot(path=str(shot.with_name("desktop-first-screen.png")))

    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows and {"period", "variation_id", "net_sales", "units", "refunds"} <= set(rows[0])

    for part, column in (("buyers", "email"), ("together", "orders_with_both")):
        with page.expect_download() as download:
            page.locator(f"a[href*='part={part}']").click()
        rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
        assert rows and column in rows[0], part

    companions = page.locator("section:has(h2:text('Bought together')) tbody a")
    if companions.count():
        other = companions.first.inner_text()
        companions.first.click()
        page.get_by_role("heading", name="Buyers").wait_for()
        assert other in page.inner_text("h1")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(product_url)
    page.get_by_role("heading", name="Buyers").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The comparison lines fit their tiles on a phone (no text cut off or spilling out of a tile).
    assert "vs same period last year" in page.locator(".kpi").first.inner_text()
    for line in page.locator(".kpi .compare").all():
        assert line.is_visible() and line.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    shot = screenshot(page, "product/phone")
    page.screenshot(path=str(shot.with_name("phone-first-screen.png")))


def test_a_variations_name_opens_its_product_with_the_variation_selected(
    start_storelens_server: Any, browser_page: Any, screenshot: Any
) -> None:
    server = start_storelens_server()
    page = browser_page
    seed_demo_and_sign_in(server, page, EMAIL, PASSWORD)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(server.url + "/products/?preset=12m")
    variation = page.locator("table.table tbody tr.variation td:nth-child(2) a").first
    name = variation.inner_text()
    variation.click()
    page.wait_for_url("**/products/*/*/?*variation=*")
    page.get_by_role("heading", name="Buyers").wait_for()
    assert name in page.inner_text("h1")
    selected = page.locator("tr.selected")
    assert selected.count() == 1 and name in selected.inner_text()
    shot = screenshot(page, "product/variation-desktop")
    page.screenshot(path=str(shot.with_name("variation-desktop-first-screen.png")))
    page.get_by_role("link", name="All variations of").click()
    page.get_by_role("heading", name="Variations").wait_for()
    assert page.locator("tr.selected").count() == 0

    page.set_viewport_size({"width": 390, "height": 844})
    page.go_back()
    page.get_by_role("heading", name="Buyers").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot = screenshot(page, "product/variation-phone")
    page.screenshot(path=str(shot.with_name("variation-phone-first-screen.png")))

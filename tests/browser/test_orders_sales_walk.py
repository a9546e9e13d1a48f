"""The orders list and the sales filters in Debian's Chromium, on demo data imported through the real sync: sorting,
paging forward and back with cursors, the count and net against the comparison period (none with a search; a phone
width), a search, a status and a country filter, and Sales by month with its dashed comparison.

Screenshots land in var/screenshots/orders-sales/; they were looked at while building the pages.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.browser.demo import seed_demo_and_sign_in

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "orders@storelens.local", "paging-through-orders"


def month_after_a_shorter_one(today: date) -> tuple[date, date]:
    """The latest whole 31-day month after a shorter one (March, May, July, October, December) before this month: its
    previous period starts on the month before's last day, the case the dashed line once cut to that one day."""
    last = today.replace(day=1) - timedelta(days=1)
    while not (last.day == 31 and (last.replace(day=1) - timedelta(days=1)).day < 31):
        last = last.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def net_in_table(page: Any) -> Decimal:
    """The Sales table's total net sales (its sixth column), as a number."""
    cell = page.locator("table tfoot td").nth(4).inner_text()
    return Decimal(re.sub(r"[^0-9.\-]", "", cell))


def test_orders_pages_sort_search_and_sales_filters(
    start_storelens_server: Any, browser_page: Any, screenshot: Any
) -> None:
    server = start_storelens_server()
    page = browser_page
    seed_demo_and_sign_in(server, page, EMAIL, PASSWORD)

    # Largest totals first, over a year of one store: page 1, then Next and Previous.
    page.goto(server.url + "/orders/?preset=12m&source=1&sort=total")
    summary = page.get_by_text("created in this range").inner_text()
    count = int(re.search(r"(\d+) orders", summary).group(1))  # type: ignore[union-attr]
    assert count > 50
    first_rows = page.locator("table tbody tr").all_inner_texts()
    assert "Page 1 of" in page.locator(".pager").inner_text()
    # The list's count and net against the comparison period (the remembered choice: the previous period).
    kpis = page.locator(".orders-kpis")
    assert f"{count:,}" in kpis.inner_text() and "vs previous period" in kpis.inner_text()
    assert kpis.locator(".compare").count() == 2
    screenshot(page, "orders-sales/orders-largest-first")
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url(re.compile(r"after="))
    assert "Page 2 of" in page.locator(".pager").inner_text()
    assert page.locator("table tbody tr").all_inner_texts() != first_rows
    screenshot(page, "orders-sales/orders-page-2")
    page.get_by_role("link", name="← Previous").click()
    page.wait_for_url(re.compile(r"before="))
    assert page.locator("table tbody tr").all_inner_texts() == first_rows

    # A status filter and a search by part of an e-mail.
    page.goto(server.url + "/orders/?preset=12m&source=1&status=processing")
    statuses = page.locator("table tbody td .badge").all_inner_texts()
    assert statuses and set(statuses) == {"processing"}
    # The list names the buyer; their e-mail is the name's title.
    email = (page.locator("table tbody tr td:nth-child(3) [title]").first.get_attribute("title") or "").strip()
    page.get_by_label("Search").fill(email.split("@")[0])
    page.get_by_label("Status").select_option("")
    page.get_by_role("button", name=re.compile("Apply|Show|Update")).first.click()
    page.wait_for_url(re.compile(r"q="))
    assert email in page.locator("table tbody [title]").evaluate_all("cells => cells.map(c => c.title)")
    assert "Comparison not available with these filters" in page.locator(".compare-note").inner_text()
    screenshot(page, "orders-sales/orders-search")
    # On a phone the two figures sit side by side above the list, nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server.url + "/orders/?preset=30d&source=1&status=completed")
    assert page.locator(".orders-kpis .compare").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot(page, "orders-sales/orders-phone").with_name("orders-phone-first-screen.png")))
    page.set_viewport_size({"width": 1280, "height": 800})

    # Sales by a country and by a status.
    page.goto(server.url + "/sales/?preset=90d&source=1")
    countries = [c for c in page.locator("select[name=country] option").all_inner_texts() if len(c.strip()) == 2]
    assert "US" in countries
    page.goto(server.url + "/sales/?preset=90d&source=1&country=US&status=completed")
    page.wait_for_selector("[data-chart] svg")
    assert page.locator(".message.error").count() == 0
    us_orders = int(page.locator("table tfoot").inner_text().split()[1])
    page.goto(server.url + "/sales/?preset=90d&source=1&status=completed")
    all_orders = int(page.locator("table tfoot").inner_text().split()[1])
    assert 0 < us_orders < all_orders
    page.goto(server.url + "/sales/?preset=90d&source=1&country=US&status=completed")
    page.wait_for_selector("[data-chart] svg")
    screenshot(page, "orders-sales/sales-country-and-status")

    # By month, a 31-day month against its previous period (the last day of the month before, then that month): one
    # dashed point holding the comparison's whole net, as the Sales page opened on the comparison's own days.
    first, last = month_after_a_shorter_one(date.today())
    page.goto(server.url + f"/sales/?from={first}&to={last}&source=1&grain=month&compare=previous")
    page.wait_for_selector("[data-chart] svg")
    chart = json.loads(json.loads(page.locator("#sales-chart").text_content() or '""'))  # chart_json's string, scripted
    note = page.locator(".compare-note").inner_text()
    then = [datetime.strptime(d, "%d %b %Y").date() for d in re.findall(r"\d{1,2} \w{3} \d{4}", note)]
    assert then == [first - timedelta(days=31), first - timedelta(days=1)] and "month by month" in note
    assert len(chart["x"]) == len(chart["series"][1]["data"]) == 1
    dashed = Decimal(chart["series"][1]["data"][0])
    page.locator("[data-chart=sales-chart]").hover()  # the tooltip names the month's three values
    screenshot(page, "orders-sales/sales-by-month-compared")
    page.goto(server.url + f"/sales/?from={then[0]}&to={then[1]}&source=1&compare=previous")
    assert dashed == net_in_table(page) != 0

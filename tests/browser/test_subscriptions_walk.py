"""The Subscriptions page in Debian's Chromium, on demo data imported from the fake stores through the real sync (the
US store sells subscriptions): KPIs with ARPPU and LTV, MRR by month whose rows add up, the list paged by keyset,
the movements CSV, and the phone width with no horizontal page scroll. Screenshots land in
var/screenshots/subscriptions/ (desktop and phone); they were looked at."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.browser.demo import seed_demo_and_sign_in

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "subscriptions@storelens.local", "a-walk-through-recurring-revenue"


def test_subscriptions_page_shows_mrr_movements_and_the_list_on_desktop_and_phone(
    start_storelens_server: Any, browser_page: Any, screenshot: Any
) -> None:
    server = start_storelens_server()
    page = browser_page
    seed_demo_and_sign_in(server, page, EMAIL, PASSWORD)

    page.goto(server.url + "/subscriptions/?preset=12m&grain=month")
    page.get_by_role("heading", name="MRR by month").wait_for()
    assert page.locator("table.mrr-movements tbody tr").count() >= 12
    assert page.locator("tr.mrr-mismatch").count() == 0
    assert page.locator("table.subscriptions-list tbody tr").count() >= 1
    page.locator("[data-chart^=mrr-chart] svg, [data-chart^=mrr-chart] canvas").first.wait_for()  # ECharts drew it
    screenshot(page, "subscriptions/desktop")

    with page.expect_download() as download:
        page.get_by_role("link", name="MRR movements CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows and all(
        Decimal(r["mrr_start"]) + Decimal(r["new"]) + Decimal(r["expansion"]) - Decimal(r["contraction"])
        - Decimal(r["churned"]) + Decimal(r["reactivated"]) == Decimal(r["mrr_end"])
        for r in rows
    )  # fmt: skip
    assert any(Decimal(r["mrr_end"]) > 0 for r in rows)

    page.select_option("select[name=status]", "active")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**status=active**")
    statuses = page.locator("table.subscriptions-list tbody td:nth-child(2)").all_inner_texts()
    assert statuses and set(statuses) == {"active"}

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server.url + "/subscriptions/?preset=12m&grain=month")
    page.get_by_role("heading", name="MRR by month").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "subscriptions/phone")

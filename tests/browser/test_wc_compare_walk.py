"""Compare with WooCommerce Analytics, in Debian's Chromium, on the REAL WordPress 7.1 + WooCommerce 11 store: the
owner pastes the store's read-only key (`storelens sources add`), opens the store's page, picks the range and reads
both figures and the orders behind every difference (the seed's trashed and deleted orders, fees, an edit made in
SQL), at desktop and phone width. Screenshots land in var/screenshots/wc-compare/; they were looked at."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import POSTGRES_PASS
from tests.realstore import truth

pytestmark = [
    pytest.mark.browser,
    pytest.mark.realstore,
    pytest.mark.skipif(POSTGRES_PASS, reason="the page, not the database: walked once, on the SQLite pass"),
]

EMAIL, PASSWORD = "owner@example.com", "a-long-and-secret-passphrase"


def test_owner_reads_why_storelens_differs_from_woocommerce_analytics_on_desktop_and_phone(
    real_store_us: Any, start_storelens_server: Callable[..., Any], browser_page: Any, screenshot: Any
) -> None:
    shop = real_store_us
    server = start_storelens_server(
        tls=True,
        host=shop.host,
        port=shop.callback_port,
        ca=shop.ca,
        STORELENS_PUBLIC_URL=shop.callback_base_url,
        STORELENS_STORE_CA_BUNDLE=str(shop.ca_bundle),
    )
    server.cli("users", "create", EMAIL, "--password", PASSWORD, "--workspace", "Real shop", check=True)
    key, secret = shop.read_only_key
    out = server.cli("sources", "add", shop.url, "--key", key, "--secret", secret, check=True).stdout
    store_id = int(out.strip().splitlines()[-1])
    deadline = time.monotonic() + 180
    while True:
        (row,) = [s for s in json.loads(server.cli("sources", "list", "--json").stdout) if s["id"] == store_id]
        if row["status"] == "connected" and row["orders"]:
            break
        assert time.monotonic() < deadline, (row, server.log()[-3000:])
        time.sleep(1)
    stamps = [d for r in truth.read_stats(shop.sql) for d in (r.date_created, r.date_paid) if d is not None]
    first, last = min(stamps).date().isoformat(), max(stamps).date().isoformat()

    page = browser_page
    page.goto(server.url + "/accounts/login/")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    page.goto(f"{server.url}/sources/{store_id}/")
    section = page.locator("#compare-analytics")
    section.get_by_label("From").fill(first)
    section.get_by_label("To").fill(last)
    section.get_by_role("button", name="Compare").click()
    page.get_by_text("Why, order by order").wait_for(timeout=60_000)
    text = page.inner_text("main")
    assert "Every difference is explained below, to the cent." in text, text[:3000]
    for reason in ("Trashed, still counted there", "Deleted, still counted there", "Status not re-imported"):
        assert reason in text
    assert page.locator("table.compare-figures tbody tr").count() == 9
    screenshot(page, "wc-compare/desktop")
    fees = page.locator("details.compare-fees")
    assert "WooCommerce counts fees in gross sales" in fees.inner_text()
    fees.locator("summary").click()
    assert fees.locator("li[data-reason=gross_counts_fees]").count() >= 10
    screenshot(page, "wc-compare/desktop-fees-open")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    assert download.value.suggested_filename.startswith(f"woocommerce-analytics-differences-{store_id}-")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.get_by_text("Why, order by order").wait_for(timeout=60_000)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "wc-compare/phone")
    page.screenshot(path=str(screenshot(page, "wc-compare/phone").with_name("phone-first-screen.png")))

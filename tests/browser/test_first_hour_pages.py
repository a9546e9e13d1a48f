"""Every page a store owner reaches in the first hour, at desktop (1440×900) and phone (390×844) width, on demo data
imported from two fake stores through the real sync.

Full-page screenshots land in var/screenshots/every-page/<name>-desktop.png and -phone.png (the test run's
artefacts); at phone width no page may scroll sideways (document.documentElement.scrollWidth <= innerWidth): wide
tables scroll inside their own card instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.demo import seed_demo_and_sign_in
from tests.browser.site import serve_sqlite

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "every-page@storelens.local", "a-walk-through-every-page"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory, migrated_sqlite: Path, chromium_browser: Any) -> Iterator[Any]:
    """A server with the demo's two stores and a signed-in browser context, shared by this module's checks."""
    with serve_sqlite(tmp_path_factory.mktemp("every-page"), migrated_sqlite) as server:
        context = chromium_browser.new_context(viewport=DESKTOP)
        context.set_default_timeout(15_000)
        page = context.new_page()
        seed_demo_and_sign_in(server, page, EMAIL, PASSWORD)
        yield server, page
        context.close()


def _pages(server: Any, page: Any) -> list[tuple[str, str]]:
    """(name, path) of every page, the detail pages found by following the first link of their list."""
    page.goto(server.url + "/orders/?preset=90d")
    order = page.locator("table a[href^='/orders/']").first.get_attribute("href")
    page.goto(server.url + "/customers/?preset=12m")
    customer = page.locator("table a[href^='/customers/']").first.get_attribute("href")
    page.goto(server.url + "/sources/")
    store = page.locator("a[href^='/sources/'][href$='/']").filter(has_text="").first.get_attribute("href")
    return [
        ("home", "/"),
        ("home-last-month", "/?preset=last_month"),
        ("sales", "/sales/?preset=90d&grain=week"),
        ("sales-month", "/sales/?preset=12m&grain=month"),
        ("orders", "/orders/?preset=90d"),
        ("order-detail", order),
        ("customers", "/customers/?preset=12m"),
        ("customer-detail", customer),
        ("products", "/products/?preset=12m"),
        ("subscriptions", "/subscriptions/?preset=90d"),
        ("stores", "/sources/"),
        ("store-detail", store),
        ("store-add", "/sources/add/"),
        ("settings", "/settings/"),
        ("help", "/help/"),
    ]


def _settle(page: Any) -> None:
    page.wait_for_load_state("networkidle")
    if page.locator("[data-chart]").count():
        page.wait_for_selector("[data-chart] svg, [data-chart] .chart-empty")


def test_every_page_fits_a_phone_and_is_screenshotted_at_both_widths(demo_site: Any, screenshot: Any) -> None:
    server, page = demo_site
    pages = _pages(server, page)
    too_wide = {}
    for viewport, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(viewport)
        for name, path in pages:
            response = page.goto(server.url + path)
            assert response is not None and response.ok, f"{path}: {response and response.status}"
            _settle(page)
            assert page.locator(".message.error").count() == 0, path
            screenshot(page, f"every-page/{name}-{suffix}")
            if suffix == "phone":
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    too_wide[name] = width
    assert not too_wide, f"pages wider than a 390 px phone (scrollWidth): {too_wide}"

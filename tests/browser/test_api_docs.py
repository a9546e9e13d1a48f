"""The API reference at /api/v1/docs renders from Storelens's own vendored Swagger UI, with nothing fetched from
anywhere but the Storelens server (a firewalled install has no CDN, and a visit must not leak to third parties).

Screenshots land in var/screenshots/api-docs-*.png (desktop and phone widths); they were looked at."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_api_docs_render_every_operation_from_vendored_files_without_leaving_the_server(
    storelens_server: LiveServer, browser_page: Any, screenshot: Any
) -> None:
    page = browser_page
    requested: list[str] = []
    page.context.on("request", lambda request: requested.append(request.url))

    page.goto(storelens_server.url + "/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Storelens API")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/orders").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/metrics").first).to_be_visible()
    assert operations.count() >= 8
    # Headless Chromium fetches no favicon, so check where the page points it: its own icon, not swagger.io's.
    icons = page.locator("link[rel=icon]").evaluate_all("links => links.map(link => link.href)")
    assert icons and all(urlsplit(href).netloc == urlsplit(storelens_server.url).netloc for href in icons), icons
    page.locator(".opblock-summary-path", has_text="/api/v1/orders").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    screenshot(page, "api-docs-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "api-docs-phone")

    page.wait_for_load_state("networkidle")
    server = urlsplit(storelens_server.url).netloc
    foreign = [url for url in requested if urlsplit(url).netloc != server and not url.startswith("data:")]
    assert not foreign, f"the docs page fetched from elsewhere: {foreign}"
    assert any("/static/vendor/swagger-ui/swagger-ui-bundle.js" in url for url in requested)
    assert not any("validator.swagger.io" in url for url in requested)

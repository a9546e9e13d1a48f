"""A person's first visit, in Debian's Chromium against a real `storelens serve`."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import LiveServer

pytestmark = pytest.mark.browser

EMAIL = "owner@example.com"
PASSWORD = "a-long-and-secret-passphrase"


def test_sign_up_sign_out_sign_in_and_see_the_empty_dashboard(
    storelens_server: LiveServer, browser_page: Any, screenshot: Any
) -> None:
    page = browser_page
    page.goto(storelens_server.url + "/")
    page.wait_for_url("**/accounts/signup/")
    assert page.get_by_role("heading", name="Welcome to Storelens").is_visible()
    screenshot(page, "first-run-1-signup")

    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Your name").fill("Olive Owner")
    page.get_by_label("Workspace name").fill("Olive's Oils")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    page.wait_for_url(storelens_server.url + "/")
    assert page.get_by_role("heading", name="Connect your first store").is_visible()
    assert page.get_by_text("Olive's Oils").first.is_visible()
    screenshot(page, "first-run-2-empty-dashboard")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("do not match an account").is_visible()
    screenshot(page, "first-run-3-wrong-password")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(storelens_server.url + "/")
    assert page.get_by_role("heading", name="Connect your first store").is_visible()

    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Token name").fill("spreadsheet")
    page.get_by_role("button", name="Create token").click()
    assert page.locator("#new-token").inner_text().startswith("sl_")
    assert page.get_by_text("Your new token “spreadsheet”").is_visible()
    screenshot(page, "first-run-4-settings")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(storelens_server.url + "/")
    screenshot(page, "first-run-5-dashboard-phone")
    assert not page.get_by_role("link", name="Settings").is_visible()  # folded into the menu on a phone
    page.locator("label.nav-toggle-label").click()
    assert page.get_by_role("link", name="Settings").is_visible()
    assert page.get_by_role("button", name="Sign out").is_visible()
    screenshot(page, "first-run-6-menu-phone")

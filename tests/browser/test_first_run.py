"""A person's first visit, in Debian's Chromium against a real `storelens serve`."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

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
    expect(page.get_by_role("heading", name="Welcome to Storelens")).to_be_visible()
    screenshot(page, "first-run-1-signup")

    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Your name").fill("Olive Owner")
    page.get_by_label("Workspace name").fill("Olive's Oils")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    page.wait_for_url(storelens_server.url + "/")
    expect(page.get_by_role("heading", name="Connect your first store")).to_be_visible()
    expect(page.get_by_text("Olive's Oils").first).to_be_visible()
    screenshot(page, "first-run-2-empty-dashboard")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("do not match an account")).to_be_visible()
    screenshot(page, "first-run-3-wrong-password")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(storelens_server.url + "/")
    expect(page.get_by_role("heading", name="Connect your first store")).to_be_visible()

    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Token name").fill("spreadsheet")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_have_text(re.compile(r"^sl_\S{40,}$"))
    expect(page.get_by_text("Your new token “spreadsheet”")).to_be_visible()
    screenshot(page, "first-run-4-settings")
    page.emulate_media(color_scheme="dark")
    page.goto(storelens_server.url + "/settings/")  # a fresh page: no colour transitions mid-screenshot
    screenshot(page, "first-run-4-settings-dark")
    page.emulate_media(color_scheme="light")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(storelens_server.url + "/")
    screenshot(page, "first-run-5-dashboard-phone")
    expect(page.get_by_role("link", name="Settings")).not_to_be_visible()  # folded into the menu on a phone
    page.locator("label.nav-toggle-label").click()
    expect(page.get_by_role("link", name="Settings")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    screenshot(page, "first-run-6-menu-phone")

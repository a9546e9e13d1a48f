"""Settings → Team in Debian's Chromium against a real `storelens serve`: invite, accept in a second browser, change
the role, and see the new member's pages follow it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import POSTGRES_PASS, LiveServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        POSTGRES_PASS,
        reason="the Team page in a browser runs once, on the SQLite pass (tests/accounts/test_team.py runs on both)",
    ),
]

PASSWORD = "a-long-and-secret-passphrase"


def test_invite_accept_in_another_browser_and_change_the_role(
    storelens_server: LiveServer, browser_page: Any, chromium_browser: Any, screenshot: Any
) -> None:
    owner = browser_page
    owner.goto(storelens_server.url + "/accounts/signup/")
    owner.get_by_label("E-mail").fill("olive@example.com")
    owner.get_by_label("Workspace name").fill("Olive's Oils")
    owner.get_by_label("Password", exact=True).fill(PASSWORD)
    owner.get_by_label("Password again").fill(PASSWORD)
    owner.get_by_role("button", name="Create account").click()
    owner.wait_for_url(storelens_server.url + "/")

    owner.get_by_role("link", name="Settings").click()
    owner.get_by_role("link", name=re.compile("^Team")).click()
    owner.wait_for_url("**/accounts/team/")
    owner.get_by_label("Role", exact=True).select_option("analyst")
    owner.get_by_role("button", name="Create invite link").click()
    link = owner.locator("#invite-link").inner_text()
    assert re.fullmatch(re.escape(storelens_server.url) + r"/accounts/invite/[\w-]{40,}/", link), link
    expect(owner.get_by_text("Open invites")).to_be_visible()
    screenshot(owner, "team-1-invite-link")

    context = chromium_browser.new_context(viewport={"width": 1280, "height": 800}, ignore_https_errors=True)
    context.set_default_timeout(15_000)
    try:
        guest = context.new_page()
        guest.goto(link)
        expect(guest.get_by_role("heading", name="Join “Olive's Oils”")).to_be_visible()
        expect(guest.get_by_text("You are invited as Analyst by olive@example.com.")).to_be_visible()
        screenshot(guest, "team-2-accept")
        guest.get_by_label("E-mail").fill("sam@example.com")
        guest.get_by_label("Your name").fill("Sam Support")
        guest.get_by_label("Password", exact=True).fill(PASSWORD)
        guest.get_by_label("Password again").fill(PASSWORD)
        guest.get_by_role("button", name="Create account and join").click()
        guest.wait_for_url(storelens_server.url + "/")
        expect(guest.get_by_text("you joined as Analyst")).to_be_visible()
        expect(guest.get_by_role("link", name="Sales")).to_be_visible()

        owner.goto(storelens_server.url + "/accounts/team/")
        row = owner.locator("tr", has_text="sam@example.com")
        expect(row.get_by_role("combobox")).to_have_value("analyst")
        row.get_by_role("combobox").select_option("support")
        row.get_by_role("button", name="Change").click()
        expect(owner.get_by_text("sam@example.com is now Support.")).to_be_visible()
        expect(owner.locator("tr", has_text="sam@example.com").get_by_role("combobox")).to_have_value("support")
        expect(owner.get_by_text("Open invites")).not_to_be_visible()  # the link is used up
        screenshot(owner, "team-3-role-changed")

        guest.goto(storelens_server.url + "/")
        guest.wait_for_url("**/orders/")  # support lands on orders: no revenue totals
        expect(guest.get_by_role("link", name="Sales")).to_have_count(0)
        guest.goto(storelens_server.url + "/sales/")
        expect(guest.get_by_text("Your role in this workspace (Support) cannot see revenue totals")).to_be_visible()
        screenshot(guest, "team-4-support-refused")
        guest.goto(storelens_server.url + "/settings/")
        expect(guest.get_by_text("Your role:")).to_contain_text("Support")
        expect(guest.get_by_role("button", name="Rename")).to_have_count(0)
        expect(guest.get_by_role("button", name="Create token")).to_be_visible()  # their own tokens, read-only
        screenshot(guest, "team-5-support-settings")
        guest.goto(storelens_server.url + "/sources/")
        expect(guest.get_by_role("button", name="Add store")).to_have_count(0)
        guest.goto(link)
        expect(guest.get_by_text("was used already")).to_be_visible()
    finally:
        context.close()

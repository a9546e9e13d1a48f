"""The e-mail digest choice on Settings in Debian's Chromium, on a server with no mail server configured (what a new
installation shows): the page says digests are off and why, the choice is still kept for when one is set, and the
card fits a phone. Screenshots land in var/screenshots/digest/ (settings-desktop, settings-phone); they were looked
at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.demo import seed_demo_and_sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "digest"
EMAIL, PASSWORD = "digest@storelens.local", "a-summary-every-monday"


def test_settings_offers_the_digest_and_says_why_it_is_off(
    start_storelens_server: Any, browser_page: Any, screenshot: Any
) -> None:
    server = start_storelens_server()
    page = browser_page
    seed_demo_and_sign_in(server, page, EMAIL, PASSWORD, orders=60)

    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(server.url + "/settings/#digest")
    card = page.locator("#digest")
    assert "no mail server is configured" in card.inner_text()
    page.select_option("#digest-frequency", "weekly")
    card.get_by_role("button", name="Save").click()
    page.get_by_text(f"You will receive a weekly e-mail digest at {EMAIL}.").wait_for()
    assert page.locator("#digest-frequency").input_value() == "weekly"
    card.scroll_into_view_if_needed()
    screenshot(page, "digest/settings-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server.url + "/settings/#digest")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "digest/settings-phone-page")
    # The card below the sticky header, as a phone shows it after following a digest's "change" link.
    page.evaluate("window.scrollTo(0, document.getElementById('digest').getBoundingClientRect().top + scrollY - 64)")
    page.screenshot(path=str(SCREENSHOTS / "settings-phone.png"))

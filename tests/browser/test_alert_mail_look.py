"""An alert e-mail's HTML part as a mail client shows it: the message a real SMTP server (aiosmtpd) received for an
orders-stopped alert, opened in Debian's Chromium with JavaScript off (mail clients run none) at desktop and phone
width. Nothing may need a horizontal scroll at 390 px; screenshots land in var/screenshots/alert-mail/ and were
looked at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from storelens.alerts.models import Kind
from tests.alerts.conftest import Inbox, fired, inbox  # noqa: F401 (fixtures)
from tests.alerts.test_mail import fired_and_sent

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db,
    # The mail looks the same whatever the database: one pass is enough (its content is checked on both).
    pytest.mark.skipif(settings.STORELENS_TEST_DATABASE == "postgres", reason="looked at on the SQLite pass"),
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "alert-mail"


def test_an_alert_mail_reads_well_at_desktop_and_phone_width(
    fired: Any,  # noqa: F811
    inbox: Inbox,  # noqa: F811
    chromium_browser: Any,
) -> None:
    _, _, text, html = fired_and_sent(fired, inbox, Kind.ORDERS_STOPPED)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "mail.html").write_text(html, encoding="utf-8")
    (SCREENSHOTS / "mail.txt").write_text(text, encoding="utf-8")
    context = chromium_browser.new_context(java_script_enabled=False, viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        page.goto((SCREENSHOTS / "mail.html").as_uri())
        body = page.inner_text("body")
        assert "Orders have stopped" in body and "How to mute it" in body and "The numbers" in body
        page.screenshot(path=str(SCREENSHOTS / "desktop.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto((SCREENSHOTS / "mail.html").as_uri())
        page.screenshot(path=str(SCREENSHOTS / "phone.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        # The button to the store's page fits the phone's card and reads as a button (white on blue).
        button = page.get_by_role("link", name="Open Corner in Storelens")
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    finally:
        context.close()

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
from tests.browser.mail_look import mail_in_chromium

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
    with mail_in_chromium(chromium_browser, html, text, SCREENSHOTS) as (body, page):
        assert "Orders have stopped" in body and "How to mute it" in body and "The numbers" in body
        # The button to the store's page fits the phone's card and reads as a button (white on blue).
        button = page.get_by_role("link", name="Open Corner in Storelens")
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390

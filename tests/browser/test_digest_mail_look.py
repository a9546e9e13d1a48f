"""The digest's HTML part as a mail client shows it: the message a real SMTP server (aiosmtpd) received, its HTML part
opened in Debian's Chromium with JavaScript off (mail clients run none) at desktop and phone width. Nothing may need
a horizontal scroll at 390 px; screenshots land in var/screenshots/digest/ and were looked at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from storelens.dashboard import digest_mail
from tests.browser.mail_look import mail_in_chromium
from tests.dashboard.test_digests import APRIL_2ND, inbox, parts, shops, subscribe  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db,
    # The mail looks the same whatever the database: one pass is enough (its figures are checked on both).
    pytest.mark.skipif(settings.STORELENS_TEST_DATABASE == "postgres", reason="looked at on the SQLite pass"),
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "digest"


def test_digest_mail_reads_well_at_desktop_and_phone_width(
    inbox: Any,  # noqa: F811
    shops: Any,  # noqa: F811
    alice: Any,
    chromium_browser: Any,
) -> None:
    _, berlin = shops
    berlin.status, berlin.status_message = berlin.Status.UNREACHABLE, "The store did not answer for 10 minutes."
    berlin.status_fix = "Check that the site is up; Storelens retries by itself."
    berlin.save()
    subscribe(alice, "monthly")
    assert digest_mail.send_due(APRIL_2ND) == {"sent": 1}
    _, text, html = parts(inbox.messages[0])
    with mail_in_chromium(chromium_browser, html, text, SCREENSHOTS) as (body, _):
        assert "Stores needing attention" in body

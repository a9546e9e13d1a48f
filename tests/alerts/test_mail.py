"""Alert e-mails as a mail client reads them: each kind fired on a fake-store history by its real detector, sent
through a real SMTP server (aiosmtpd on 127.0.0.1) and parsed back. The message is multipart/alternative, plain text
then HTML; both parts name the store and what fired, state the reason and the numbers the in-app alert states, link
to the store's page and say how to mute it; whatever the store gave (its name, an answer it sent) is escaped in HTML
and left as is in plain text."""

from __future__ import annotations

import email
import email.policy
import html
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import override_settings

from storelens.alerts import send
from storelens.alerts.detect import Finding, day_high, orders_stopped, refund_spike, store_down
from storelens.alerts.episodes import fire, resolve
from storelens.alerts.message import figure_rows
from storelens.alerts.models import Alert, Kind
from storelens.stores.status import set_status_from_error
from storelens.woocommerce.errors import Retriable
from tests.alerts.conftest import MONDAY, Inbox
from tests.alerts.histories import Shop, regular_shop, utc

pytestmark = pytest.mark.django_db
PUBLIC_URL = "https://storelens.example.com"
EVIL = '<b>Evil & "Co"</b>'


def parts(raw: bytes) -> tuple[Any, str, str]:
    """The message, its plain-text part and its HTML part (in that order, as clients expect them)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    text, page = message.get_payload()
    assert (text.get_content_type(), page.get_content_type()) == ("text/plain", "text/html")
    return message, text.get_content(), page.get_content()


def words(page: str) -> str:
    """What a reader sees of the HTML part: tags out, entities read, white space as one space."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page)))


def orders_stop(shop: Shop) -> tuple[Finding, datetime]:
    shop.sell(MONDAY, range(9, 13))
    shop.synced(utc(MONDAY, 16, 30))
    return orders_stopped(shop.store, utc(MONDAY, 16, 30)), utc(MONDAY, 16, 30)  # type: ignore[return-value]


def refunds_spike(shop: Shop) -> tuple[Finding, datetime]:
    for back in range(28, 0, -4):
        shop.refund(shop.next_id - 12 * back, MONDAY - timedelta(days=back), 15, 1000)
    for order_id in shop.sell(MONDAY, range(9, 12)):
        shop.refund(order_id, MONDAY, 13, 5000)
    return refund_spike(shop.store, utc(MONDAY, 14)), utc(MONDAY, 14)  # type: ignore[return-value]


def goes_down(shop: Shop) -> tuple[Finding, datetime]:
    set_status_from_error(shop.store, Retriable("Connection refused", code="unreachable"))
    now = shop.store.status_since + timedelta(minutes=20)
    return store_down(shop.store, now), now  # type: ignore[return-value]


def sells_triple(shop: Shop) -> tuple[Finding, datetime]:
    shop.sell(MONDAY, range(9, 21), per_hour=3)
    return day_high(shop.store, utc(MONDAY, 21)), utc(MONDAY, 21)  # type: ignore[return-value]


SCENARIOS: dict[str, Callable[[Shop], tuple[Finding, datetime]]] = {
    Kind.ORDERS_STOPPED: orders_stop,
    Kind.REFUND_SPIKE: refunds_spike,
    Kind.STORE_DOWN: goes_down,
    Kind.DAY_HIGH: sells_triple,
}


def fired_and_sent(workspace: Any, inbox: Inbox, kind: str, name: str = "Corner") -> tuple[Alert, Any, str, str]:
    """The kind's alert fired on a fresh store by its detector and sent: the alert and the received message's parts."""
    shop = regular_shop(workspace, MONDAY, name=name)
    finding, now = SCENARIOS[kind](shop)
    assert isinstance(finding, Finding) and finding.kind == kind
    alert = fire(shop.store, finding, now)
    assert alert is not None
    with override_settings(STORELENS_PUBLIC_URL=PUBLIC_URL):
        assert send.send_pending(now) == {"sent": 1}
    return alert, *parts(inbox.messages[-1])


def in_app_reason(client: Any, alert: Alert) -> str:
    """The alert's reason as the Alerts page shows it (unescaped back to text)."""
    page = client.get("/alerts/").content.decode()
    found = re.search(rf'id="alert-{alert.pk}">.*?<p class="alert-reason">(.*?)</p>', page, re.DOTALL)
    assert found, "the alert is not on the Alerts page"
    return html.unescape(found.group(1))


@pytest.mark.parametrize("kind", list(SCENARIOS))
def test_each_kind_arrives_as_text_and_html_with_the_in_app_numbers(
    fired: Any, inbox: Inbox, client_for: Any, alice: Any, kind: str
) -> None:
    alert, message, text, page = fired_and_sent(fired, inbox, kind)
    shown = words(page)
    reason = in_app_reason(client_for(alice), alert)
    assert reason == alert.reason
    numbers = re.findall(r"\d+(?:[.:,]\d+)*", reason)
    assert numbers, reason
    for part in (text, shown):
        assert reason in part  # the whole reason, word for word, in both parts
        for number in numbers:
            assert number in part
        assert alert.title in part and "Corner" in part and Kind(kind).label in part
    rows = figure_rows(alert)
    assert len(rows) >= 3, rows  # the numbers table is not empty for any kind
    for label, value in rows:
        assert value in reason, (label, value)  # the table says nothing the reason does not
        assert f"{label}: {value}" in text
        assert f">{html.escape(label)}</td>" in page and f">{html.escape(value)}</td>" in page
    assert message["Subject"] == f"Corner: {alert.title}"
    assert "Storelens · Alice's Shop · alert" in shown


def test_the_mail_links_to_the_store_and_says_how_to_mute_it(fired: Any, inbox: Inbox) -> None:
    alert, _, text, page = fired_and_sent(fired, inbox, Kind.ORDERS_STOPPED)
    store_page = f"{PUBLIC_URL}/sources/{alert.store_id}/"
    on_alerts = f"{PUBLIC_URL}/alerts/#alert-{alert.pk}"
    settings_page = f"{PUBLIC_URL}/settings/#alerts-settings"
    assert f"Open Corner in Storelens: {store_page}" in text
    assert f'<a href="{store_page}"' in page and "Open Corner in Storelens</a>" in page
    assert on_alerts in text and settings_page in text
    assert f'href="{on_alerts}"' in page and f'href="{settings_page}"' in page
    for part in (text, words(page)):
        assert "How to mute it" in part
        assert "“Mute this kind” (no more “Orders stopped” alerts for Corner)" in part
        assert "“Mute store” (none at all for it)" in part
        assert "untick “E-mail me alerts” in Settings" in part
    # The page the link opens has those buttons for this alert (muting is a POST there, never a link).
    assert "/mute/" not in text + page
    assert "Fired: 10 Mar 2025 16:30 EDT (2025-03-10 20:30 UTC)" in text  # the store's clock, as in the app
    assert "Fired 10 Mar 2025 16:30 EDT (2025-03-10 20:30 UTC)" in words(page)


def test_without_a_public_url_the_mail_names_the_pages(fired: Any, inbox: Inbox) -> None:
    shop = regular_shop(fired, MONDAY)
    finding, now = orders_stop(shop)
    fire(shop.store, finding, now)
    with override_settings(STORELENS_PUBLIC_URL=""):
        assert send.send_pending(now) == {"sent": 1}
    _, text, page = parts(inbox.messages[0])
    assert "http" not in text and "href" not in page
    assert "opens this alert on the Alerts page" in text and "opens this alert on the Alerts page" in page


def test_a_recovery_mail_says_it_is_over_in_green_with_the_same_numbers(fired: Any, inbox: Inbox) -> None:
    alert, *_ = fired_and_sent(fired, inbox, Kind.ORDERS_STOPPED)
    over = alert.opened_at + timedelta(minutes=70)
    assert resolve(alert, over)  # alice was told it fired: she is told it is over
    alert.refresh_from_db()
    assert send.send_pending(over) == {"sent": 1}
    message, text, page = parts(inbox.messages[-1])
    assert message["Subject"] == f"Corner: Recovered: {alert.title}"
    for part in (text, words(page)):
        assert "Over at 10 Mar 2025 17:40 EDT (2025-03-10 21:40 UTC), after 1 h 10 min" in part
        assert alert.reason in part and "Mute a store" in part
    assert "#ecfdf5" in page and "#fef2f2" not in page  # the green box, not the red one


def test_what_the_store_gave_is_escaped_in_html_and_plain_in_text(fired: Any, inbox: Inbox) -> None:
    shop = regular_shop(fired, MONDAY, name=EVIL)
    set_status_from_error(shop.store, Retriable("Connection refused", code="unreachable"))
    # What an error page of the store could put in the message Storelens quotes.
    shop.store.status_message = 'The store answered <img src=x onerror="alert(1)"> & <script>alert(2)</script>'
    shop.store.save(update_fields=["status_message"])
    now = shop.store.status_since + timedelta(minutes=20)
    finding = store_down(shop.store, now)
    assert isinstance(finding, Finding)
    alert = fire(shop.store, finding, now)
    assert alert is not None
    with override_settings(STORELENS_PUBLIC_URL=PUBLIC_URL):
        assert send.send_pending(now) == {"sent": 1}
    message, text, page = parts(inbox.messages[0])
    assert message["Subject"] == f"{EVIL}: {alert.title}"
    assert EVIL in text and "<script>alert(2)</script>" in text  # plain text is shown as is: nothing to escape
    assert "<b>" not in page and "<script" not in page and "<img" not in page
    assert "&lt;b&gt;Evil &amp; &quot;Co&quot;&lt;/b&gt;" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "Open &lt;b&gt;Evil &amp; &quot;Co&quot;&lt;/b&gt; in Storelens" in page
    assert html.unescape(page).count(EVIL) >= 3  # the lead, the button, the mute instructions

"""E-mail digests through a real SMTP server (aiosmtpd on 127.0.0.1): the message that arrives is parsed, and its
figures are those `storelens report --json` prints for the same store and days; a second tick or worker does not send
it again; Settings holds each member's choice and says when digests are off and why.

The shops are the two small hand-checked ones (tests/analytics/shops.py): a monthly digest sent on 2 April 2025
reports March (New York: 3 orders, net 140.00 USD, one refund) against February (one order, 10.00 USD).
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from storelens.accounts.models import Membership, Workspace
from storelens.dashboard import digest_mail
from storelens.dashboard.models import DigestSent, DigestSubscription
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db
APRIL_2ND = date(2025, 4, 2)


class Inbox:
    """aiosmtpd handler: keeps every message it accepts, as bytes."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd calls it by this name
        self.messages.append(envelope.original_content or envelope.content)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, auth_require_tls=False)
    controller.start()
    try:
        with override_settings(
            STORELENS_SMTP_URL=f"smtp://127.0.0.1:{port}?from=Storelens%20%3Creports@example.com%3E"
        ):
            yield handler
    finally:
        controller.stop()


@pytest.fixture
def shops(alice: Any) -> tuple[Any, Any]:
    ny, berlin = make_shops(Workspace.objects.get(name="Alice's Shop"))
    for store in (ny, berlin):
        store.last_sync_at = timezone.now()
        store.status = store.Status.CONNECTED
        store.save()
    return ny, berlin


def subscribe(user: Any, frequency: str) -> DigestSubscription:
    membership = Membership.objects.get(user=user)
    return DigestSubscription.objects.create(membership=membership, frequency=frequency)


def parts(raw: bytes) -> tuple[Any, str, str]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    text, html = message.get_payload()
    assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    return message, text.get_payload(decode=True).decode(), html.get_payload(decode=True).decode()


def report(store: Any, first: str, last: str) -> dict[str, Any]:
    out = StringIO()
    call_command(
        "report", "--source", str(store.pk), "--from", first, "--to", last, "--json", stdout=out, stderr=StringIO()
    )
    return json.loads(out.getvalue())


def section(text: str, store_name: str) -> str:
    return text.split(f"== {store_name} (")[1].split("\n==")[0]


def figure(block: str, label: str) -> tuple[str, str]:
    """(this period, the period before) from a figures line of the plain-text part."""
    match = re.search(rf"^{label} +(\S+)(?: [A-Z]{{3}})? +before +(\S+)", block, re.MULTILINE)
    assert match, f"no {label} line in:\n{block}"
    return match.group(1), match.group(2)


def test_monthly_digest_arrives_with_the_figures_of_storelens_report(inbox: Inbox, shops: Any, alice: Any) -> None:
    ny, berlin = shops
    subscribe(alice, "monthly")
    assert digest_mail.send_due(APRIL_2ND) == {"sent": 1}
    assert inbox.recipients == [["alice@example.com"]]
    message, text, html = parts(inbox.messages[0])
    assert message["From"] == "Storelens <reports@example.com>" and message["To"] == "alice@example.com"
    assert "March 2025" in message["Subject"]
    for store in (ny, berlin):
        now, before = report(store, "2025-03-01", "2025-03-31"), report(store, "2025-02-01", "2025-02-28")
        block = section(text, store.name)
        for label, key in [
            ("Net sales", "net_sales"),
            ("Orders", "orders"),
            ("Average order value", "aov"),
            ("Refunds", "refunds"),
            ("New customers", "new_customers"),
            ("Returning customers", "returning_customers"),
        ]:
            assert figure(block, label) == (str(now[key]), str(before[key])), (store.name, label)
            assert f">{now[key]}{' ' + now['currency'] if key in ('net_sales', 'aov', 'refunds') else ''}</td>" in html
    # Hand-checked, so the comparison above cannot pass on two equal mistakes: March vs February in New York.
    assert figure(section(text, "NY"), "Net sales") == ("140.00", "10.00")
    assert figure(section(text, "NY"), "Refunds") == ("26.60", "0.00")
    assert "+1300.0 %" in section(text, "NY")
    assert "Every store is connected and syncing." in text


def test_html_part_is_self_contained_for_a_mail_client(inbox: Inbox, shops: Any, alice: Any) -> None:
    subscribe(alice, "monthly")
    digest_mail.send_due(APRIL_2ND)
    _, _, html = parts(inbox.messages[0])
    assert "<script" not in html and "<link" not in html and "<style" not in html  # inline styles only
    assert not re.search(r"""src=["']?https?:""", html)  # nothing fetched from elsewhere
    assert "<table" in html and "Top products last month" in html


def test_a_store_needing_attention_is_named_with_its_fix(inbox: Inbox, shops: Any, alice: Any) -> None:
    _, berlin = shops
    berlin.status, berlin.status_message = berlin.Status.AUTH_FAILED, "The store refused Storelens's keys."
    berlin.status_fix = "Reconnect the store from its page in Storelens."
    berlin.save()
    subscribe(alice, "daily")
    digest_mail.send_due(APRIL_2ND)
    _, text, html = parts(inbox.messages[0])
    assert "Stores needing attention:" in text
    assert "Berlin: Authentication failed. The store refused Storelens's keys." in text
    assert "What to do: Reconnect the store from its page in Storelens." in text
    assert "Stores needing attention" in html


def test_a_second_tick_and_a_second_worker_do_not_send_again(inbox: Inbox, shops: Any, alice: Any) -> None:
    subscribe(alice, "weekly")
    assert digest_mail.send_due(APRIL_2ND) == {"sent": 1}
    assert digest_mail.send_due(APRIL_2ND) == {"skipped: claimed": 1}  # same worker, next tick
    assert digest_mail.send_due(APRIL_2ND + timedelta(days=4)) == {"skipped: claimed": 1}  # Sunday: same week
    row = DigestSent.objects.get()
    assert (row.first, row.last, row.attempts) == (date(2025, 3, 24), date(2025, 3, 30), 1)
    assert len(inbox.messages) == 1
    # A new week is a new period.
    assert digest_mail.send_due(date(2025, 4, 7)) == {"sent": 1}
    assert len(inbox.messages) == 2


def test_a_period_claimed_by_another_worker_is_left_to_it_until_its_claim_is_lost(
    inbox: Inbox, shops: Any, alice: Any
) -> None:
    subscription = subscribe(alice, "daily")
    DigestSent.objects.create(
        membership=subscription.membership,
        frequency="daily",
        first=date(2025, 4, 1),
        last=date(2025, 4, 1),
        claimed_at=timezone.now(),
        claimed_by="other-host:42",
    )
    assert digest_mail.send_due(APRIL_2ND) == {"skipped: claimed": 1}
    assert inbox.messages == []
    # The other worker died mid-send: after CLAIM_LOST_AFTER its claim is taken over and the digest goes out once.
    DigestSent.objects.update(claimed_at=timezone.now() - digest_mail.CLAIM_LOST_AFTER - timedelta(seconds=1))
    assert digest_mail.send_due(APRIL_2ND) == {"sent": 1}
    assert digest_mail.send_due(APRIL_2ND) == {"skipped: claimed": 1}
    assert len(inbox.messages) == 1


def test_a_refused_send_is_recorded_and_retried_by_the_next_tick(inbox: Inbox, shops: Any, alice: Any) -> None:
    subscribe(alice, "daily")
    with override_settings(STORELENS_SMTP_URL=f"smtp://127.0.0.1:{free_port()}?timeout=5"):  # nobody listens
        assert digest_mail.send_due(APRIL_2ND) == {"failed: ConnectionRefusedError": 1}
    row = DigestSent.objects.get()
    assert row.sent_at is None and row.claimed_at is None and row.attempts == 1 and "Connection" in row.error
    assert digest_mail.send_due(APRIL_2ND) == {"sent": 1}
    assert len(inbox.messages) == 1 and DigestSent.objects.get().error == ""


def test_support_gets_no_digest_even_if_subscribed_before_the_role_changed(
    inbox: Inbox, shops: Any, alice: Any
) -> None:
    subscribe(alice, "daily")
    Membership.objects.filter(user=alice).update(role="support")
    assert digest_mail.send_due(APRIL_2ND) == {"skipped: role": 1}
    assert inbox.messages == [] and not DigestSent.objects.exists()


def test_nothing_is_sent_when_no_smtp_server_is_configured(shops: Any, alice: Any) -> None:
    subscribe(alice, "daily")
    with override_settings(STORELENS_SMTP_URL=""):
        assert digest_mail.send_due(APRIL_2ND) == {}
    assert not DigestSent.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_workers_ticking_at_once_send_one_digest(inbox: Inbox, shops: Any, alice: Any) -> None:
    """Real concurrency (threads, each with its own PostgreSQL connection): the claim lets exactly one send."""
    from django.db import connection

    subscribe(alice, "daily")
    start = threading.Barrier(4)
    outcomes: list[dict[str, int]] = []

    def worker() -> None:
        try:
            start.wait()
            outcomes.append(digest_mail.send_due(APRIL_2ND))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes, key=str) == sorted([{"sent": 1}, *[{"skipped: claimed": 1}] * 3], key=str)
    assert len(inbox.messages) == 1 and DigestSent.objects.get().sent_at is not None


def test_yesterday_waits_until_it_is_over_on_every_stores_clock(inbox: Inbox, shops: Any, alice: Any) -> None:
    """At 03:00 UTC on 2 April it is still 1 April in New York: the daily digest reports 31 March, not a half day."""
    from storelens.dashboard.digests import workspace_today

    workspace = Workspace.objects.get(name="Alice's Shop")
    assert workspace_today(workspace, datetime(2025, 4, 2, 3, 0, tzinfo=UTC)) == date(2025, 4, 1)
    assert workspace_today(workspace, datetime(2025, 4, 2, 4, 0, tzinfo=UTC)) == date(2025, 4, 2)  # EDT: UTC−4
    subscribe(alice, "daily")
    with freeze_now(datetime(2025, 4, 2, 3, 0, tzinfo=UTC)):
        assert digest_mail.send_due() == {"sent": 1}
    assert DigestSent.objects.get().first == date(2025, 3, 31)


def freeze_now(instant: datetime) -> Any:
    from unittest import mock

    return mock.patch("storelens.dashboard.digest_mail.timezone.now", return_value=instant)


def test_a_workspace_without_data_gets_no_empty_mail(inbox: Inbox, alice: Any) -> None:
    subscribe(alice, "daily")
    assert digest_mail.send_due(APRIL_2ND) == {"skipped: nothing to report": 1}
    assert digest_mail.send_due(APRIL_2ND) == {"skipped: claimed": 1}  # decided once for the period
    assert inbox.messages == [] and DigestSent.objects.get().error == digest_mail.NOTHING_TO_REPORT


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # a local test server, no TLS
def test_the_job_queue_tick_sends_through_a_server_that_wants_a_password(shops: Any, alice: Any) -> None:
    """The periodic task itself, against an SMTP server that refuses mail without the URL's user and password."""
    from aiosmtpd.smtp import AuthResult

    from storelens.dashboard.tasks import send_digests

    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        logins.append((data.login, data.password))
        return AuthResult(success=(data.login, data.password) == (b"reports", b"p@ss word"))

    handler, port = Inbox(), free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    try:
        subscribe(alice, "daily")
        url = f"smtp://reports:p%40ss%20word@127.0.0.1:{port}"
        with override_settings(STORELENS_SMTP_URL=url), freeze_now(datetime(2025, 4, 2, 12, 0, tzinfo=UTC)):
            assert send_digests.call_local() == {"sent": 1}
    finally:
        controller.stop()
    assert logins == [(b"reports", b"p@ss word")] and len(handler.messages) == 1


def test_members_of_one_workspace_share_its_figures_in_a_tick(
    inbox: Inbox, shops: Any, alice: Any, make_member: Any
) -> None:
    """Two members, same frequency: both mails, one reading of the figures per store (the reports are the slow part)."""
    from unittest import mock

    from storelens.dashboard import digests

    ana = make_member("ana@example.com", "Alice's Shop", role="analyst")
    subscribe(alice, "monthly")
    DigestSubscription.objects.create(membership=Membership.objects.get(user=ana), frequency="monthly")
    with mock.patch.object(digests, "store_digest", wraps=digests.store_digest) as reads:
        assert digest_mail.send_due(APRIL_2ND) == {"sent": 2}
    assert reads.call_count == 2  # New York and Berlin, once each
    first, second = (parts(raw)[1] for raw in inbox.messages)
    assert section(first, "NY") == section(second, "NY")
    assert sorted(r[0] for r in inbox.recipients) == ["alice@example.com", "ana@example.com"]


def test_top_products_link_to_their_product_pages_for_the_digests_days(inbox: Inbox, shops: Any, alice: Any) -> None:
    ny, _ = shops
    subscribe(alice, "monthly")
    with override_settings(STORELENS_PUBLIC_URL="https://lens.example.com"):
        digest_mail.send_due(APRIL_2ND)
    _, text, html = parts(inbox.messages[0])
    link = re.search(
        rf"https://lens\.example\.com/products/{ny.pk}/(\d+)/\?from=2025-03-01&(?:amp;)?to=2025-03-31", html
    )
    assert link, "no product link in the HTML part"
    assert f"https://lens.example.com/products/{ny.pk}/{link.group(1)}/?from=2025-03-01&to=2025-03-31" in text

"""Deliveries through real local servers: the e-mail an SMTP server (aiosmtpd) receives and the JSON a webhook
server on 127.0.0.1 receives carry the alert's reason and numbers; each is sent once however many ticks run; a
failure is kept and retried; a webhook on a private address needs STORELENS_ALLOW_PRIVATE_STORES (as stores do)."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import date

import pytest
from django.test import override_settings

from storelens.alerts import send, webhook
from storelens.alerts.episodes import detect
from storelens.alerts.models import Alert, Delivery, MemberAlerts, WorkspaceAlerts
from storelens.alerts.tasks import alert_tick
from tests.alerts.conftest import Hook, Inbox
from tests.alerts.histories import Shop, regular_shop, utc

pytestmark = pytest.mark.django_db
MONDAY = date(2025, 3, 10)
LATER = utc(MONDAY, 16, 50)  # the clock of the sending tick


@pytest.fixture
def fired(alice: object) -> Alert:
    """Orders stopped at 16:30 on Monday (last order 12:15), with alice asking for e-mails."""
    from storelens.accounts.models import Membership, Workspace

    workspace = Workspace.objects.get(name="Alice's Shop")
    MemberAlerts.objects.create(membership=Membership.objects.get(user=alice, workspace=workspace), email=True)
    return workspace  # type: ignore[return-value]


def stop_orders(workspace: object) -> Shop:
    shop = regular_shop(workspace, MONDAY)
    shop.sell(MONDAY, range(9, 13))
    shop.synced(utc(MONDAY, 16, 30))
    return shop


def test_the_alert_mail_arrives_once_with_its_numbers(fired: object, inbox: Inbox) -> None:
    stop_orders(fired)
    detect(utc(MONDAY, 16, 30))
    assert send.send_pending(LATER) == {"sent": 1}
    assert send.send_pending(LATER) == {}  # sent rows are never claimed again
    detect(utc(MONDAY, 16, 45))  # the next tick: same episode, no new delivery
    assert send.send_pending(LATER) == {}
    [raw] = inbox.messages
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    assert mail["Subject"] == "Corner: Orders have stopped: your checkout may be broken"
    assert inbox.recipients == [["alice@example.com"]]
    body = mail.get_content()
    assert "No counted order for 4 hours" in body and "longest silence was under an hour" in body
    assert "Fired 2025-03-10 20:30 UTC" in body  # 16:30 in New York (EDT since the day before)


def test_without_smtp_mail_waits_and_nothing_is_lost(fired: object) -> None:
    stop_orders(fired)
    detect(utc(MONDAY, 16, 30))
    with override_settings(STORELENS_SMTP_URL=""):
        assert send.send_pending(LATER) == {"waiting: no SMTP": 1}
    assert Delivery.objects.get().attempts == 0


def test_the_webhook_gets_slack_json(fired: object, hook: Hook) -> None:
    WorkspaceAlerts.objects.create(workspace=fired, webhook_url=hook.url)  # type: ignore[misc]
    stop_orders(fired)
    with override_settings(STORELENS_ALLOW_PRIVATE_STORES=True, STORELENS_SMTP_URL=""):
        detect(utc(MONDAY, 16, 30))
        assert send.send_pending(LATER) == {"sent": 1, "waiting: no SMTP": 1}
        assert send.send_pending(LATER) == {"waiting: no SMTP": 1}
    [post] = hook.posts
    assert post["type"] == "application/json" and post["path"] == "/services/T000/B000/secret"
    text = post["json"]["text"]
    assert set(post["json"]) == {"text"}
    assert text.startswith("*Orders have stopped: your checkout may be broken* — Corner\nNo counted order for 4 hours")


def test_a_webhook_on_a_private_address_is_refused_without_the_permission(fired: object, hook: Hook) -> None:
    WorkspaceAlerts.objects.create(workspace=fired, webhook_url=hook.url)  # type: ignore[misc]
    stop_orders(fired)
    detect(utc(MONDAY, 16, 30))
    with override_settings(STORELENS_SMTP_URL=""):
        assert send.send_pending(LATER)["failed"] == 1
    assert hook.posts == []
    row = Delivery.objects.get(channel="webhook")
    assert row.attempts == 1 and row.sent_at is None and row.claimed_at is None
    assert "127.0.0.1 is this computer's own address (loopback)" in row.error
    assert "STORELENS_ALLOW_PRIVATE_STORES=1" in row.error


def test_a_failing_webhook_is_retried_then_sent(fired: object, hook: Hook) -> None:
    WorkspaceAlerts.objects.create(workspace=fired, webhook_url=hook.url)  # type: ignore[misc]
    stop_orders(fired)
    detect(utc(MONDAY, 16, 30))
    hook.status = 500
    with override_settings(STORELENS_ALLOW_PRIVATE_STORES=True, STORELENS_SMTP_URL=""):
        send.send_pending(LATER)
        assert Delivery.objects.get(channel="webhook").error == "the webhook answered HTTP 500"
        hook.status = 204
        send.send_pending(LATER)
    row = Delivery.objects.get(channel="webhook")
    assert row.attempts == 2 and row.sent_at is not None and row.error == ""


def test_a_slow_webhook_times_out_in_the_worker(fired: object, hook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    import httpx

    monkeypatch.setattr(webhook, "TIMEOUT", httpx.Timeout(0.5))
    hook.delay = 2.0
    WorkspaceAlerts.objects.create(workspace=fired, webhook_url=hook.url)  # type: ignore[misc]
    stop_orders(fired)
    detect(utc(MONDAY, 16, 30))
    with override_settings(STORELENS_ALLOW_PRIVATE_STORES=True, STORELENS_SMTP_URL=""):
        assert send.send_pending(LATER)["failed"] == 1
    assert "ReadTimeout" in Delivery.objects.get(channel="webhook").error


def test_a_claimed_delivery_is_not_sent_by_another_worker(fired: object) -> None:
    stop_orders(fired)
    detect(utc(MONDAY, 16, 30))
    row = Delivery.objects.get()
    assert send.claim(row) is True
    assert send.claim(row) is False


def test_the_tick_detects_and_delivers(fired: object, inbox: Inbox) -> None:
    shop = stop_orders(fired)
    shop.synced(utc(MONDAY, 16, 30))
    result = alert_tick.call_local()
    # The tick runs at the real clock, long after March 2025: the data is stale, so orders stopped is unknown.
    assert result["detected"].get("fired") is None and result["delivered"] == {}


def test_the_command_checks_as_of_an_instant_and_lists_what_fired(fired: object) -> None:
    from io import StringIO

    from django.core.management import call_command

    stop_orders(fired)
    out = StringIO()
    with override_settings(STORELENS_SMTP_URL=""):
        call_command("alerts", "check", "--at", "2025-03-10T20:30:00", stdout=out)
    assert out.getvalue().startswith("Detected: 1 fired,")
    assert "Delivered: 1 waiting: no SMTP." in out.getvalue()
    out = StringIO()
    call_command("alerts", "list", "--json", stdout=out)
    [row] = json.loads(out.getvalue())
    assert row["kind"] == "orders_stopped" and row["figures"]["silence_hours"] == 4 and row["store"] == "Corner"


def test_an_alert_muted_before_it_went_out_is_never_sent(fired: object, inbox: Inbox) -> None:
    from storelens.alerts.models import Mute

    shop = stop_orders(fired)
    detect(utc(MONDAY, 16, 30))
    Mute.objects.create(workspace=shop.store.workspace, store=shop.store, kind="")
    assert send.send_pending(LATER) == {"skipped: muted": 1}
    Mute.objects.all().delete()
    assert send.send_pending(LATER) == {}
    assert inbox.messages == [] and Delivery.objects.get().error == send.MUTED


def test_a_name_that_resolves_to_a_private_address_is_refused_when_sending(fired: object, hook: Hook) -> None:
    """Saving cannot see where a name points; the guard checks the addresses actually dialled (as for stores)."""
    import socket

    from storelens.woocommerce.guard import is_public_address

    name = socket.gethostname()
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(name, None)}
    except OSError:
        pytest.skip(f"{name} does not resolve here")
    if any(is_public_address(a) for a in addresses):
        pytest.skip(f"{name} resolves to a public address here")
    url = hook.url.replace("127.0.0.1", name)
    assert webhook.check_url(url) == url  # a name passes the save-time check
    WorkspaceAlerts.objects.create(workspace=fired, webhook_url=url)  # type: ignore[misc]
    stop_orders(fired)
    detect(utc(MONDAY, 16, 30))
    with override_settings(STORELENS_SMTP_URL=""):
        assert send.send_pending(LATER)["failed"] == 1
    assert hook.posts == []
    assert f"{name} points to" in Delivery.objects.get(channel="webhook").error

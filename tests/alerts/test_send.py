"""Alert e-mails through a real SMTP server (aiosmtpd on 127.0.0.1): the message carries the alert's reason and
numbers; each delivery is claimed before it is sent, so it goes out once however many ticks or workers run; without
SMTP it waits; muted before it went out, it is never sent."""

from __future__ import annotations

import pytest
from django.test import override_settings

from storelens.alerts import send
from storelens.alerts.episodes import detect
from storelens.alerts.models import Delivery
from storelens.alerts.tasks import alert_tick
from tests.alerts.conftest import LATER, MONDAY, Inbox, stop_orders
from tests.alerts.histories import utc
from tests.alerts.test_mail import parts

pytestmark = pytest.mark.django_db


def test_the_alert_mail_arrives_once_with_its_numbers(fired: object, inbox: Inbox) -> None:
    stop_orders(fired)
    detect(utc(MONDAY, 16, 30))
    assert send.send_pending(LATER) == {"sent": 1}
    assert send.send_pending(LATER) == {}  # sent rows are never claimed again
    detect(utc(MONDAY, 16, 45))  # the next tick: same episode, no new delivery
    assert send.send_pending(LATER) == {}
    [raw] = inbox.messages
    mail, body, _ = parts(raw)  # the HTML part: tests/alerts/test_mail.py
    assert mail["Subject"] == "Corner: Orders have stopped: your checkout may be broken"
    assert inbox.recipients == [["alice@example.com"]]
    assert "No counted order for 4 hours" in body and "longest silence was under an hour" in body
    assert "Fired: 10 Mar 2025 16:30 EDT (2025-03-10 20:30 UTC)" in body  # EDT since the day before


def test_without_smtp_mail_waits_and_nothing_is_lost(fired: object) -> None:
    stop_orders(fired)
    detect(utc(MONDAY, 16, 30))
    with override_settings(STORELENS_SMTP_URL=""):
        assert send.send_pending(LATER) == {"waiting: no SMTP": 1}
    assert Delivery.objects.get().attempts == 0


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


def test_an_alert_muted_before_it_went_out_is_never_sent(fired: object, inbox: Inbox) -> None:
    from storelens.alerts.models import Mute

    shop = stop_orders(fired)
    detect(utc(MONDAY, 16, 30))
    Mute.objects.create(workspace=shop.store.workspace, store=shop.store, kind="")
    assert send.send_pending(LATER) == {"skipped: muted": 1}
    Mute.objects.all().delete()
    assert send.send_pending(LATER) == {}
    assert inbox.messages == [] and Delivery.objects.get().error == send.MUTED


def test_who_was_told_it_fired_is_told_it_is_over(fired: object, inbox: Inbox) -> None:
    shop = stop_orders(fired)
    detect(utc(MONDAY, 16, 30))
    assert send.send_pending(LATER) == {"sent": 1}
    shop.sell(MONDAY, [17])
    shop.synced(utc(MONDAY, 17, 40))
    assert detect(utc(MONDAY, 17, 40))["resolved"] == 1
    detect(utc(MONDAY, 17, 45))  # a second tick (or worker) finds it closed: no second recovery
    assert send.send_pending(utc(MONDAY, 17, 50)) == {"sent": 1}
    recovered, body, _ = parts(inbox.messages[1])
    assert recovered["Subject"] == "Corner: Recovered: Orders have stopped: your checkout may be broken"
    assert "Over at 10 Mar 2025 17:40 EDT (2025-03-10 21:40 UTC), after 1 h 10 min." in body
    assert "It fired because:" in body
    assert "No counted order for 4 hours" in body
    assert Delivery.objects.filter(news=Delivery.News.RECOVERED).count() == 1


def test_nobody_hears_of_a_recovery_they_were_not_told_had_fired(fired: object) -> None:
    shop = stop_orders(fired)
    with override_settings(STORELENS_SMTP_URL=""):
        detect(utc(MONDAY, 16, 30))
        send.send_pending(LATER)  # waiting: never sent
        shop.sell(MONDAY, [17])
        shop.synced(utc(MONDAY, 17, 40))
        detect(utc(MONDAY, 17, 40))
    assert not Delivery.objects.filter(news=Delivery.News.RECOVERED).exists()

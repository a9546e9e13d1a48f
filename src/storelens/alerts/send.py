"""Sending alert deliveries from the job queue: claim, send, record — once, however many workers run the tick.

The claim is the digests' (`dashboard.digest_mail.claim`): a conditional UPDATE that only one worker wins; a sent
row is never claimed again; a failure gives the claim back with the error and a later tick retries (MAX_ATTEMPTS);
a claim left by a worker killed mid-send is taken over after CLAIM_LOST_AFTER. E-mail goes through
STORELENS_SMTP_URL, as digests do (none configured: e-mail deliveries wait, and Settings says so).
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from storelens.alerts import webhook
from storelens.alerts.message import lasted, links_of, mail_of
from storelens.alerts.models import Alert, Delivery, Mute
from storelens.config import SmtpSettings
from storelens.mail import smtp_backend, smtp_settings

log = logging.getLogger(__name__)

CLAIM_LOST_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 5
GIVE_UP_AFTER = timedelta(days=1)  # an alert a day old is news no more: not sent after that
MUTED = "not sent: muted before it went out"


def slack_escaped(text: str) -> str:
    """Slack reads <…> as links and mentions (<!channel> pings everyone): a store's name or an error message quoting
    the store's answer must not, so &, < and > are escaped as Slack asks."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text_of(alert: Alert, news: str = Delivery.News.FIRED) -> str:
    """One short text for the webhook (Slack reads *bold*), the same words as the page, escaped for Slack, then the
    store's page and the alert on the Alerts page (where it is muted), as the e-mail links them (`links_of`)."""
    links = links_of(alert, news == Delivery.News.RECOVERED)
    if news == Delivery.News.RECOVERED:
        lines = [
            f"*Recovered:* {alert.title} — {alert.store}",
            f"Over after {lasted(alert)}. It fired because: {alert.reason}",
        ]
    else:
        lines = [f"*{alert.title}* — {alert.store}", alert.reason]
    lines = [slack_escaped(line) for line in lines]
    if links.store:
        lines.append(f"Store: {links.store}")
        lines.append(f"Alert: {links.alert}")
    return "\n".join(lines)


def claim(delivery: Delivery) -> bool:
    now = timezone.now()
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LOST_AFTER)
    rows = Delivery.objects.filter(claimable, pk=delivery.pk, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
    return rows.update(claimed_at=now, claimed_by=f"{socket.gethostname()}:{os.getpid()}") == 1


def send_one(delivery: Delivery, smtp: SmtpSettings | None) -> str:
    if delivery.channel == Delivery.Channel.EMAIL and smtp is None:
        return "waiting: no SMTP"
    if not claim(delivery):
        return "skipped: claimed"
    alert = delivery.alert
    try:
        if delivery.channel == Delivery.Channel.EMAIL:
            assert smtp is not None
            smtp_backend(smtp).send_messages([mail_of(alert, smtp, delivery.target, delivery.news)])
        else:
            webhook.post(delivery.target, text_of(alert, delivery.news))
    except Exception as err:  # refused, down, timed out: given back for a later tick
        log.warning("alert %s to %s not sent: %s", alert.pk, delivery.target, err)
        Delivery.objects.filter(pk=delivery.pk).update(
            claimed_at=None, claimed_by="", attempts=delivery.attempts + 1, error=f"{err}"[:2000]
        )
        return "failed"
    Delivery.objects.filter(pk=delivery.pk).update(sent_at=timezone.now(), attempts=delivery.attempts + 1, error="")
    return "sent"


def send_pending(now: datetime | None = None) -> dict[str, int]:
    """Every delivery not yet sent made in the day before `now` (the clock; tests fix it), each sent once."""
    smtp = smtp_settings()
    now = now or timezone.now()
    outcomes: dict[str, int] = {}
    pending = Delivery.objects.filter(
        sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, created_at__gte=now - GIVE_UP_AFTER
    ).select_related("alert__store", "alert__workspace")
    mutes = set(Mute.objects.values_list("store_id", "kind"))
    for delivery in pending.order_by("pk"):
        alert = delivery.alert
        if (alert.store_id, "") in mutes or (alert.store_id, alert.kind) in mutes:
            # Muted between firing and sending: the owner said not to; never sent later, even once unmuted.
            Delivery.objects.filter(pk=delivery.pk, sent_at__isnull=True).update(sent_at=now, error=MUTED)
            outcomes["skipped: muted"] = outcomes.get("skipped: muted", 0) + 1
            continue
        outcome = send_one(delivery, smtp)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes

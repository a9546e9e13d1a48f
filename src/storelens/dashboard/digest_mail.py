"""Sending e-mail digests: claim, render, send through STORELENS_SMTP_URL, record.

Every job consumer runs the digest tick (`dashboard.tasks.send_digests`), so sending follows the fleet's claim
pattern (sync.tasks._claim): a member's digest for a period has one `DigestSent` row (a unique constraint), and only
the worker whose conditional UPDATE takes the row's claim sends it. A sent row is never claimed again; a failed send
gives its claim back with the error, so a later tick retries (at most MAX_ATTEMPTS times); a claim left by a worker
killed mid-send is taken over after CLAIM_LOST_AFTER. The worst case is one duplicate after such a crash, never a
missing digest and never two workers sending at once.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from storelens.config import SmtpSettings
from storelens.dashboard.digests import Digest, StoreDigest, build_digest, may_receive, period_for, workspace_today
from storelens.dashboard.models import DigestSent, DigestSubscription, Frequency
from storelens.mail import smtp_backend, smtp_settings

log = logging.getLogger(__name__)

CLAIM_LOST_AFTER = timedelta(minutes=30)
MAX_ATTEMPTS = 5
NOTHING_TO_REPORT = "not sent: no store with imported data in the workspace"


def message(digest: Digest, smtp: SmtpSettings) -> EmailMultiAlternatives:
    """multipart/alternative: the plain-text part first, the HTML part (inline styles, tables, nothing remote) last."""
    context = {"digest": digest, "public_url": settings.STORELENS_PUBLIC_URL}
    text = render_to_string("digests/mail.txt", context)
    html = render_to_string("digests/mail.html", context)
    mail = EmailMultiAlternatives(digest.subject, text, smtp.sender, [digest.email])
    mail.attach_alternative(html, "text/html")
    return mail


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(subscription: DigestSubscription, first: date, last: date) -> DigestSent | None:
    """The period's row, claimed by this worker; None when it was sent, is being sent, or failed too often."""
    try:
        with transaction.atomic():
            DigestSent.objects.get_or_create(
                membership_id=subscription.membership_id,
                frequency=subscription.frequency,
                first=first,
                defaults={"last": last},
            )
    except IntegrityError:  # another worker created it between our look and our insert: its row, claimed below
        pass
    now = timezone.now()
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LOST_AFTER)
    row = DigestSent.objects.filter(
        claimable,
        membership_id=subscription.membership_id,
        frequency=subscription.frequency,
        first=first,
        sent_at__isnull=True,
        attempts__lt=MAX_ATTEMPTS,
    )
    if row.update(claimed_at=now, claimed_by=worker_name()) != 1:
        return None
    return DigestSent.objects.get(
        membership_id=subscription.membership_id, frequency=subscription.frequency, first=first
    )


def send_one(
    subscription: DigestSubscription,
    today: date,
    smtp: SmtpSettings,
    made: dict[tuple[int, date, date], StoreDigest] | None = None,
) -> str:
    """Claim, build, send and record one member's digest; says what happened (for the task's result and logs)."""
    membership = subscription.membership
    if not may_receive(membership.role) or not membership.user.is_active:
        return "skipped: role"
    first, last = period_for(subscription.frequency, today)
    row = claim(subscription, first, last)
    if row is None:
        return "skipped: claimed"
    try:
        digest = build_digest(membership, subscription.frequency, today, made)
        if not digest.stores and not digest.attention:
            # No store with data and none in trouble: an empty mail every day would only teach people to ignore it.
            DigestSent.objects.filter(pk=row.pk).update(sent_at=timezone.now(), error=NOTHING_TO_REPORT)
            return "skipped: nothing to report"
        smtp_backend(smtp).send_messages([message(digest, smtp)])
    except Exception as err:  # SMTP refused, server down, a report that cannot be made: retried by a later tick
        log.warning("digest for %s (%s) not sent: %s", membership.user.email, first, err)
        DigestSent.objects.filter(pk=row.pk).update(
            claimed_at=None, claimed_by="", attempts=row.attempts + 1, error=f"{type(err).__name__}: {err}"[:2000]
        )
        return f"failed: {type(err).__name__}"
    DigestSent.objects.filter(pk=row.pk).update(sent_at=timezone.now(), attempts=row.attempts + 1, error="")
    return "sent"


def send_due(today: date | None = None) -> dict[str, int]:
    """Every subscribed member's digest for the last period ended on all its stores' clocks (`workspace_today`;
    `today` fixes the date instead, for tests), each sent once (see the module docstring)."""
    smtp = smtp_settings()
    if smtp is None:
        return {}
    now = timezone.now()
    made: dict[tuple[int, date, date], StoreDigest] = {}  # one store's figures, shared by its members this tick
    outcomes: dict[str, int] = {}
    subscriptions = DigestSubscription.objects.exclude(frequency=Frequency.OFF).select_related(
        "membership__user", "membership__workspace"
    )
    for subscription in subscriptions.order_by("pk"):
        day = today or workspace_today(subscription.membership.workspace, now)
        outcome = send_one(subscription, day, smtp, made)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes

"""From findings to episodes: fire once (with its deliveries, in one transaction), update while it lasts, resolve
when the store recovers — however many workers run the tick.

- A finding with no open alert for its store and kind fires: the alert row and one `Delivery` per recipient are
  inserted together; the partial unique constraint lets only one worker's insert through, so only that worker's
  deliveries exist. The same episode resolved and found again (a value dancing around its threshold) is reopened
  quietly, without a second round of messages.
- A finding with an open alert of the same episode updates its numbers; of another episode (a new day, a new
  silence) resolves the old one and fires the new one.
- No finding resolves the open alert, and whoever was told it fired is told it is over; `UNKNOWN` leaves it as it
  is.
- A muted store (or kind) fires nothing; its open alerts still resolve.

Recipients: members who asked for alert e-mails and whose role may see the kind (`may_see`), and the workspace's
webhook URL when one is set.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from storelens.accounts.permissions import Action, allows
from storelens.alerts.detect import DETECTORS, UNKNOWN, Finding
from storelens.alerts.models import Alert, Delivery, Kind, MemberAlerts, Mute, WorkspaceAlerts
from storelens.stores.models import Store

log = logging.getLogger(__name__)

SUPPORT_KINDS = frozenset({Kind.STORE_DOWN})


def may_see(role: str | None, kind: str) -> bool:
    """Support sees only a store being down: the other kinds speak of orders, refunds and net sales (totals)."""
    return allows(role, Action.VIEW_REVENUE) or (kind in SUPPORT_KINDS and allows(role, Action.VIEW_STORES))


def visible_kinds(role: str | None) -> list[str]:
    return [k for k in Kind.values if may_see(role, k)]


def muted(store: Store, kind: str, mutes: set[tuple[int, str]]) -> bool:
    return (store.pk, "") in mutes or (store.pk, kind) in mutes


def _recipients(alert: Alert) -> list[tuple[str, str]]:
    members = MemberAlerts.objects.filter(
        email=True, membership__workspace_id=alert.workspace_id, membership__user__is_active=True
    ).select_related("membership__user")
    out = [
        (Delivery.Channel.EMAIL, m.membership.user.email)
        for m in members
        if m.membership.user.email and may_see(m.membership.role, alert.kind)
    ]
    url = WorkspaceAlerts.objects.filter(workspace_id=alert.workspace_id).values_list("webhook_url", flat=True).first()
    if url:
        out.append((Delivery.Channel.WEBHOOK, url))
    return out


def fire(store: Store, finding: Finding, now: datetime) -> Alert | None:
    """The new episode's alert and its deliveries, or None when another worker fired it first."""
    earlier = Alert.objects.filter(store=store, kind=finding.kind, episode=finding.episode, resolved_at__isnull=False)
    if finding.episode and earlier.exists():
        reopened = earlier.order_by("-opened_at")[:1].get()
        try:
            with transaction.atomic():
                Alert.objects.filter(pk=reopened.pk).update(
                    resolved_at=None, reason=finding.reason, figures=finding.figures, updated_at=now
                )
        except IntegrityError:
            return None
        return None
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                workspace_id=store.workspace_id,
                store=store,
                kind=finding.kind,
                episode=finding.episode,
                title=finding.title,
                reason=finding.reason,
                figures=finding.figures,
                opened_at=now,
                updated_at=now,
            )
            Delivery.objects.bulk_create(
                [
                    Delivery(alert=alert, channel=channel, target=target, created_at=now)
                    for channel, target in _recipients(alert)
                ]
            )
    except IntegrityError:  # another worker's tick fired it between our look and our insert
        return None
    log.info("alert fired: %s on store %s: %s", finding.kind, store.pk, finding.reason)
    return alert


def resolve(alert: Alert, now: datetime) -> bool:
    """The store recovered: the alert closes, and whoever was told it fired is told it is over (only the worker whose
    UPDATE closed it creates those deliveries)."""
    with transaction.atomic():
        if Alert.objects.filter(pk=alert.pk, resolved_at__isnull=True).update(resolved_at=now, updated_at=now) != 1:
            return False
        told = alert.deliveries.filter(news=Delivery.News.FIRED, sent_at__isnull=False, error="")
        Delivery.objects.bulk_create(
            [
                Delivery(alert=alert, news=Delivery.News.RECOVERED, channel=d.channel, target=d.target, created_at=now)
                for d in told
            ],
            ignore_conflicts=True,
        )
    return True


def apply(store: Store, kind: str, finding: Any, now: datetime, mutes: set[tuple[int, str]]) -> str:
    """One detector's answer applied to the store's open alert of that kind; says what happened."""
    if finding is UNKNOWN:
        return "unknown"
    open_alert = Alert.objects.filter(store=store, kind=kind, resolved_at__isnull=True).first()
    if finding is None:
        if open_alert is None:
            return "quiet"
        resolve(open_alert, now)
        return "resolved"
    if open_alert is not None:
        if open_alert.episode == finding.episode:
            Alert.objects.filter(pk=open_alert.pk).update(
                title=finding.title, reason=finding.reason, figures=finding.figures, updated_at=now
            )
            return "ongoing"
        resolve(open_alert, now)
    if muted(store, kind, mutes):
        return "muted"
    return "fired" if fire(store, finding, now) is not None else "reopened or taken"


def detect(now: datetime | None = None, stores: Any = None) -> dict[str, int]:
    """Every store's four detectors (the job queue's tick); counts of what happened, for the task's result."""
    now = now or timezone.now()
    queryset = stores if stores is not None else Store.objects.all()
    mutes = set(Mute.objects.values_list("store_id", "kind"))
    outcomes: dict[str, int] = {}
    for store in queryset.exclude(Q(last_sync_at__isnull=True) & Q(keys_verified_at__isnull=True)).order_by("pk"):
        for kind, detector in DETECTORS.items():
            try:
                outcome = apply(store, kind, detector(store, now), now, mutes)
            except Exception:  # one store's bad data must not stop the others' alerts
                log.exception("alert detector %s failed on store %s", kind, store.pk)
                outcome = "failed"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes

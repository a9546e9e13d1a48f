"""What every page's shell knows about alerts: the bell's unread count, and (computed only when a template asks) the
open alerts for the home page and the member's and workspace's alert settings for the Settings page.

A context processor rather than code in the dashboard's views: the bell is on every page, and the home and Settings
pages include `alerts/_home.html` and `alerts/_settings.html` without their views knowing about alerts.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest

from storelens.accounts.permissions import Action, allows
from storelens.alerts.episodes import visible_kinds
from storelens.alerts.models import Alert, Delivery, Kind, MemberAlerts, Mute, WorkspaceAlerts

SMTP_MISSING = (
    "Alert e-mails are off on this installation: no mail server is configured (STORELENS_SMTP_URL, see the README). "
    "Alerts still show here and go to the webhook."
)


def visible_alerts(request: HttpRequest) -> QuerySet[Alert]:
    """The workspace's alerts this member's role may see (support: a store being down only)."""
    role = request.membership.role  # type: ignore[attr-defined]
    return Alert.objects.filter(workspace=request.workspace, kind__in=visible_kinds(role))  # type: ignore[attr-defined]


def unmuted(alerts: QuerySet[Alert], workspace: Any) -> list[Alert]:
    mutes = set(Mute.objects.filter(workspace=workspace).values_list("store_id", "kind"))
    return [a for a in alerts if (a.store_id, "") not in mutes and (a.store_id, a.kind) not in mutes]


class AlertShell:
    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def member(self) -> MemberAlerts:
        membership = self.request.membership  # type: ignore[attr-defined]
        found = MemberAlerts.objects.filter(membership=membership).first()
        return found or MemberAlerts(membership=membership)

    @cached_property
    def open(self) -> list[Alert]:
        alerts = visible_alerts(self.request).filter(resolved_at__isnull=True).select_related("store")
        return unmuted(alerts, self.request.workspace)  # type: ignore[attr-defined]

    @cached_property
    def unread(self) -> int:
        seen = self.member.seen_at
        return sum(1 for a in self.open if seen is None or a.opened_at > seen)

    @property
    def can_mute(self) -> bool:
        return allows(self.request.membership.role, Action.MANAGE_SETTINGS)  # type: ignore[attr-defined]

    @cached_property
    def webhook(self) -> WorkspaceAlerts | None:
        return WorkspaceAlerts.objects.filter(workspace=self.request.workspace).first()  # type: ignore[attr-defined]

    @cached_property
    def webhook_last(self) -> Delivery | None:
        """The last webhook delivery that was sent or failed, for "last sent …" or the error on Settings."""
        rows = Delivery.objects.filter(
            alert__workspace=self.request.workspace,  # type: ignore[attr-defined]
            channel=Delivery.Channel.WEBHOOK,
            attempts__gt=0,
        )
        return rows.order_by("-pk").first()

    @property
    def smtp_missing(self) -> str:
        return "" if settings.STORELENS_SMTP_URL else SMTP_MISSING

    @property
    def kinds(self) -> list[tuple[str, str]]:
        role = self.request.membership.role  # type: ignore[attr-defined]
        return [(k.value, k.label) for k in Kind if k.value in visible_kinds(role)]

    @property
    def support_only(self) -> bool:
        return not allows(self.request.membership.role, Action.VIEW_REVENUE)  # type: ignore[attr-defined]


def alerts(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "membership", None) is None:
        return {}
    return {"alerts": AlertShell(request)}

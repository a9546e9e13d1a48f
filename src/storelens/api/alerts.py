"""The /alerts route: the workspace's alerts (open, or also those recovered lately) with why each fired, for
monitoring scripts. Support's tokens see only stores that are down, as on the page (`alerts.episodes.may_see`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from storelens.alerts.episodes import visible_kinds
from storelens.alerts.models import Alert, Mute
from storelens.api.range_query import InvalidOut

alerts_router = Router(tags=["alerts"])


class AlertsQuery(Schema):
    state: Literal["open", "all"] = "open"  # all: open ones and those recovered in the last 30 days


class AlertOut(Schema):
    id: int
    source_id: int
    store: str
    kind: str  # orders_stopped | refund_spike | store_down | day_high
    title: str
    reason: str  # why it fired, with the numbers, in words
    figures: dict[str, Any]  # the same numbers, as data
    opened_at: str
    resolved_at: str | None
    muted: bool


@alerts_router.get(
    "", response={200: list[AlertOut], 422: InvalidOut}, summary="Alerts: why each fired, open and lately recovered"
)
def list_alerts(request: HttpRequest, q: Query[AlertsQuery]) -> Any:
    """Newest first. An alert fires once per episode and is resolved when the store recovers (`resolved_at`)."""
    workspace = request.workspace  # type: ignore[attr-defined]
    rows = Alert.objects.filter(workspace=workspace, kind__in=visible_kinds(request.membership.role))  # type: ignore[attr-defined]
    if q.state == "open":
        rows = rows.filter(resolved_at__isnull=True)
    else:
        rows = rows.filter(opened_at__gte=timezone.now() - timedelta(days=30)) | rows.filter(resolved_at__isnull=True)
    mutes = set(Mute.objects.filter(workspace=workspace).values_list("store_id", "kind"))
    return [
        AlertOut(
            id=a.pk,
            source_id=a.store_id,
            store=str(a.store),
            kind=a.kind,
            title=a.title,
            reason=a.reason,
            figures=a.figures,
            opened_at=a.opened_at.isoformat(),
            resolved_at=a.resolved_at.isoformat() if a.resolved_at else None,
            muted=(a.store_id, "") in mutes or (a.store_id, a.kind) in mutes,
        )
        for a in rows.select_related("store").order_by("-opened_at", "-pk")[:200]
    ]

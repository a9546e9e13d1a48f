"""The alerts pages: the list (the bell's target), mute and unmute per store and kind, the member's e-mail choice
and the workspace's webhook.

Who may do what (accounts/permissions.py): every member opens the list, support seeing only stores that are down
(the other kinds speak of orders, refunds and net sales); muting is for the whole workspace, so owner and admin
only, like the webhook; each member chooses their own e-mails.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from storelens.accounts.scoping import scoped, workspace_required
from storelens.alerts.context import AlertShell, unmuted, visible_alerts
from storelens.alerts.episodes import visible_kinds
from storelens.alerts.models import Kind, MemberAlerts, Mute, WorkspaceAlerts
from storelens.alerts.tasks import send_webhook_test
from storelens.alerts.webhook import WebhookRefused, check_url
from storelens.stores.models import Store

HISTORY_DAYS = 30
NEXT_PAGES = {"home": "dashboard:home", "alerts": "alerts:list", "settings": "dashboard:settings"}


def _back(request: HttpRequest) -> HttpResponse:
    return redirect(NEXT_PAGES.get(request.POST.get("next", ""), "alerts:list"))


def _labelled(mute: Mute) -> Mute:
    mute.label = Kind(mute.kind).label if mute.kind else "every kind"  # type: ignore[attr-defined]
    return mute


@workspace_required
def alert_list(request: HttpRequest) -> HttpResponse:
    """Open alerts (muted ones said so), the last 30 days' resolved ones, and the mutes; opening it reads the bell."""
    shell = AlertShell(request)
    alerts = visible_alerts(request).select_related("store")
    since = timezone.now() - timedelta(days=HISTORY_DAYS)
    open_alerts = list(alerts.filter(resolved_at__isnull=True))
    shown = {a.pk for a in unmuted(alerts.filter(resolved_at__isnull=True), request.workspace)}  # type: ignore[attr-defined]
    context = {
        "open_alerts": [(a, a.pk not in shown) for a in open_alerts],
        "resolved": alerts.filter(resolved_at__gte=since)[:50],
        "mutes": [_labelled(m) for m in scoped(request, Mute).select_related("store").order_by("store__name", "kind")],
        "stores": scoped(request, Store).order_by("name", "pk"),
        "history_days": HISTORY_DAYS,
        "unread_before": shell.unread,
    }
    MemberAlerts.objects.update_or_create(
        membership=request.membership,  # type: ignore[attr-defined]
        defaults={"seen_at": timezone.now()},
    )
    return render(request, "alerts/list.html", context)


def _kind(request: HttpRequest) -> str | None:
    kind = request.POST.get("kind", "")
    return kind if kind == "" or kind in Kind.values else None


@workspace_required
@require_POST
def mute(request: HttpRequest, store_id: int) -> HttpResponse:
    store = get_object_or_404(scoped(request, Store), pk=store_id)
    kind = _kind(request)
    if kind is None:
        messages.error(request, f"Choose one of: {', '.join(Kind.values)}, or all kinds.")
        return _back(request)
    Mute.objects.get_or_create(
        workspace=request.workspace,  # type: ignore[attr-defined]
        store=store,
        kind=kind,
        defaults={"muted_by": request.user.email},  # type: ignore[union-attr]
    )
    what = Kind(kind).label.lower() if kind else "all"
    messages.success(request, f"Muted {what} alerts for {store}: no new ones until you unmute them (on Alerts).")
    return _back(request)


@workspace_required
@require_POST
def unmute(request: HttpRequest, store_id: int) -> HttpResponse:
    store = get_object_or_404(scoped(request, Store), pk=store_id)
    kind = _kind(request)
    Mute.objects.filter(workspace=request.workspace, store=store, kind=kind or "").delete()  # type: ignore[attr-defined]
    messages.success(request, f"Alerts for {store} are on again; the next check (within 5 minutes) may fire one.")
    return _back(request)


@workspace_required
@require_POST
def set_email(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("email") == "on"
    MemberAlerts.objects.update_or_create(
        membership=request.membership,  # type: ignore[attr-defined]
        defaults={"email": wanted},
    )
    if wanted:
        kinds = visible_kinds(request.membership.role)  # type: ignore[attr-defined]
        which = "stores that are down" if kinds == [Kind.STORE_DOWN] else "every alert"
        messages.success(request, f"You will get an e-mail for {which} at {request.user.email}.")  # type: ignore[union-attr]
    else:
        messages.success(request, "Alert e-mails stopped; alerts still show in Storelens.")
    return _back(request)


@workspace_required
@require_POST
def set_webhook(request: HttpRequest) -> HttpResponse:
    try:
        url = check_url(request.POST.get("webhook_url", ""))
    except WebhookRefused as err:
        messages.error(request, f"Webhook not saved: {err}")
        return _back(request)
    WorkspaceAlerts.objects.update_or_create(
        workspace=request.workspace,  # type: ignore[attr-defined]
        defaults={"webhook_url": url, "updated_at": timezone.now()},
    )
    messages.success(request, "Webhook saved: the next alert is posted there." if url else "Webhook removed.")
    return _back(request)


@workspace_required
@require_POST
def test_webhook(request: HttpRequest) -> HttpResponse:
    """Queued for the job queue, never posted from this request (a slow webhook must not hold a page)."""
    row = WorkspaceAlerts.objects.filter(workspace=request.workspace).exclude(webhook_url="").first()  # type: ignore[attr-defined]
    if row is None:
        messages.error(request, "Save a webhook address first.")
        return _back(request)
    WorkspaceAlerts.objects.filter(pk=row.pk).update(test_asked_at=timezone.now(), test_done_at=None, test_error="")
    send_webhook_test(row.pk)
    messages.success(request, "Test message queued: it is posted within a few seconds; reload to see how it went.")
    return _back(request)

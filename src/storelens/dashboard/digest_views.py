"""The e-mail digest choice on the Settings page: off, daily, weekly or monthly, per member and workspace."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from storelens.accounts.scoping import workspace_required
from storelens.dashboard.digests import may_receive
from storelens.dashboard.models import DigestSent, DigestSubscription, Frequency

SMTP_MISSING = (
    "E-mail digests are off on this installation: no mail server is configured. Whoever runs Storelens sets "
    "STORELENS_SMTP_URL to the mail server's address (smtp://… or smtps://…, see the settings table in the README) "
    "and restarts it. Your choice below is kept meanwhile."
)
SUPPORT_REFUSED = (
    "Your role (Support) cannot receive digests: they add up revenue (net sales, average order value, refunds), "
    "which support does not see. Ask an owner or admin for the Analyst role to get one."
)


def digest_context(request: HttpRequest) -> dict[str, Any]:
    """What the Settings page shows about the member's digest: the choice, why it is off, and the last one sent."""
    membership = request.membership  # type: ignore[attr-defined]
    chosen = DigestSubscription.objects.filter(membership=membership).values_list("frequency", flat=True).first()
    return {
        "digest_choices": Frequency.choices,
        "digest_frequency": chosen or Frequency.OFF,
        "digest_unavailable": "" if settings.STORELENS_SMTP_URL else SMTP_MISSING,
        "digest_refused": "" if may_receive(membership.role) else SUPPORT_REFUSED,
        "digest_last": DigestSent.objects.filter(membership=membership, sent_at__isnull=False, error="").first(),
    }


@workspace_required
@require_POST
def set_digest(request: HttpRequest) -> HttpResponse:
    # VIEW_REVENUE (ROUTE_ACTIONS): WorkspaceMiddleware refuses support before this runs.
    frequency = request.POST.get("frequency", "")
    if frequency not in Frequency.values:
        messages.error(request, f"Choose one of: {', '.join(Frequency.values)}.")
        return redirect("dashboard:settings")
    DigestSubscription.objects.update_or_create(
        membership=request.membership,  # type: ignore[attr-defined]
        defaults={"frequency": frequency, "updated_at": timezone.now()},
    )
    if frequency == Frequency.OFF:
        messages.success(request, "E-mail digest stopped.")
    else:
        label = Frequency(frequency).label.split(":")[0].lower()
        messages.success(request, f"You will receive a {label} e-mail digest at {request.user.email}.")  # type: ignore[union-attr]
    return redirect("dashboard:settings")

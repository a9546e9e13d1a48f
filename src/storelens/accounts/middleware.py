"""Sets `request.workspace` (and `request.membership`) for signed-in users."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from storelens.accounts.models import Membership

SESSION_KEY = "storelens_workspace_id"


def current_membership(request: HttpRequest) -> Membership | None:
    """The workspace chosen in this session, else the user's first one."""
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = Membership.objects.select_related("workspace").filter(user=user)
    chosen = request.session.get(SESSION_KEY)
    if chosen is not None:
        membership = memberships.filter(workspace_id=chosen).first()
        if membership is not None:
            return membership
    return memberships.order_by("pk").first()


class WorkspaceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = current_membership(request)
        request.membership = membership  # type: ignore[attr-defined]
        request.workspace = membership.workspace if membership else None  # type: ignore[attr-defined]
        return self.get_response(request)

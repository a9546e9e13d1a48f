"""Sets `request.workspace` (and `request.membership`) for signed-in users, and refuses pages their role may not use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from storelens.accounts.models import Membership
from storelens.accounts.permissions import (
    ROUTE_ACTIONS,
    UNLISTED_ROUTE_ACTION,
    Action,
    allows,
    landing_route,
    refusal,
    role_of,
)

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


def forbidden(request: HttpRequest, action: Action) -> HttpResponse:
    """403 with one plain sentence: what the role cannot do and whom to ask."""
    message = refusal(role_of(getattr(request, "membership", None)), action)
    return render(request, "accounts/forbidden.html", {"message": message}, status=403)


class WorkspaceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = current_membership(request)
        request.membership = membership  # type: ignore[attr-defined]
        request.workspace = membership.workspace if membership else None  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        """The page's action from `ROUTE_ACTIONS`, checked before the view runs (the API checks its own, per router).

        Without a membership nothing is checked here: the view sends the visitor to sign in or says how to join."""
        membership = getattr(request, "membership", None)
        match = request.resolver_match
        if membership is None or match is None or match.namespace == "api":
            return None
        needed = [ROUTE_ACTIONS.get(match.view_name, UNLISTED_ROUTE_ACTION)]
        if request.GET.get("format") == "csv":
            needed.append(Action.EXPORT)
        for action in needed:
            if action is None or allows(membership.role, action):
                continue
            if match.view_name == "dashboard:home" and request.method == "GET":
                return redirect(landing_route(membership.role))
            return forbidden(request, action)
        return None

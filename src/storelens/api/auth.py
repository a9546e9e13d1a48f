"""API authentication and roles.

A Bearer token acts as its user inside the token's workspace, with that user's current role there. A signed-in
browser session works too (CSRF checked), so pages can call the API; it acts in the session's workspace.

Each router is mounted with `auth_for(action)` (storelens.api.api, actions from
`storelens.accounts.permissions.API_ACTIONS`): after authenticating, the caller's role must allow the router's
action, and any non-GET call needs `API_WRITE` — an analyst's or support's token is read-only. A refusal is a 403
with a JSON `detail` saying what the role cannot do.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from storelens.accounts.models import ApiToken, Membership
from storelens.accounts.permissions import Action, allows, refusal

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class RoleRefused(Exception):
    """The caller is authenticated but their role may not do this; answered as 403 JSON by storelens.api.api."""

    def __init__(self, role: str | None, action: Action) -> None:
        super().__init__(refusal(role, action))
        self.action = action


def check_role(request: HttpRequest, action: Action | None) -> None:
    """Raise RoleRefused unless the request's membership allows `action` (and writing, for a non-GET call)."""
    membership = getattr(request, "membership", None)
    role = membership.role if membership is not None else None
    if action is not None and not allows(role, action):
        raise RoleRefused(role, action)
    if request.method not in READ_METHODS and not allows(role, Action.API_WRITE):
        raise RoleRefused(role, Action.API_WRITE)


class BearerToken(HttpBearer):
    def __init__(self, action: Action | None = None) -> None:
        super().__init__()
        self.action = action

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = ApiToken.objects.authenticate(token.strip())
        if api_token is None:
            return None
        request.user = api_token.user
        request.workspace = api_token.workspace  # type: ignore[attr-defined]
        # The user's role now, not when the token was made: a demoted member's tokens shrink with them.
        request.membership = Membership.objects.filter(  # type: ignore[attr-defined]
            user=api_token.user, workspace=api_token.workspace
        ).first()
        check_role(request, self.action)
        return api_token


class SessionInWorkspace(SessionAuth):
    def __init__(self, action: Action | None = None) -> None:
        super().__init__()
        self.action = action

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated and getattr(request, "workspace", None) is not None:
            check_role(request, self.action)
            return request.user
        return None


def auth_for(action: Action | None) -> list[Any]:
    return [BearerToken(action), SessionInWorkspace(action)]


AUTH = auth_for(None)

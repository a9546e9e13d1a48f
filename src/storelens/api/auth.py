"""API authentication.

A Bearer token acts as its user inside the token's workspace. A signed-in browser session works too (CSRF checked),
so pages can call the API; it acts in the session's workspace.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from storelens.accounts.models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = ApiToken.objects.authenticate(token.strip())
        if api_token is None:
            return None
        request.user = api_token.user
        request.workspace = api_token.workspace  # type: ignore[attr-defined]
        return api_token


class SessionInWorkspace(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated and getattr(request, "workspace", None) is not None:
            return request.user
        return None


AUTH = [BearerToken(), SessionInWorkspace()]

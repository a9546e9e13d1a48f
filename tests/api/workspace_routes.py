"""API routes with path parameters, for the workspace-scoping audit (tests/scoping.py)."""

from __future__ import annotations

from tests.dashboard.workspace_routes import a_token
from tests.scoping import ScopedRoute

SCOPED = {
    "api:get_token": ScopedRoute(a_token),
    "api:revoke_token": ScopedRoute(a_token, methods=("DELETE",)),
}

"""Dashboard routes with path parameters, for the workspace-scoping audit (tests/scoping.py)."""

from __future__ import annotations

from typing import Any

from storelens.accounts.models import ApiToken
from tests.scoping import ScopedRoute


def a_token(workspace: Any) -> dict[str, int]:
    owner = workspace.memberships.first().user
    token, _ = ApiToken.issue(owner, workspace, "scoping audit")
    return {"token_id": token.pk}


SCOPED = {
    "dashboard:revoke_token": ScopedRoute(a_token, methods=("POST",)),
}

"""Dashboard routes with path parameters, for the workspace-scoping audit (tests/scoping.py)."""

from __future__ import annotations

from typing import Any

from storelens.accounts.models import ApiToken
from storelens.stores.models import Store
from tests.scoping import ScopedRoute


def a_token(workspace: Any) -> dict[str, int]:
    owner = workspace.memberships.first().user
    token, _ = ApiToken.issue(owner, workspace, "scoping audit")
    return {"token_id": token.pk}


def a_store(workspace: Any) -> dict[str, int]:
    # No keys: the comparison answers "connect first" for the owner without reaching for the network.
    store = Store.objects.create(workspace=workspace, entered_url="shop.example.com", home_url="http://127.0.0.1:9")
    return {"store_id": store.pk}


SCOPED = {
    "dashboard:revoke_token": ScopedRoute(a_token, methods=("POST",)),
    "wc_compare:compare": ScopedRoute(a_store),
}

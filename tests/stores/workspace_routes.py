"""Data sources routes with path parameters, for the workspace-scoping audit (tests/scoping.py)."""

from __future__ import annotations

from typing import Any

from storelens.stores.models import Store
from tests.scoping import ScopedRoute


def a_store(workspace: Any) -> dict[str, int]:
    # Plain permalinks keep Connect from leaving Storelens, and no keys keep Remove/Check off the network.
    store = Store.objects.create(
        workspace=workspace, entered_url="shop.example.com", home_url="http://127.0.0.1:9", plain_permalinks=True
    )
    return {"store_id": store.pk}


SCOPED = {
    "stores:detail": ScopedRoute(a_store),
    "stores:card": ScopedRoute(a_store),
    "stores:connect": ScopedRoute(a_store, methods=("POST",)),
    "stores:keys": ScopedRoute(a_store, methods=("POST",)),
    "stores:check": ScopedRoute(a_store, methods=("POST",)),
    "stores:sync_now": ScopedRoute(a_store, methods=("POST",)),
    "stores:figure_setting": ScopedRoute(a_store, methods=("POST",)),
    "stores:remove": ScopedRoute(a_store, methods=("GET", "POST")),
}

"""Alerts routes with path parameters, for the workspace-scoping audit (tests/scoping.py)."""

from __future__ import annotations

from typing import Any

from storelens.stores.models import Store
from tests.scoping import ScopedRoute


def a_store(workspace: Any) -> dict[str, int]:
    store = Store.objects.create(workspace=workspace, entered_url="shop.example.com", name="Scoped")
    return {"store_id": store.pk}


SCOPED = {
    "alerts:mute": ScopedRoute(a_store, methods=("POST",)),
    "alerts:unmute": ScopedRoute(a_store, methods=("POST",)),
}

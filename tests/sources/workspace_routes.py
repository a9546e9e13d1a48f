"""Data sources routes with path parameters, for the workspace-scoping audit (tests/scoping.py)."""

from __future__ import annotations

from typing import Any

from storelens.sources.models import Source
from tests.scoping import ScopedRoute


def a_source(workspace: Any) -> dict[str, int]:
    # Plain permalinks keep Connect from leaving Storelens, and no keys keep Remove/Check off the network.
    source = Source.objects.create(
        workspace=workspace, entered_url="shop.example.com", home_url="http://127.0.0.1:9", plain_permalinks=True
    )
    return {"source_id": source.pk}


SCOPED = {
    "sources:detail": ScopedRoute(a_source),
    "sources:card": ScopedRoute(a_source),
    "sources:connect": ScopedRoute(a_source, methods=("POST",)),
    "sources:keys": ScopedRoute(a_source, methods=("POST",)),
    "sources:check": ScopedRoute(a_source, methods=("POST",)),
    "sources:sync_now": ScopedRoute(a_source, methods=("POST",)),
    "sources:remove": ScopedRoute(a_source, methods=("GET", "POST")),
    "sources:figure_setting": ScopedRoute(a_source, methods=("POST",)),
}

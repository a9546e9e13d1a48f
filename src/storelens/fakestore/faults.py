"""PLACEHOLDER (owned by the wc-auth/webhooks/faults helper): misbehaviour on demand, as ASGI middleware."""

from __future__ import annotations

from typing import Any


def wrap(app: Any, store: Any) -> Any:
    return app

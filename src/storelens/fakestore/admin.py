"""PLACEHOLDER (owned by the wc-auth/webhooks/faults helper): the fake's own admin endpoint (/__fakestore/...)."""

from __future__ import annotations

from typing import Any


def routes(store: Any) -> list[Any]:
    return []

"""PLACEHOLDER (owned by the wc-auth/webhooks/faults helper): WooCommerce's Application Authentication screens."""

from __future__ import annotations

from typing import Any


def routes(store: Any) -> list[Any]:
    """Starlette routes for /wc-auth/v1/... and the ?wc-auth-version=1 query form (handled via `handle_query`)."""
    return []

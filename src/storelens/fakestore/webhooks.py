"""PLACEHOLDER (owned by the wc-auth/webhooks/faults helper): webhook deliveries as WooCommerce sends them."""

from __future__ import annotations

from typing import Any


class WebhookDispatcher:
    def __init__(self, store: Any) -> None:
        self.store = store

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

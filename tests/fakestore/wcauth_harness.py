"""The store app the wc-auth tests run against: the real fake store, served in-process or by uvicorn."""

from __future__ import annotations

from typing import Any

from fakestore.app import create_app
from fakestore.config import FakeStoreConfig


def store_app(config: FakeStoreConfig) -> tuple[Any, Any]:
    config.orders = min(config.orders, 20)  # the screens need no data; keep generation instant
    app = create_app(config)
    return app, app.state.store

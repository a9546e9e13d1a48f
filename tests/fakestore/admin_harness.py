"""The app the admin tests run against: the real fake store (admin routes behind the fault middleware)."""

from __future__ import annotations

from typing import Any

from fakestore.app import create_app
from fakestore.config import FakeStoreConfig


def admin_app(config: FakeStoreConfig) -> tuple[Any, Any]:
    app = create_app(config)
    return app, app.state.store

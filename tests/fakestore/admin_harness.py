"""The app the admin tests run against: a real FakeStore, the admin routes and the fault middleware."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from storelens.fakestore import admin, faults
from storelens.fakestore.config import FakeStoreConfig
from storelens.fakestore.store import FakeStore


def admin_app(config: FakeStoreConfig) -> tuple[Any, Any]:
    store = FakeStore(config)

    async def home(request: Request) -> Response:
        return HTMLResponse("<html>home</html>")

    return faults.wrap(Starlette(routes=[*admin.routes(store), Route("/", home)]), store), store

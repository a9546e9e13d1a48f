"""The store app the wc-auth tests run against."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from storelens.fakestore import wcauth
from storelens.fakestore.accounts import Accounts
from storelens.fakestore.config import FakeStoreConfig


def store_app(config: FakeStoreConfig) -> tuple[Any, Any]:
    store = SimpleNamespace(config=config, accounts=Accounts(config.admin_user, config.admin_password))

    async def home(request: Request) -> Response:
        if wcauth.is_query_form(request):
            return await wcauth.handle_query(request, store)
        return HTMLResponse("<html><body>home page</body></html>")

    return Starlette(routes=[*wcauth.routes(store), Route("/", home)]), store

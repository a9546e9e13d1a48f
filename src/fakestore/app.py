"""The fake store as one ASGI application.

    app = create_app(FakeStoreConfig(orders=500, seed=7))
    app.state.store            # the FakeStore: config, accounts, bus, data, webhooks, clock

Layers, outermost first: the fault/misbehaviour middleware (faults.wrap), then Starlette with the fake's own
admin endpoint, the wc-auth screens and WordPress's front controller (REST, home page, theme 404). The webhook
dispatcher runs from the ASGI lifespan; in-process tests that skip the lifespan use `async with running(app)`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import State
from starlette.routing import Route

from . import admin, faults, wcauth, webhooks
from .config import FakeStoreConfig
from .store import FakeStore
from .wordpress import front_controller

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


class FakeStoreApp:
    """The ASGI callable handed to uvicorn or httpx.ASGITransport; `state.store` reaches the store."""

    def __init__(self, inner: Starlette, outer: Any, store: FakeStore, dispatcher: Any) -> None:
        self.inner = inner
        self.app = outer
        self.state: State = inner.state
        self.store = store
        self.dispatcher = dispatcher

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


def create_app(config: FakeStoreConfig, store: FakeStore | None = None) -> FakeStoreApp:
    store = store or FakeStore(config)
    dispatcher = webhooks.WebhookDispatcher(store)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await dispatcher.start()
        try:
            yield
        finally:
            await dispatcher.stop()

    routes = [*admin.routes(store), *wcauth.routes(store), Route("/{path:path}", front_controller, methods=ALL_METHODS)]
    inner = Starlette(routes=routes, lifespan=lifespan)
    inner.state.store = store
    inner.state.dispatcher = dispatcher
    outer = faults.wrap(inner, store)
    return FakeStoreApp(inner, outer, store, dispatcher)


@asynccontextmanager
async def running(app: FakeStoreApp) -> AsyncIterator[FakeStoreApp]:
    """Start the webhook dispatcher for an app served without a lifespan (httpx.ASGITransport)."""
    await app.dispatcher.start()
    try:
        yield app
    finally:
        await app.dispatcher.stop()

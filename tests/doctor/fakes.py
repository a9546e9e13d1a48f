"""The fake store in-process for the health checks, a stand-in for Storelens's public address, and firewalls
the fake store has no mode for (Sucuri, ModSecurity, Wordfence) put in front of it with their real pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from fakestore.app import create_app
from fakestore.config import FakeStoreConfig
from storelens.doctor.checks import CheckSettings
from storelens.woocommerce.auth import Credentials
from storelens.woocommerce.client import ClientConfig

HOME = "https://127.0.0.1:8443"
PUBLIC_URL = "https://127.0.0.1"  # Storelens on the store's host, port 443: WordPress's rules allow it


@dataclass
class Fake:
    app: Any
    key: Any
    home: str = HOME

    @property
    def store(self) -> Any:
        return self.app.store

    @property
    def credentials(self) -> Credentials:
        return Credentials(self.key.consumer_key, self.key.consumer_secret)

    @property
    def transport(self) -> httpx.ASGITransport:
        return httpx.ASGITransport(app=self.app)


def make_fake(modes: set[str] | None = None, *, permissions: str = "read_write", **cfg: Any) -> Fake:
    faults = cfg.pop("faults", {})
    home = cfg.pop("home", HOME)
    config = FakeStoreConfig(home_url=home, orders=cfg.pop("orders", 250), seed=7, history_end="2026-11-28", **cfg)
    config.set_modes(modes or set())
    for name, value in faults.items():
        setattr(config.faults, name, value)
    app = create_app(config)
    key = app.store.accounts.create_key(1, "Storelens", permissions)
    return Fake(app, key, home)


def storelens_public(status: int = 200) -> httpx.ASGITransport:
    """What answers at STORELENS_PUBLIC_URL: Storelens's health path, with `status`."""

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok" if status == 200 else "broken"}, status_code=status)

    return httpx.ASGITransport(app=Starlette(routes=[Route("/healthz", healthz)]))


async def _no_sleep(_: float) -> None:
    return None


def check_settings(fake: Fake | None, **overrides: Any) -> CheckSettings:
    values: dict[str, Any] = {
        "client_config": ClientConfig(allow_private=True),
        "public_url": PUBLIC_URL,
        "transport": fake.transport if fake else None,
        "callback_transport": storelens_public(),
        "sleep": _no_sleep,
    }
    values.update(overrides)
    return CheckSettings(**values)


def firewall_in_front(fake: Fake, page: tuple[int, dict[str, str], bytes]) -> httpx.ASGITransport:
    """A firewall (Sucuri, ModSecurity, Wordfence…) that answers every request with its block page."""
    status, headers, body = page

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await fake.app(scope, receive, send)
        raw = [(k.encode(), v.encode()) for k, v in headers.items()] + [(b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})
        return None

    return httpx.ASGITransport(app=app)

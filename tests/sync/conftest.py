"""The fake store in-process (httpx.ASGITransport) and a Store pointing at it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from fakestore.app import create_app
from fakestore.config import FakeStoreConfig, Faults
from storelens.stores import client
from storelens.woocommerce.retry import RetryPolicy
from tests.transports import origin

HOME = "https://shop.test"


async def _no_sleep(_: float) -> None:
    return None


@dataclass
class Fake:
    app: Any
    key: Any

    @property
    def store(self) -> Any:
        return self.app.store


def make_fake(orders: int = 300, *, seed: int = 3, modes: set[str] | None = None, **config: Any) -> Fake:
    """History ends today (the 7-day re-read needs recent orders)."""
    config.setdefault("home_url", HOME)
    cfg = FakeStoreConfig(orders=orders, seed=seed, months=12, **config)
    if modes:
        cfg.set_modes(modes)
    app = create_app(cfg)
    key = app.store.accounts.create_key(1, "Storelens", "read_write")
    return Fake(app, key)


@pytest.fixture
def workspace(db: None) -> Any:
    from storelens.accounts.models import Workspace

    return Workspace.objects.create(name="Shop")


def make_store(workspace: Any, fake: Fake, **fields: Any) -> Any:
    from storelens.stores.models import Store

    fields.setdefault("home_url", HOME)
    store = Store(workspace=workspace, entered_url=fields["home_url"], currency="USD", **fields)
    store.set_keys(fake.key.consumer_key, fake.key.consumer_secret)
    store.key_permissions = fake.key.permissions
    store.save()
    return store


class FakesByHome(dict[str, Fake]):
    """home URL → the fake store answering it, read by the one test hook (`tests.transports`)."""

    def __call__(self, url: str) -> httpx.AsyncBaseTransport | None:
        for home, fake in self.items():
            if origin(home) == origin(url):
                return httpx.ASGITransport(app=fake.app)
        return None


@pytest.fixture
def serve_in_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Fake]]:
    """Route every store request (sync, webhooks, connect) to the fake store registered for the store's home URL."""
    fakes = FakesByHome()
    monkeypatch.setattr(client, "TEST_TRANSPORT", fakes)
    yield fakes


def ten_percent_faults() -> Faults:
    """10% of requests fail: JSON 500s, proxy 502 pages, timeouts and 429s (with php-notices mode on top)."""
    return Faults(
        error_5xx_rate=0.03,
        html_502_rate=0.02,
        timeout_rate=0.02,
        rate_limit_rate=0.03,
        retry_after_s=0,
        timeout_s=0.01,
    )


FAST_RETRIES = {"retry": RetryPolicy(max_attempts=8, base_delay=0.001, max_delay=0.01, max_retry_after=0.01)}


@pytest.fixture(autouse=True)
def _quiet_httpx() -> Iterator[None]:
    import logging

    logger = logging.getLogger("httpx")
    level = logger.level
    logger.setLevel(logging.WARNING)
    yield
    logger.setLevel(level)

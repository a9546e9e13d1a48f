"""The fake store in-process (httpx.ASGITransport) and a Source pointing at it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from storelens.fakestore.app import create_app
from storelens.fakestore.config import FakeStoreConfig
from storelens.sync import api
from storelens.woocommerce.retry import RetryPolicy

HOME = "https://shop.test"
HISTORY_END = "2026-11-20"


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
    cfg = FakeStoreConfig(home_url=HOME, orders=orders, seed=seed, months=12, history_end=HISTORY_END, **config)
    if modes:
        cfg.set_modes(modes)
    app = create_app(cfg)
    key = app.store.accounts.create_key(1, "Storelens", "read_write")
    return Fake(app, key)


@pytest.fixture
def workspace(db: None) -> Any:
    from storelens.accounts.models import Workspace

    return Workspace.objects.create(name="Shop")


def make_source(workspace: Any, fake: Fake, **fields: Any) -> Any:
    from storelens.sources.models import Source

    source = Source(workspace=workspace, home_url=HOME, entered_url=HOME, currency="USD", **fields)
    source.set_keys(fake.key.consumer_key, fake.key.consumer_secret)
    source.key_permissions = fake.key.permissions
    source.save()
    return source


@pytest.fixture
def serve_in_process() -> Iterator[dict[str, Fake]]:
    """Route every client built by the sync to the fake store registered for its source's home URL."""
    fakes: dict[str, Fake] = {}

    def factory(source: Any) -> httpx.AsyncBaseTransport:
        fake = fakes[source.home_url]
        return httpx.ASGITransport(app=fake.app)

    api.transport_factory = factory
    yield fakes
    api.transport_factory = None


FAST_RETRIES = {"retry": RetryPolicy(max_attempts=8, base_delay=0.001, max_delay=0.01, max_retry_after=0.01)}

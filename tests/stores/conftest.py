"""Fixtures of the sources tests: the fake WooCommerce store in-process, a CSRF-enforcing signed-in client,
and a queue that keeps jobs pending so a test can see what was enqueued."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.test import Client
from huey.contrib.djhuey import HUEY

from fakestore.app import create_app
from fakestore.config import FakeStoreConfig
from tests.transports import routes

from .helpers import HOME


@pytest.fixture
def fake_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The FakeStore behind an in-process app at https://shop.example.com (set its modes to misbehave)."""
    app = create_app(FakeStoreConfig(home_url=HOME, site_name="Example Shop", orders=12, months=2, seed=5))
    routes(monkeypatch).default = httpx.ASGITransport(app=app)
    yield app.store


@pytest.fixture
def signed_in(alice: Any) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def queued_jobs() -> Iterator[Any]:
    """Jobs stay queued instead of running inline, so a test can see what ran inside a request and what was queued."""
    HUEY.immediate = False
    HUEY.flush()
    yield HUEY
    HUEY.flush()
    HUEY.immediate = True

"""The one test hook into store requests (`storelens.stores.client.TEST_TRANSPORT`) as a table: site → transport.

Discovery, keyed clients, the sync, the doctor and its probe of STORELENS_PUBLIC_URL all ask the hook which transport
answers a URL, so a test serves a fake store (or Storelens itself) in-process by adding one row.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import pytest

from storelens.stores import client


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL: https://h and https://h:443/x are one site, https://h:8443 another."""
    parts = urlsplit(url)
    return parts.scheme, parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


class Routes:
    """Site (any URL on it) → transport; `default` answers every other site."""

    def __init__(self) -> None:
        self.table: dict[str, httpx.AsyncBaseTransport] = {}
        self.default: httpx.AsyncBaseTransport | None = None

    def __call__(self, url: str) -> httpx.AsyncBaseTransport | None:
        for site, transport in self.table.items():
            if origin(site) == origin(url):
                return transport
        return self.default


def routes(monkeypatch: pytest.MonkeyPatch) -> Routes:
    """This test's routing table (the same one for every call within a test); undone when the test ends."""
    if isinstance(client.TEST_TRANSPORT, Routes):
        return client.TEST_TRANSPORT
    table = Routes()
    monkeypatch.setattr(client, "TEST_TRANSPORT", table)
    return table

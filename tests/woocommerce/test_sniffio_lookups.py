"""httpcore asks which async library runs for every lock it sets up (several per request): that must never search
the disk for a module (sniffio is a dependency for that reason; without it each failed import walked sys.path)."""

from __future__ import annotations

import asyncio
import importlib.machinery
from typing import Any

import pytest
from httpcore._synchronization import current_async_library

import storelens.woocommerce.client  # noqa: F401


def test_httpcore_does_not_search_the_disk_for_sniffio_on_every_request(monkeypatch: pytest.MonkeyPatch) -> None:
    searches: list[str] = []
    original = importlib.machinery.PathFinder.find_spec

    def counting(name: str, *args: Any, **kwargs: Any) -> Any:
        searches.append(name)
        return original(name, *args, **kwargs)

    monkeypatch.setattr(importlib.machinery.PathFinder, "find_spec", counting)

    async def ten_locks() -> list[str]:  # the store client runs httpx under asyncio
        return [current_async_library() for _ in range(10)]

    assert asyncio.run(ten_locks()) == ["asyncio"] * 10
    assert searches == []

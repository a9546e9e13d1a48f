from __future__ import annotations

import importlib.machinery
import importlib.util
from typing import Any

import pytest
from httpcore._synchronization import current_async_library

import storelens.woocommerce.client  # noqa: F401  (installs the negative cache)


@pytest.mark.skipif(importlib.util.find_spec("sniffio") is not None, reason="sniffio is installed: nothing to cache")
def test_httpcore_does_not_search_the_disk_for_sniffio_on_every_request(monkeypatch: pytest.MonkeyPatch) -> None:
    searches: list[str] = []
    original = importlib.machinery.PathFinder.find_spec

    def counting(name: str, *args: Any, **kwargs: Any) -> Any:
        searches.append(name)
        return original(name, *args, **kwargs)

    monkeypatch.setattr(importlib.machinery.PathFinder, "find_spec", counting)
    for _ in range(10):
        assert current_async_library() == "asyncio"
    assert searches == []

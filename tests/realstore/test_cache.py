"""The seeded-store cache shared by every clone on the machine: where it lives, one builder per key, what pruning keeps.

No store is started here: these are the rules that make sharing the cache safe for parallel builders.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from tests.realstore import cache


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "realstore"
    monkeypatch.setenv("STORELENS_REALSTORE_CACHE", str(root))
    return root


def test_the_cache_lives_outside_the_checkout_in_the_users_cache_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STORELENS_REALSTORE_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    assert cache.cache_root() == Path("/somewhere/cache/storelens/realstore")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.cache_root() == Path.home() / ".cache" / "storelens" / "realstore"
    monkeypatch.setenv("STORELENS_REALSTORE_CACHE", "/elsewhere")
    assert cache.cache_root() == Path("/elsewhere")


def test_a_second_builder_of_the_same_key_waits_for_the_first(cache_dir: Path) -> None:
    events: list[str] = []

    def build(name: str) -> None:
        with cache.building("us-2026-01-01-abc"):
            events.append(f"{name} start")
            time.sleep(0.3)
            events.append(f"{name} end")

    threads = [threading.Thread(target=build, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    assert events == ["a start", "a end", "b start", "b end"]


def test_builders_of_different_keys_run_at_the_same_time(cache_dir: Path) -> None:
    inside = threading.Barrier(2, timeout=5)  # broken (an error) unless both are inside their lock at once

    def build(key: str) -> None:
        with cache.building(key):
            inside.wait()

    threads = [threading.Thread(target=build, args=(key,)) for key in ("us-2026-01-01-abc", "eu-2026-01-01-abc")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not inside.broken


def test_pruning_drops_other_days_and_keeps_recent_entries_of_other_clones(cache_dir: Path) -> None:
    today = cache.today()
    hour_ago = time.time() - 3600
    names = [f"us-{today}-{n:016x}" for n in range(6)] + [f"eu-{today}-{0:016x}", "us-2000-01-01-0000000000000000"]
    for age, name in enumerate(names):
        (cache_dir / name).mkdir(parents=True)
        os.utime(cache_dir / name, (hour_ago - age, hour_ago - age))
    # the new entry and the three most recently used stay; one used a moment ago by another run is among them
    os.utime(cache_dir / f"us-{today}-{5:016x}")

    cache.prune(f"us-{today}-new")

    assert sorted(p.name for p in cache_dir.iterdir()) == sorted(
        [f"us-{today}-{n:016x}" for n in (0, 1, 5)] + [f"eu-{today}-{0:016x}"]
    )

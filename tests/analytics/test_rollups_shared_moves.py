"""The daily and per-country listeners share one page's contributions instead of computing them twice."""

from __future__ import annotations

from datetime import UTC
from types import SimpleNamespace
from typing import Any

import pytest

from storelens.analytics import rollups
from storelens.analytics.country_rollups import CountryDeltas


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []
    real = rollups._compute_moves

    def counting(*args: Any) -> list[Any]:
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(rollups, "_compute_moves", counting)
    monkeypatch.setattr(rollups, "_shared", rollups._Shared())
    return calls


def test_a_page_is_computed_once_for_the_daily_and_the_country_cells(computed: list[tuple[Any, ...]]) -> None:
    source, orders, refunds = SimpleNamespace(pk=1), [], []
    rollups.deltas_for(source, UTC, orders, refunds)
    rollups.deltas_for(source, UTC, orders, refunds, CountryDeltas())
    assert len(computed) == 1


def test_the_same_kind_asking_again_or_another_page_recomputes(computed: list[tuple[Any, ...]]) -> None:
    source, orders, refunds = SimpleNamespace(pk=1), [], []
    rollups.deltas_for(source, UTC, orders, refunds)
    rollups.deltas_for(source, UTC, orders, refunds)  # a replay may follow a change of the rows: never stale
    rollups.deltas_for(source, UTC, [], refunds, CountryDeltas())  # another page (other list objects)
    rollups.deltas_for(SimpleNamespace(pk=2), UTC, orders, refunds, CountryDeltas())  # another store
    assert len(computed) == 4

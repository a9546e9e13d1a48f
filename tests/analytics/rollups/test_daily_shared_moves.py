"""The daily and per-country cells are written by one listener from one computation of a page's contributions."""

from __future__ import annotations

from datetime import UTC
from types import SimpleNamespace
from typing import Any

import pytest

from storelens.analytics.rollups import daily
from storelens.analytics.rollups.cells import CountryDeltas
from storelens.analytics.rollups.daily import deltas_for, on_changes


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []
    real = daily.compute_moves

    def counting(*args: Any) -> list[Any]:
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(daily, "compute_moves", counting)
    return calls


@pytest.mark.django_db
def test_a_page_is_computed_once_for_the_daily_and_the_country_cells(computed: list[tuple[Any, ...]]) -> None:
    store = SimpleNamespace(pk=1, timezone_string="UTC", gmt_offset=0)
    on_changes(store, [], [])
    assert len(computed) == 1


def test_asking_again_recomputes_so_a_replay_after_a_change_of_the_rows_is_never_stale(
    computed: list[tuple[Any, ...]],
) -> None:
    store, orders, refunds = SimpleNamespace(pk=1), [], []
    deltas_for(store, UTC, orders, refunds)
    deltas_for(store, UTC, orders, refunds, CountryDeltas())
    assert len(computed) == 2

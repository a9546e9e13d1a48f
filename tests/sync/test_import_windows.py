"""The import's order windows: sized to the store's history, so a small store's import is a few requests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from storelens.sync import history
from storelens.sync.api import run_sync
from storelens.sync.models import ImportWindow

from .conftest import FAST_RETRIES, HOME, make_fake, make_store
from .equality import assert_copy_equals_store

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, tzinfo=UTC)


def test_a_busy_store_keeps_thirty_day_windows() -> None:
    # 10,000 orders over two years: a month holds ~4 pages.
    assert history._window_span(NOW - timedelta(days=730), NOW, 10_000, 100) == timedelta(days=history.WINDOW_DAYS)


def test_a_sparse_store_gets_windows_expected_to_fill_one_page() -> None:
    # The real US store's rate: 268 orders over ~510 days is ~0.53 a day, so a page is ~191 days of history.
    assert history._window_span(NOW - timedelta(days=510), NOW, 268, 100) == timedelta(days=191)
    # The Connector's 500-order pages: five times as long.
    assert history._window_span(NOW - timedelta(days=510), NOW, 268, 500) == timedelta(days=952)


def test_a_store_without_orders_keeps_thirty_day_windows() -> None:
    assert history._window_span(NOW, NOW, 0, 100) == timedelta(days=history.WINDOW_DAYS)


def test_a_small_stores_year_is_planned_in_a_few_windows_and_imported_exactly(
    workspace: Any, serve_in_process: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """150 orders over a year: 30-day windows would be 13 requests for the orders alone (each paying WordPress's
    bootstrap for a handful of rows); windows of about a page make it the last 30 days, two or three older
    windows and the trash."""
    fake = make_fake(150, seed=4)
    serve_in_process[HOME] = fake
    store = make_store(workspace, fake)
    planned: list[ImportWindow] = []
    plan = history._plan_import

    def spy(*args: Any, **kwargs: Any) -> None:
        plan(*args, **kwargs)
        planned.extend(ImportWindow.objects.filter(store=store).order_by("priority"))

    monkeypatch.setattr(history, "_plan_import", spy)
    result = run_sync(store.pk, client_options=FAST_RETRIES)
    assert result.ran
    orders = [w for w in planned if w.resource == "orders"]
    assert 3 <= len(orders) <= 6, [(w.after, w.before, w.status) for w in orders]
    assert orders[0].after is not None and orders[0].before - orders[0].after <= timedelta(days=31)  # newest first
    assert orders[-1].status == "trash"
    assert_copy_equals_store(store, fake.store)


def _recording(fake: Any) -> list[str]:
    """Every request the fake answers, as `path?query`, in arrival order."""
    app = fake.app
    seen: list[str] = []

    async def recording(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            seen.append(f"{scope['path']}?{scope['query_string'].decode()}")
        await app(scope, receive, send)

    recording.store = app.store  # type: ignore[attr-defined]
    fake.app = recording
    return seen


def test_an_exact_pass_spends_no_count_requests_before_its_census(workspace: Any, serve_in_process: dict) -> None:
    """The two one-row count requests look for hard deletes in a plain incremental pass; an exact pass's census
    lists every id anyway (and finds them), so it does without them."""
    fake = make_fake(120, seed=6)
    serve_in_process[HOME] = fake
    store = make_store(workspace, fake)
    run_sync(store.pk, client_options=FAST_RETRIES)
    seen = _recording(fake)
    shop = fake.store
    victim = next(o for o in list(shop.orders.ids) if shop.orders.exists(o) and shop.order(o)["status"] == "completed")
    shop.delete_order(victim)
    run_sync(store.pk, exact=True, client_options=FAST_RETRIES)
    counts = [r for r in seen if "per_page=1&" in r + "&" and "_fields=id&" in r + "&"]
    assert counts == [], counts
    assert any("_fields=id%2Cdate_modified_gmt%2Cstatus" in r for r in seen)  # the census ran
    assert_copy_equals_store(store, fake.store)
    seen.clear()
    run_sync(store.pk, exact=False, client_options=FAST_RETRIES)
    assert len([r for r in seen if "per_page=1" in r and "_fields=id&" in r + "&"]) == 2  # a plain pass counts

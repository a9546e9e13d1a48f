"""A sync pass that ends while a cohort refresh is reading the orders leaves the cells stale, not falsely fresh:
the cells were counted without its orders, and the job that pass queued must recount them (helper-A's finding)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.models import CohortSnapshot
from storelens.analytics.reports.breakdowns import new_and_returning_over_time
from storelens.analytics.reports.customer_counts import new_and_returning_from_orders
from storelens.analytics.rollups import cohorts, snapshots
from storelens.commerce import upsert_orders
from tests.analytics.payloads import order_payload
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db


def test_a_pass_ending_during_a_cohort_refresh_leaves_the_cells_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    store, _ = make_shops(Workspace.objects.create(name="Race"))
    snapshots.refresh(store)
    real = cohorts.compute_cells

    def racing(s: Any, settings: Any) -> Any:
        cells = real(s, settings)  # the refresh has read the orders ...
        new = order_payload(90, created="2025-02-12T15:00:00", paid="2025-02-12T15:00:00", email="new@x.org")
        upsert_orders(s, [new])
        snapshots.refresh_if_stale(s)  # ... and a pass's page and its end commit before it writes
        return cells

    monkeypatch.setattr(cohorts, "compute_cells", racing)
    cohorts.refresh(store)
    assert cohorts.is_stale(store, CohortSnapshot.objects.get(store=store))
    february = new_and_returning_over_time([store], date(2025, 2, 1), date(2025, 2, 28), "month")[0]
    raw = new_and_returning_from_orders(store, report_settings(store), date(2025, 2, 1), date(2025, 2, 28))
    assert (february.new, february.returning) == raw == (2, 0)
    monkeypatch.setattr(cohorts, "compute_cells", real)
    assert cohorts.refresh_if_stale(store) is not None  # the queued job recounts them
    assert not cohorts.is_stale(store, CohortSnapshot.objects.get(store=store))

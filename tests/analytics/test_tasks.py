"""The cohort refresh a sync pass queues: it computes the cells once, a second job finds them fresh, and a store
removed meanwhile is skipped (the tests' queue runs jobs at once)."""

from __future__ import annotations

from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.analytics.models import CohortCell, CohortSnapshot
from storelens.analytics.rollups.snapshots import refresh
from storelens.analytics.tasks import refresh_cohorts
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db


def test_a_queued_refresh_computes_the_cells_once_and_skips_a_removed_store(alice: Any) -> None:
    ny, _ = make_shops(Workspace.objects.get(name="Alice's Shop"))
    refresh(ny)  # the pass end's customer snapshot: customers moved
    assert refresh_cohorts(ny.pk)() == "refreshed"
    assert CohortSnapshot.objects.get(store=ny).customers == 2  # ann and cy (paid basis)
    assert CohortCell.objects.filter(store=ny, grain="month", dimension="", period=0).count() == 2
    assert refresh_cohorts(ny.pk)() == "fresh"
    refresh(ny)  # another pass moved customers
    assert refresh_cohorts(ny.pk)() == "refreshed"
    pk = ny.pk
    ny.delete()
    assert refresh_cohorts(pk)() == "gone"

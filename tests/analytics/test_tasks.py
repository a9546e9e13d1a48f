"""The cohort and MRR refreshes a sync pass queues: each computes its cells once, a second job finds them fresh, and
a store removed meanwhile is skipped (the tests' queue runs jobs at once)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from storelens.accounts.models import Workspace
from storelens.analytics.models import CohortCell, CohortSnapshot
from storelens.analytics.rollups.cohorts import PACE, PACE_FROM_S
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


def test_a_slow_refresh_is_paced_and_queued_once_for_when_it_may_run(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A refresh that took a minute (a large store) is not run again within ten minutes of it: the job is queued
    for then, once, however many passes end meanwhile; cells counted with other settings are never held back."""
    ny, _ = make_shops(Workspace.objects.get(name="Alice's Shop"))
    refresh(ny)
    assert refresh_cohorts(ny.pk)() == "refreshed"
    snapshot = CohortSnapshot.objects.get(store=ny)
    assert 0 < snapshot.seconds < PACE_FROM_S and snapshot.deferred_until is None
    CohortSnapshot.objects.filter(store=ny).update(seconds=60)  # as if the store were large
    assert refresh_cohorts(ny.pk)() == "fresh"  # nothing moved: nothing to pace
    refresh(ny)  # a pass moved customers
    before = CohortSnapshot.objects.get(store=ny)
    with django_capture_on_commit_callbacks(execute=True):  # the job runs outside a transaction: at once
        assert refresh_cohorts(ny.pk)() == "deferred"
    deferred = CohortSnapshot.objects.get(store=ny)
    assert deferred.deferred_until == before.computed_at + timedelta(seconds=60 * PACE)
    assert deferred.computed_at == before.computed_at  # the cells were not recounted
    scheduled = HUEY.scheduled()
    assert [t.args for t in scheduled if t.name.endswith("refresh_cohorts")] == [(ny.pk,)]
    assert abs((scheduled[-1].eta - deferred.deferred_until.replace(tzinfo=None)).total_seconds()) < 1
    refresh(ny)  # another pass: no second job
    with django_capture_on_commit_callbacks(execute=True):
        assert refresh_cohorts(ny.pk)() == "deferred"
    assert len([t for t in HUEY.scheduled() if t.name.endswith("refresh_cohorts")]) == 1
    # The time has come (the queued job runs): recounted, and the deferral cleared.
    CohortSnapshot.objects.filter(store=ny).update(computed_at=timezone.now() - timedelta(seconds=60 * PACE + 1))
    assert refresh_cohorts(ny.pk)() == "refreshed"
    assert CohortSnapshot.objects.get(store=ny).deferred_until is None
    # The owner changes how the store counts: recounted at once, however slow the last refresh was.
    CohortSnapshot.objects.filter(store=ny).update(seconds=60, settings_key="another basis")
    assert refresh_cohorts(ny.pk)() == "refreshed"


@pytest.fixture(autouse=True)
def _empty_schedule() -> Iterator[None]:
    HUEY.storage.flush_schedule()
    yield
    HUEY.storage.flush_schedule()


def test_the_mrr_refresh_runs_after_a_subscription_write_or_a_time_zone_change_only(alice: Any) -> None:
    from storelens.analytics.models import MrrSnapshot
    from storelens.analytics.tasks import refresh_subscription_mrr
    from storelens.commerce import upsert_subscriptions

    ny, _ = make_shops(Workspace.objects.get(name="Alice's Shop"))
    sub = {"id": 5, "status": "active", "billing_period": "month", "total": "9.00", "customer_id": 2}
    upsert_subscriptions(ny, [{**sub, "start_date_gmt": "2025-03-01T00:00:00"}])
    assert refresh_subscription_mrr(ny.pk)() == "refreshed"  # none yet
    assert refresh_subscription_mrr(ny.pk)() == "fresh"
    upsert_subscriptions(ny, [{**sub, "start_date_gmt": "2025-03-02T00:00:00"}])
    assert refresh_subscription_mrr(ny.pk)() == "refreshed"
    assert MrrSnapshot.objects.get(store=ny).mrr_minor == 900
    ny.timezone_string = "Europe/Paris"
    ny.save()
    assert refresh_subscription_mrr(ny.pk)() == "refreshed"
    assert MrrSnapshot.objects.get(store=ny).tz_key == "Europe/Paris"
    pk = ny.pk
    ny.delete()
    assert refresh_subscription_mrr(pk)() == "gone"

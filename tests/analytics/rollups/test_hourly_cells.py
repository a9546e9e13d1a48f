"""Hourly rollups (the Sales heatmap's cells) kept by the change feed answer exactly what the raw rows answer per
weekday and store-local hour, after random writes the sync can make (status and date moves, refunds before their
orders, deletions, a DST night), and the incremental cells equal a rebuild. Their hours add up to the daily cells."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.orders import contributions
from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.models import HourlyRollup
from storelens.analytics.reports.cells import daily
from storelens.analytics.reports.heatmap import heatmap
from storelens.analytics.rollups.rebuild import rebuild, rebuild_hours
from storelens.analytics.rollups.rows import raw_rows
from storelens.stores.models import Store
from storelens.stores.reporting import DateBasis
from storelens.stores.zones import store_timezone
from tests.analytics.rollups.test_country_cells import FIRST_DAY, LAST_DAY, delete_op, order_op, refund_op, run

pytestmark = pytest.mark.django_db(transaction=False)
LAST = LAST_DAY + timedelta(days=3)


def raw_heatmap(store: Store, report: ReportSettings, metric: str) -> list[list[int]]:
    """The definitions over the raw rows, bucketed by the local weekday and hour of each contribution."""
    orders, refunds = raw_rows(store)
    out = [[0] * 24 for _ in range(7)]
    for c in contributions(orders, refunds, report.date_basis, report.tz):
        if FIRST_DAY <= c.day <= LAST and c.status not in report.all_excluded:
            out[c.day.weekday()][c.hour] += c.totals.orders if metric == "orders" else c.totals.net_sales
    return out


def cells(store: Store) -> dict[tuple, tuple[int, int]]:
    return {
        (r.basis, r.day, r.hour, r.currency, r.status): (r.orders, r.net_sales_minor)
        for r in HourlyRollup.objects.filter(store=store)
        if r.orders or r.net_sales_minor
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ops=st.lists(st.one_of(order_op, refund_op, delete_op), min_size=1, max_size=14),
    basis=st.sampled_from(list(DateBasis)),
    metric=st.sampled_from(["orders", "net_sales"]),
)
def test_hourly_rollups_equal_the_raw_rows_per_weekday_and_hour_after_random_writes(
    ops: list[tuple], basis: DateBasis, metric: str
) -> None:
    with transaction.atomic():
        store = Store.objects.create(
            workspace=Workspace.objects.create(name="Prop"), currency="USD", timezone_string="America/New_York"
        )
        run(store, ops)
        report = ReportSettings(tz=store_timezone("America/New_York"), date_basis=basis)
        answer = heatmap([store], FIRST_DAY, LAST, metric=metric, date_basis=basis.value)
        assert answer.values == raw_heatmap(store, report, metric)
        # The hours of the range add up to its days.
        days = daily(store, report, FIRST_DAY, LAST)
        assert answer.total == sum(t.orders if metric == "orders" else t.net_sales for t in days.values())
        incremental = cells(store)
        rebuild(store)
        assert incremental == cells(store)
        rebuild_hours(store)
        assert incremental == cells(store)
        transaction.set_rollback(True)


def test_a_dst_night_puts_each_order_in_the_hour_the_stores_clock_showed(db: None) -> None:
    store = Store.objects.create(
        workspace=Workspace.objects.create(name="One"), currency="USD", timezone_string="America/New_York"
    )
    # T0 is 2025-03-06 00:00 UTC; New York springs forward on 2025-03-09 at 2 am (07:00 UTC).
    run(
        store,
        [
            ("order", 1, "completed", "US", 78, None, 1000, 0),  # 06:00 UTC = 1 am EST, a Sunday
            ("order", 2, "completed", "US", 79, None, 2000, 0),  # 07:00 UTC = 3 am EDT (2 am never happened)
            ("refund", 100, 2, 80, 500),  # 08:00 UTC = 4 am EDT
        ],
    )
    orders = heatmap([store], FIRST_DAY, LAST, date_basis="created")
    sunday = orders.values[6]
    assert (sunday[1], sunday[2], sunday[3]) == (1, 0, 1)
    net = heatmap([store], FIRST_DAY, LAST, metric="net_sales", date_basis="created")
    assert (net.values[6][3], net.values[6][4]) == (2000, -500)
    assert net.peak == (6, 3, 2000)

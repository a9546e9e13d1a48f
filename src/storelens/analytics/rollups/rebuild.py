"""The one rebuild: every rollup of a store recomputed from its raw rows, in one transaction.

The repair path (after a time-zone change, after rows were seeded straight into the tables, or when a bookkeeping bug
is suspected): daily, per-country, hourly and breakdown cells, each customer's cells and the customer snapshot, the
per-product cells, the product page's buyer and pair cells and the cohort cells. The change-feed listeners keep the
same cells in step page by page; the property tests check that both ways give the same cells.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from storelens.analytics.models import (
    TOTALS_COLUMNS,
    BreakdownDailyRollup,
    CountryDailyRollup,
    DailyRollup,
    HourlyRollup,
)
from storelens.analytics.rollups import cohorts, customers, product_orders, product_rebuild
from storelens.analytics.rollups.breakdowns import BreakdownDeltas, apply_breakdowns
from storelens.analytics.rollups.cells import apply
from storelens.analytics.rollups.daily import rebuild_deltas
from storelens.analytics.rollups.hours import apply_hours


def rebuild(store: Any, chunk: int = 5000) -> int:
    """Recompute every rollup cell of a store (daily, per country, per customer with the snapshot, per product).
    Returns the daily cell count."""
    by_value = BreakdownDeltas()
    deltas, by_country, by_hour = rebuild_deltas(store, chunk=chunk, extra=(by_value,))
    cells = deltas.nonzero()
    with transaction.atomic():
        customers.rebuild(store)
        product_rebuild.rebuild(store)
        product_orders.rebuild(store)
        DailyRollup.objects.filter(store=store).delete()
        DailyRollup.objects.bulk_create(
            [
                DailyRollup(
                    store=store,
                    basis=basis,
                    day=day,
                    currency=currency,
                    status=status,
                    **{column: getattr(t, name) for name, column in TOTALS_COLUMNS.items()},
                )
                for (basis, day, currency, status), t in cells.items()
            ],
            batch_size=1000,
        )
        CountryDailyRollup.objects.filter(store=store).delete()
        apply(store, by_country, model=CountryDailyRollup)
        HourlyRollup.objects.filter(store=store).delete()
        apply_hours(store, by_hour)
        BreakdownDailyRollup.objects.filter(store=store).delete()
        apply_breakdowns(store, by_value)
        cohorts.refresh(store)
    return len(cells)


def rebuild_hours(store: Any) -> None:
    """Only the hourly cells of a store from its raw rows: what the migration that added them runs per store."""
    _, _, by_hour = rebuild_deltas(store)
    with transaction.atomic():
        HourlyRollup.objects.filter(store=store).delete()
        apply_hours(store, by_hour)


def rebuild_breakdowns(store: Any) -> None:
    """Only the breakdown cells of a store from its raw rows: what the migration that added them runs per store."""
    by_value = BreakdownDeltas()
    rebuild_deltas(store, extra=(by_value,))
    with transaction.atomic():
        BreakdownDailyRollup.objects.filter(store=store).delete()
        apply_breakdowns(store, by_value)

"""New and returning customers of whole weeks and months, read from the cohort cells (`rollups.cohorts`).

Why: counting them from the orders costs a read of the range's orders (a second a year at 150k orders a year), while
the cells already hold, per cohort (the period of a customer's first counted order) and period k since, the
distinct customers of that cohort who ordered in period k. So for a whole period M, with the cells of every customer
(dimension ""), summed over currencies and countries (a customer is counted once per period, in one currency, under
one country):

- new(M) = the customers of cohort M in its period 0: their first counted order ever is in M, and they ordered in M;
- returning(M) = the customers of every earlier cohort c in the period k of c that is M: they ordered in M, and
  their first counted order is before it.

That is `metrics.ranges.new_and_returning` for M: the same counted orders (live, with a customer and a date on the
basis, no excluded status), a customer per store, the store-local day of `timezones.local_day` (which
`range_bounds_utc` agrees with in every zone), and weeks from Monday as `metrics.periods.bucket` cuts them.

The cells answer only when that is exactly the question: computed for these settings, which must be the store's own
(a report overriding the date basis or the excluded statuses counts other orders), and only for whole periods ending
before the earliest order date a change touched since they were read (`rollups.cohorts.exact_before`: every period
when no customer moved; it needs a customer snapshot to judge by: without one, nothing says the cells are current).
A large store's cells are recounted at a pace, not after every pass, so they are mostly behind by a few new orders:
the past periods still come from them, the last ones from the orders. The
cells do not record the zone they were cut in; the store's zone changes only with a rebuild, which recomputes them.
A period the range cuts (its first or last) is not a cell period: the caller counts it from the orders.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import Sum

from storelens.analytics.metrics.cohorts import nth_period_start, period_start
from storelens.analytics.metrics.report_settings import ReportSettings, report_settings
from storelens.analytics.models import CohortCell, CohortSnapshot, CustomerSnapshot
from storelens.analytics.rollups.cohorts import ALL, exact_before
from storelens.analytics.rollups.snapshots import settings_key


def cells_exact_before(store: Any, settings: ReportSettings) -> date | None:
    """The store-local day before which the store's cohort cells count exactly the customers `settings` asks for
    (`date.max`: every day), or None when they cannot answer at all (module doc)."""
    key = settings_key(settings)
    if key != settings_key(report_settings(store)):
        return None
    snapshot = CohortSnapshot.objects.filter(store=store).first()
    if snapshot is None or snapshot.settings_key != key or not CustomerSnapshot.objects.filter(store=store).exists():
        return None
    return exact_before(store, snapshot, settings.tz)


def is_whole(first: date, last: date, grain: str) -> bool:
    """Whether `first`..`last` is one whole week (Monday to Sunday) or calendar month."""
    return period_start(first, grain) == first and last == nth_period_start(first, 1, grain) - timedelta(days=1)


def whole_period_counts(
    store: Any, settings: ReportSettings, periods: Sequence[tuple[date, date]], grain: str
) -> dict[int, tuple[int, int]]:
    """(new, returning) of each whole period of `periods` (by index) that the cells answer exactly, from one grouped
    read of them; empty when they cannot (`cells_exact_before`) or no such period is whole."""
    before = cells_exact_before(store, settings)
    if before is None:
        return {}
    whole = {a: i for i, (a, b) in enumerate(periods) if is_whole(a, b, grain) and b < before}
    if not whole:
        return {}
    counts = {i: [0, 0] for i in whole.values()}
    cells = CohortCell.objects.filter(store=store, grain=grain, dimension=ALL[0], value=ALL[1], cohort__lte=max(whole))
    for cohort, k, customers in cells.values_list("cohort", "period").annotate(n=Sum("customers")).order_by():
        i = whole.get(nth_period_start(cohort, k, grain))
        if i is not None:
            counts[i][0 if k == 0 else 1] += int(customers or 0)
    return {i: (n, r) for i, (n, r) in counts.items()}

"""The counted-order rule and a local-day range as SQL filters on orders: the same rule `metrics.orders` applies in
Python (`is_counted`), for the readers that answer from raw rows (a product filter, drill-down, the raw side of the
benchmarks and property tests).

Local days become one UTC interval (`metrics.timezones.range_bounds_utc`), so "in range" means exactly what it means
for the rollups.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from storelens.analytics.metrics.orders import DATE_FIELD
from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.metrics.timezones import range_bounds_utc


def counted_orders(store: Any, settings: ReportSettings, prefix: str = "") -> Q:
    """The counted-order rule as a Q on Order (or on a relation to it, with `prefix` like "order__")."""
    column = DATE_FIELD[settings.date_basis]
    return Q(**{f"{prefix}store": store, f"{prefix}deleted_at__isnull": True, f"{prefix}{column}__isnull": False}) & ~Q(
        **{f"{prefix}status__in": sorted(settings.all_excluded)}
    )


def in_range(settings: ReportSettings, first: date, last: date, prefix: str = "") -> Q:
    """Dated on the basis within the local days `first`..`last` (both included), as a Q on Order (or a relation)."""
    column = DATE_FIELD[settings.date_basis]
    start, end = range_bounds_utc(first, last, settings.tz)
    return Q(**{f"{prefix}{column}__gte": start, f"{prefix}{column}__lt": end})

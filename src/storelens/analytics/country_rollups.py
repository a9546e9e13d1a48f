"""Daily rollups split by billing country, for the Sales page's country filter.

The same contributions as `rollups` (so a country's cells add up to exactly the daily cells of its orders), keyed
one level finer. Why a rollup and not a filtered raw query: a country filter over a range would otherwise read every
matching order of the range (tens of thousands at a million orders) into Python to bucket them by store-local day,
which no index makes fast; the cells answer in one indexed SUM whatever the history size.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction

from storelens.analytics import queries, rollups
from storelens.analytics.definitions import ALWAYS_EXCLUDED, Contribution, DateBasis, ReportSettings, Totals
from storelens.analytics.models import CountryDailyRollup
from storelens.analytics.timezones import store_timezone


class CountryDeltas(rollups.Deltas):
    """Deltas keyed by (basis, country, day, currency, status): the columns of `CountryDailyRollup`'s cell."""

    KEY_COLUMNS = ("basis", "country", "day", "currency", "status")

    def key(self, basis: DateBasis, c: Contribution) -> tuple[Any, ...]:
        return (basis.value, c.country, c.day, c.currency, c.status)


def rebuild(source: Any, models: Any = None, chunk: int = 5000) -> int:
    """Recompute a source's country cells from its raw rows; returns the cell count.

    `rollups.rebuild` builds these cells in its own pass over the rows (with the daily cells); this one is for the
    migration that adds the table, which fills it for the stores already synced (`models`: the migration's historical
    Order, Refund and CountryDailyRollup, in that order). Without it an upgraded install would show zero for every
    country until a repair.
    """
    from storelens.analytics.definitions import order_contribution, refund_contribution
    from storelens.analytics.rows import ORDER_FIELDS, REFUND_FIELDS, order_row_from_values, refund_row_from_values

    if models is None:
        from storelens.commerce.models import Order, Refund

        models = (Order, Refund, CountryDailyRollup)
    order_model, refund_model, cell_model = models
    tz = store_timezone(source.timezone_string, source.gmt_offset)
    deltas = CountryDeltas()
    refunded = set(refund_model.objects.filter(source=source).values_list("parent_wc_id", flat=True))
    parents = {}
    for v in order_model.objects.filter(source=source).values(*ORDER_FIELDS).iterator(chunk_size=chunk):
        order = order_row_from_values(v)
        for basis in DateBasis:
            deltas.add(basis, order_contribution(order, basis, tz), +1)
        if order.id in refunded:
            parents[order.id] = order
    # A migration's historical Refund may predate a field (commerce 0006's full_refund): read those it has.
    names = {f.name for f in refund_model._meta.get_fields()}
    fields = [f for f in REFUND_FIELDS if f.split("__")[0] in names]
    for v in refund_model.objects.filter(source=source).values(*fields).iterator(chunk_size=chunk):
        refund = refund_row_from_values(v)
        for basis in DateBasis:
            deltas.add(basis, refund_contribution(refund, parents.get(refund.order_id), basis, tz), +1)
    with transaction.atomic():
        cell_model.objects.filter(source=source).delete()
        rollups.apply(source, deltas, model=cell_model)
    return len(deltas.nonzero())


def country_daily(
    source: Any, settings: ReportSettings, first: date, last: date, country: str, statuses: Sequence[str] = ()
) -> dict[date, Totals]:
    """Per local day, the totals of the counted orders billed to `country` and of their refunds (only `statuses`
    when given, the owner's excluded ones included as the Sales status filter does; the always-excluded ones never).
    The same days and numbers `filtered_daily` computes from raw rows."""
    qs = CountryDailyRollup.objects.filter(
        source=source,
        basis=settings.date_basis.value,
        country=country.upper(),
        day__gte=first,
        day__lte=last,
    )
    if statuses:
        qs = qs.filter(status__in=sorted(set(statuses) - ALWAYS_EXCLUDED))
    else:
        qs = qs.exclude(status__in=sorted(settings.all_excluded))
    rows = qs.values("day").annotate(**queries._sums()).order_by("day")
    return {row["day"]: queries._totals(row) for row in rows}

"""The orders list page's rows: filtered, sorted and paged in SQL, with a count that stays cheap at a million orders.

Why keyset pages: `OFFSET n` makes the database walk and throw away n rows, so page 800 of a year's orders cost as
much as reading them all; a cursor (the last row's sort value and id) starts the next page right where the previous
one ended, through the index that matches the sort.

Why the count comes from the rollups: an exact `COUNT(*)` over a range reads every order in it (tens of thousands of
heap rows at a million orders; 0.5 s on a cold PostgreSQL). Without a search, every order of the list is either in a
created-basis rollup cell (not deleted, not an always-excluded status), or deleted, or in an always-excluded status;
the first part is a SUM over a few hundred cells and the other two are small indexed counts, so the count stays
exact. A free-text search has no rollup: its count is exact up to `SEARCH_COUNT_CAP` and shown as "1,000+" above.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import CharField, DateTimeField, Func, Q, QuerySet, Sum

from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.metrics.timezones import range_bounds_utc
from storelens.analytics.reports.order_search import search_filter
from storelens.stores.reporting import ALWAYS_EXCLUDED, DateBasis

# sort option → (column, descending)
SORT_KEYS: dict[str, tuple[str, bool]] = {
    "date": ("created_at", True),
    "-date": ("created_at", False),
    "total": ("total_minor", True),
    "-total": ("total_minor", False),
    "number": ("wc_id", True),
    "-number": ("wc_id", False),
}
ORDER_SORTS = {name: ("-" if desc else "") + column for name, (column, desc) in SORT_KEYS.items()}
SEARCH_COUNT_CAP = 1000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class _Unindexed(Func):
    """SQLite's unary + on a column: the same value, but the planner will not use an index for the comparison."""

    template = "+%(expressions)s"
    output_field = DateTimeField()


def _ranges(stores: Sequence[Any], first: date, last: date) -> list[tuple[Any, datetime, datetime]]:
    out = []
    for store in stores:
        s = report_settings(store, date_basis=DateBasis.CREATED)
        start, end = range_bounds_utc(first, last, s.tz)
        out.append((store, start, end))
    return out


def orders_list(
    stores: Sequence[Any],
    first: date,
    last: date,
    search: str = "",
    statuses: Sequence[str] = (),
    country: str = "",
    sort: str = "date",
) -> QuerySet:
    """Every order created in the range (whatever its status: a list is for finding orders, not for totals),
    filtered and sorted (ties by id, so the order is total and a cursor is unambiguous). Dates are the stores' own
    local days of `date_created`."""
    from storelens.commerce.models import Order

    column, desc = SORT_KEYS.get(sort, SORT_KEYS["date"])
    created = "created_at"
    qs = Order.objects.all()
    ranges = _ranges(stores, first, last)
    matches, by_id = search_filter(stores, ranges, search) if search else (Q(), False)
    if column != "created_at" and connection.vendor == "sqlite":
        # SQLite (without statistics) reads the range through the date index and sorts all of it (0.3 s for a
        # month at a million orders); a unary + keeps it off that index, so it walks the sort's own index and stops
        # after a page (2 ms). PostgreSQL weighs both plans with its statistics.
        qs, created = qs.alias(created_unindexed=_Unindexed("created_at")), "created_unindexed"
    if by_id:
        # The search's ids are already the stores' orders of the range: read by primary key, not by walking the
        # range (which SQLite would do for the date sort, 10-150 ms), and sorted in memory (at most 1,000 rows).
        qs = qs.filter(matches)
    else:
        q = Q(pk__in=[])
        for store, start, end in ranges:
            q |= Q(store=store, **{f"{created}__gte": start, f"{created}__lt": end})
        qs = qs.filter(q & matches)
    qs = qs.select_related("store", "customer")
    if statuses:
        qs = qs.filter(status__in=list(statuses))
    if country:
        qs = qs.filter(billing_country=country.upper())
    return qs.order_by(f"-{column}" if desc else column, "-pk" if desc else "pk")


# --- the count ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderCount:
    value: int
    exact: bool  # False: at least `value` (a search's count stops at SEARCH_COUNT_CAP)


def order_count(
    stores: Sequence[Any],
    first: date,
    last: date,
    search: str = "",
    statuses: Sequence[str] = (),
    country: str = "",
    page: OrderPage | None = None,
) -> OrderCount:
    """How many orders `orders_list` holds: exact without a search (from the rollups, see the module docstring),
    exact up to `SEARCH_COUNT_CAP` with one. Given the list's `page`, when that page is the whole list (nothing
    before it, nothing after it) its rows are the count: a search that finds a few orders is not run a second time."""
    if page is not None and page.whole_list:
        return OrderCount(len(page.rows), True)
    if search:
        qs = orders_list(stores, first, last, search, statuses, country).order_by()
        found = len(qs.values_list("pk", flat=True)[: SEARCH_COUNT_CAP + 1])
        return OrderCount(min(found, SEARCH_COUNT_CAP), found <= SEARCH_COUNT_CAP)
    from storelens.analytics.models import CountryDailyRollup, DailyRollup
    from storelens.commerce.models import Order

    wanted = set(statuses)
    total = 0
    for store, start, end in _ranges(stores, first, last):
        model = CountryDailyRollup if country else DailyRollup
        cells = model.objects.filter(store=store, basis=DateBasis.CREATED.value, day__gte=first, day__lte=last)
        if country:
            cells = cells.filter(country=country.upper())
        if wanted:
            cells = cells.filter(status__in=sorted(wanted))
        total += cells.aggregate(n=Sum("orders"))["n"] or 0
        # What no cell holds: deleted orders (partial index) and live ones in an always-excluded status.
        outside = Order.objects.filter(store=store, created_at__gte=start, created_at__lt=end)
        if country:
            outside = outside.filter(billing_country=country.upper())
        deleted = outside.filter(deleted_at__isnull=False)
        if wanted and connection.vendor == "sqlite":
            # SQLite would read every order of the range in these statuses through (store, status, created_at)
            # (144 ms for a year of 200k orders, `completed`); kept off that index, it walks the deleted orders'
            # partial index (a few rows). PostgreSQL weighs both plans with its statistics.
            deleted = deleted.alias(status_unindexed=_Unindexed("status", output_field=CharField()))
            deleted = deleted.filter(status_unindexed__in=sorted(wanted))
        elif wanted:
            deleted = deleted.filter(status__in=sorted(wanted))
        total += deleted.count()
        live_excluded = (wanted & ALWAYS_EXCLUDED) if wanted else ALWAYS_EXCLUDED
        if live_excluded:
            total += outside.filter(deleted_at__isnull=True, status__in=sorted(live_excluded)).count()
    return OrderCount(total, True)


# --- keyset pages ------------------------------------------------------------------------------------------------


@dataclass
class OrderPage:
    rows: list[Any]
    next_cursor: str  # "" on the last page
    previous_cursor: str  # "" on the first page
    whole_list: bool = False  # the first page, and nothing after it: its rows are the whole list


def _sort_value(order: Any, column: str) -> int:
    value = getattr(order, column)
    if isinstance(value, datetime):
        return (value - EPOCH) // timedelta(microseconds=1)
    return int(value)


def _from_cursor_value(column: str, value: int) -> Any:
    return EPOCH + timedelta(microseconds=value) if column == "created_at" else value


def cursor_of(order: Any, sort: str) -> str:
    """A page boundary as text safe in a URL: the row's sort value (datetimes in µs since 1970) and its id."""
    column, _ = SORT_KEYS.get(sort, SORT_KEYS["date"])
    return f"{_sort_value(order, column)}_{order.pk}"


def _parse(cursor: str) -> tuple[int, int] | None:
    value, _, pk = cursor.partition("_")
    try:
        return int(value), int(pk)
    except ValueError:
        return None


def _beyond(column: str, value: Any, pk: int, forward: bool) -> Q:
    """Rows strictly after (value, pk) in the direction `forward` walks. The redundant bound on the column alone lets
    both databases start the index scan at the cursor instead of filtering from the range's end."""
    op = "gt" if forward else "lt"
    return Q(**{f"{column}__{op}e": value}) & (Q(**{f"{column}__{op}": value}) | Q(**{column: value, f"pk__{op}": pk}))


def keyset_page(qs: QuerySet, sort: str, after: str = "", before: str = "", per_page: int = 50) -> OrderPage:
    """One page of `orders_list(…, sort=sort)`: the first, the one after cursor `after`, or the one before `before`."""
    column, desc = SORT_KEYS.get(sort, SORT_KEYS["date"])
    after_key, before_key = _parse(after) if after else None, _parse(before) if before else None
    if before_key is not None:
        # Walk backwards from the cursor, then put the rows back in the list's order.
        value, pk = before_key
        back = qs.filter(_beyond(column, _from_cursor_value(column, value), pk, forward=desc))
        back = back.order_by(column if desc else f"-{column}", "pk" if desc else "-pk")
        rows = list(back[: per_page + 1])
        more_before = len(rows) > per_page
        rows = rows[:per_page][::-1]
        return OrderPage(
            rows,
            next_cursor=cursor_of(rows[-1], sort) if rows else "",
            previous_cursor=cursor_of(rows[0], sort) if rows and more_before else "",
        )
    if after_key is not None:
        value, pk = after_key
        qs = qs.filter(_beyond(column, _from_cursor_value(column, value), pk, forward=not desc))
    rows = list(qs[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    return OrderPage(
        rows,
        next_cursor=cursor_of(rows[-1], sort) if rows and more else "",
        previous_cursor=cursor_of(rows[0], sort) if rows and after_key is not None else "",
        whole_list=after_key is None and not more,
    )

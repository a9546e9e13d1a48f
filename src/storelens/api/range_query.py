"""What every analytics route shares: the range query (store, days, currency, basis, statuses), the error bodies,
and turning a query into the workspace's stores, a range and a report."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Schema
from ninja.errors import HttpError
from pydantic import BeforeValidator, Field

from storelens.accounts.scoping import scoped
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.metrics.timezones import local_day
from storelens.analytics.reports.currency import combined_currency, ecb_currencies
from storelens.analytics.reports.date_range import bound, parse_day
from storelens.analytics.reports.fx import UnknownRate
from storelens.analytics.reports.summary import Report, ReportError, build
from storelens.stores.reporting import DateBasis

Basis = Literal[tuple(DateBasis.values)]  # type: ignore[valid-type]  # an inline enum in the schema, as before


def _iso_day(value: Any) -> Any:
    """Only YYYY-MM-DD (`date_range.parse_day`, as pages and the CLI read it): pydantic would also read `0` as
    1970-01-01, which no caller means."""
    return parse_day(value) if isinstance(value, str) else value


Day = Annotated[date, BeforeValidator(_iso_day)]
# A page number a list can really have (500 rows a page × a million pages is far past any store): without a bound a
# client's page=10**17 reached the database as an OFFSET beyond 64 bits and answered 500 instead of 422.
PageNumber = Annotated[int, Field(le=1_000_000)]
# The currencies the ECB publishes (plus EUR): the only ones a combined view can convert into.
Currency = StrEnum("Currency", {code: code for code in ecb_currencies()})  # type: ignore[misc]


class RangeQuery(Schema):
    source: int | None = None
    date_from: Day | None = None
    date_to: Day | None = None
    currency: Currency | None = None  # type: ignore[valid-type]
    date_basis: Basis | None = None
    exclude_statuses: str | None = None


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    """422: a parameter does not fit the schema (ninja's validation errors, one per problem)."""

    detail: list[dict[str, Any]]


def stores_of(request: HttpRequest, store_id: int | None) -> list[Any]:
    """The workspace's stores (all, or the one asked for): another workspace's id answers 404 like a missing one."""
    from storelens.stores.models import Store

    qs = scoped(request, Store).order_by("pk")
    if store_id is not None:
        qs = qs.filter(pk=store_id)
        if not qs.exists():
            raise Http404("No such store in this workspace.")
    return list(qs)


def date_range(q: RangeQuery, stores: list[Any]) -> tuple[date, date]:
    """The asked days (earlier first), by default this month to date in the first store's zone, bounded as every
    range is (`date_range.bound`: a range of centuries is cut to the stores' data, which the answer's dates show)."""

    today = local_day(timezone.now(), report_settings(stores[0]).tz) if stores else timezone.now().date()
    last = q.date_to or today
    first = q.date_from or last.replace(day=1)
    bounded = bound(first, last, stores, today)
    return bounded.first, bounded.last


def excluded_statuses(q: RangeQuery) -> list[str] | None:
    """`exclude_statuses=a,b` as a list, or None: each store's own setting."""
    if q.exclude_statuses is None:
        return None
    return [s.strip() for s in q.exclude_statuses.split(",") if s.strip()]


def report_for(request: HttpRequest, q: RangeQuery, customers: bool = True) -> Report:
    """The query's report (`reports.summary.build`); 409 when it cannot be made (the message says what to pass)."""
    stores = stores_of(request, q.source)
    first, last = date_range(q, stores)
    currency = q.currency.value if q.currency else None
    if q.source is None:  # every store: the workspace's reporting currency, as the pages do
        currency = combined_currency(getattr(request, "workspace", None), stores, currency)
    try:
        return build(stores, first, last, currency, q.date_basis, excluded_statuses(q), with_customers=customers)
    except (ReportError, UnknownRate) as exc:
        raise HttpError(409, str(exc)) from None

"""The /cohorts route: customers grouped by the week, month or quarter of their first counted order, and per cohort
and period since, customers still ordering, orders, net sales and cumulative net per customer (the Cohorts page)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from storelens.analytics.metrics.periods import shift_months
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.metrics.timezones import local_day
from storelens.analytics.reports.cohorts import cohorts
from storelens.analytics.reports.currency import combined_currency
from storelens.analytics.reports.date_range import bound
from storelens.analytics.reports.fx import UnknownRate
from storelens.analytics.reports.summary import ReportError
from storelens.api.range_query import Currency, Day, ErrorOut, InvalidOut, stores_of
from storelens.commerce.money import decimal_string

cohorts_router = Router(tags=["metrics"])


class CohortsQuery(Schema):
    """No date basis or status override: cohorts are kept for each store's own Analytics settings."""

    source: int | None = None
    date_from: Day | None = None  # cohorts starting from the period holding this day (default: 12 months ago)
    date_to: Day | None = None  # … to the one holding this day (default: today)
    currency: Currency | None = None  # type: ignore[valid-type]
    grain: Literal["month", "week", "quarter"] = "month"
    product: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None  # the first order held this product (wc id)
    coupon: Annotated[str, Field(max_length=200)] = ""  # the first order used this coupon code
    country: Annotated[str, Field(max_length=2)] = ""  # the first order's billing country (ISO 3166-1 alpha-2)


class CohortPeriodOut(Schema):
    period: int  # 0: the cohort's own period
    customers: int  # customers of the cohort who ordered in the period
    retention: float  # customers ÷ the cohort's customers
    orders: int
    net_sales: str  # net of those orders less their refunds, a decimal string in `currency`
    cumulative_net_per_customer: str  # the cohort's net from period 0 through this one ÷ its customers


class CohortOut(Schema):
    cohort: str  # the first day of the cohort's period (YYYY-MM-DD)
    label: str
    customers: int
    periods: list[CohortPeriodOut]


class CohortsOut(Schema):
    grain: str
    currency: str
    date_from: str
    date_to: str
    stale: bool  # customers moved since the cells were computed (the running sync pass refreshes them)
    cohorts: list[CohortOut]


def cohort_range(q: CohortsQuery, stores: list[Any]) -> tuple[date, date, date]:
    """(first, last, today): the last 12 months by default, in the first store's zone, bounded as every range is."""
    today = local_day(timezone.now(), report_settings(stores[0]).tz) if stores else timezone.now().date()
    last = q.date_to or today
    first = q.date_from or shift_months(last, -12)
    bounded = bound(first, last, stores, today)
    return bounded.first, bounded.last, today


@cohorts_router.get(
    "",
    response={200: CohortsOut, 404: ErrorOut, 409: ErrorOut, 422: InvalidOut},
    summary="Customer cohorts by their first counted order: customers still ordering, orders and net per period",
)
def get_cohorts(request: HttpRequest, q: Query[CohortsQuery]) -> Any:
    """Every cohort starting in the range, each with its periods up to today's (an elapsed period without orders
    is present with zeros). Filters narrow the cohorts to customers whose first counted order held `product`, used
    `coupon`, or was billed to `country`. Several stores add up cohort by cohort; currency as `/metrics/summary`
    (another currency is converted at the rate of each period's first day)."""
    stores = stores_of(request, q.source)
    first, last, today = cohort_range(q, stores)
    currency = q.currency.value if q.currency else None
    if q.source is None:
        currency = combined_currency(getattr(request, "workspace", None), stores, currency)
    try:
        table = cohorts(stores, q.grain, first, last, today, q.product, q.coupon, q.country, currency)
    except (ReportError, UnknownRate) as exc:
        raise HttpError(409, str(exc)) from None
    c = table.currency
    return CohortsOut(
        grain=table.grain,
        currency=c,
        date_from=first.isoformat(),
        date_to=last.isoformat(),
        stale=table.stale,
        cohorts=[
            CohortOut(
                cohort=cohort.start.isoformat(),
                label=cohort.label,
                customers=cohort.size,
                periods=[
                    CohortPeriodOut(
                        period=p.k,
                        customers=p.customers,
                        retention=round(p.retention, 4),
                        orders=p.orders,
                        net_sales=decimal_string(p.net_minor, c),
                        cumulative_net_per_customer=decimal_string(p.cumulative_per_customer_minor, c),
                    )
                    for p in cohort.periods
                ],
            )
            for cohort in table.cohorts
        ],
    )

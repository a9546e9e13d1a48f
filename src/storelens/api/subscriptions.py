"""The /subscriptions route: per store MRR, ARR, counts, ARPPU and LTV, MRR over the range with its movements, and the
subscriptions list (keyset-paged) — the Subscriptions page as JSON. MRR is revenue: roles without revenue access get
403 (accounts.permissions.API_ACTIONS)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from storelens.analytics.metrics.mrr import monthly_whole_minor
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.reports.subscription_mrr import mrr_report, subscription_page
from storelens.analytics.reports.subscriptions import subscription_figures
from storelens.api.range_query import Day, ErrorOut, InvalidOut, RangeQuery, date_range, stores_of
from storelens.commerce.money import decimal_string

subscriptions_router = Router(tags=["subscriptions"])


class SubscriptionsQuery(Schema):
    source: int | None = None
    date_from: Day | None = None
    date_to: Day | None = None
    grain: Literal["month", "week"] = "month"
    status: str = ""  # list only this status (active, on-hold, pending-cancel, cancelled, expired …)
    after: int | None = None  # the list's cursor: `next_after` of the previous answer
    limit: int = Field(50, ge=1, le=500)


class PeriodOut(Schema):
    date_from: str  # store-local days; MRR is taken at the start of `date_from` and the end of `date_to`
    date_to: str
    mrr_start: str
    new: str
    expansion: str
    contraction: str
    churned: str
    reactivated: str
    mrr_end: str  # = mrr_start + new + expansion − contraction − churned + reactivated, exactly
    paying_customers_start: int
    paying_customers_end: int


class StoreSubscriptionsOut(Schema):
    source: int
    currency: str
    active: int  # billing today: active or pending-cancel
    mrr: str  # of those, per month
    arr: str
    new: int
    churned: int
    churn_rate: str
    running_at_start: int  # running_at_start + new − churned = running_at_end
    running_at_end: int
    arppu: str | None  # Putler: MRR ÷ paying customers, at the range's end
    user_churn: str | None  # customers paying 30 days before the end who pay nothing at it ÷ those paying then
    ltv: str | None  # arppu ÷ user_churn; null when nobody churned
    periods: list[PeriodOut]


class SubscriptionOut(Schema):
    source: int
    id: int  # the WooCommerce subscription id
    status: str
    customer_id: int  # WooCommerce customer id (0: none)
    total: str
    currency: str
    billing_period: str
    billing_interval: int
    monthly: str
    start: str | None
    next_payment: str | None
    end: str | None


class SubscriptionsOut(Schema):
    date_from: str
    date_to: str
    grain: str
    stores: list[StoreSubscriptionsOut]
    subscriptions: list[SubscriptionOut]
    next_after: int | None  # pass as `after` for the next page; null on the last


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _store_out(store: Any, first: Any, last: Any, grain: str) -> StoreSubscriptionsOut:
    settings = report_settings(store)
    f = subscription_figures(store, settings, first, last)
    m = mrr_report(store, settings, first, last, grain)
    life, cur = m.lifetime, m.currency

    def money(v: int | None) -> str | None:
        return None if v is None else decimal_string(v, cur)

    periods = [
        PeriodOut(
            date_from=d0.isoformat(),
            date_to=d1.isoformat(),
            mrr_start=decimal_string(p.mrr_start, cur),
            new=decimal_string(p.new, cur),
            expansion=decimal_string(p.expansion, cur),
            contraction=decimal_string(p.contraction, cur),
            churned=decimal_string(p.churned, cur),
            reactivated=decimal_string(p.reactivated, cur),
            mrr_end=decimal_string(p.mrr_end, cur),
            paying_customers_start=p.customers_start,
            paying_customers_end=p.customers_end,
        )
        for d0, d1, p in m.periods
    ]
    return StoreSubscriptionsOut(
        source=store.pk, currency=f.currency, active=f.active, mrr=decimal_string(f.mrr_minor, f.currency),
        arr=decimal_string(f.arr_minor, f.currency), new=f.new, churned=f.churned, churn_rate=str(f.churn_rate),
        running_at_start=f.active_at_start, running_at_end=f.active_at_end, arppu=money(life.arppu_minor),
        user_churn=None if life.user_churn is None else str(life.user_churn), ltv=money(life.ltv_minor),
        periods=periods,
    )  # fmt: skip


@subscriptions_router.get(
    "",
    response={200: SubscriptionsOut, 404: ErrorOut, 422: InvalidOut},
    summary="MRR over time with its movements, ARR, ARPPU, LTV and the subscriptions list",
)
def get_subscriptions(request: HttpRequest, q: Query[SubscriptionsQuery]) -> Any:
    """Each store in its own currency (MRR is not converted). Movements are per customer between each period's start
    and end, from each subscription's start, cancellation and end dates and its current total (no history of price
    changes or suspensions is kept). The list is newest first; defaults as `/metrics/summary` (this month to date)."""
    stores = stores_of(request, q.source)
    first, last = date_range(RangeQuery(source=q.source, date_from=q.date_from, date_to=q.date_to), stores)
    rows, next_after = subscription_page(stores, q.status, q.after, q.limit)
    listed = [
        SubscriptionOut(
            source=s.store_id,
            id=s.wc_id,
            status=s.status,
            customer_id=s.wc_customer_id,
            total=decimal_string(s.total_minor, s.currency or s.store.currency or "USD"),
            currency=s.currency or s.store.currency or "USD",
            billing_period=s.billing_period,
            billing_interval=s.billing_interval,
            monthly=decimal_string(
                monthly_whole_minor(s.total_minor, s.billing_period, s.billing_interval),
                s.currency or s.store.currency or "USD",
            ),
            start=_iso(s.start_at),
            next_payment=_iso(s.next_payment_at),
            end=_iso(s.end_at),
        )
        for s in rows
    ]
    from storelens.commerce.models import Subscription

    with_subs = [s for s in stores if Subscription.objects.filter(store=s).exists()]
    return SubscriptionsOut(
        date_from=first.isoformat(), date_to=last.isoformat(), grain=q.grain,
        stores=[_store_out(s, first, last, q.grain) for s in with_subs], subscriptions=listed, next_after=next_after,
    )  # fmt: skip

"""Subscription figures: active subscriptions and their monthly recurring revenue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q

from storelens.analytics.definitions import ReportSettings
from storelens.analytics.timezones import range_bounds_utc

MONTHS_PER_PERIOD = {"day": Decimal(12) / Decimal(365), "week": Decimal(12) / Decimal(52), "month": 1, "year": 12}


@dataclass
class SubscriptionFigures:
    currency: str
    active: int = 0
    mrr_minor: int = 0
    new: int = 0
    churned: int = 0
    active_at_start: int = 0

    @property
    def arr_minor(self) -> int:
        return self.mrr_minor * 12

    @property
    def churn_rate(self) -> Decimal:
        """Churned in the range ÷ active at its start (Putler's user churn)."""
        if not self.active_at_start:
            return Decimal(0)
        return (Decimal(self.churned) / Decimal(self.active_at_start)).quantize(Decimal("0.0001"))


def monthly_minor(total_minor: int, period: str, interval: int) -> Decimal:
    """A subscription's recurring total as a monthly amount: total ÷ (interval × months per period)."""
    months = Decimal(str(MONTHS_PER_PERIOD.get(period or "month", 1))) * max(1, interval or 1)
    return Decimal(total_minor) / months


def subscription_figures(store: Any, settings: ReportSettings, first: date, last: date) -> SubscriptionFigures:
    """MRR and ARR of subscriptions active now; new (started in range), churned (cancelled or expired in range),
    churn rate = churned ÷ active at the start of the range."""
    from storelens.commerce.models import Subscription

    start, end = range_bounds_utc(first, last, settings.tz)
    subs = Subscription.objects.filter(store=store, deleted_at__isnull=True)
    fig = SubscriptionFigures(currency=store.currency or "USD")
    mrr = Decimal(0)
    for s in subs.filter(status__in=["active", "pending-cancel"]).values(
        "total_minor", "billing_period", "billing_interval"
    ):
        fig.active += 1
        mrr += monthly_minor(s["total_minor"], s["billing_period"], s["billing_interval"])
    fig.mrr_minor = int(mrr.to_integral_value())
    fig.new = subs.filter(start_at__gte=start, start_at__lt=end).count()
    ended = Q(cancelled_at__gte=start, cancelled_at__lt=end) | Q(status="expired", end_at__gte=start, end_at__lt=end)
    fig.churned = subs.filter(ended).count()
    fig.active_at_start = (
        subs.filter(start_at__lt=start)
        .exclude(Q(cancelled_at__lt=start) | Q(end_at__lt=start))
        .exclude(status__in=["pending", "trash"])
        .count()
    )
    return fig

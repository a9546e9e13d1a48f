"""A store's subscription figures for a range: active subscriptions, MRR and ARR, new and churned (the definitions
are `metrics.subscriptions`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q

from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.metrics.subscriptions import SubscriptionFigures, monthly_minor
from storelens.analytics.metrics.timezones import range_bounds_utc


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

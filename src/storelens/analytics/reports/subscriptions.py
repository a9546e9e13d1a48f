"""A store's subscription figures for a range: active subscriptions, MRR and ARR, new and churned (the definitions
are `metrics.subscriptions`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Q

from storelens.analytics.metrics.mrr import monthly_whole_minor
from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.metrics.subscriptions import SubscriptionFigures
from storelens.analytics.metrics.timezones import day_start_utc, range_bounds_utc
from storelens.analytics.reports.mrr_cells import figures, usable


def subscription_figures(store: Any, settings: ReportSettings, first: date, last: date) -> SubscriptionFigures:
    """MRR and ARR of subscriptions active now (status active or pending-cancel, as WooCommerce bills them);
    new (started in range), churned (cancelled or ended in range), churn rate = churned ÷ active at the start.

    The range's counts add up: running at the start + new − churned = running at the end, where "running" at an
    instant is started before it and neither cancelled nor ended before it (on-hold included; a pending-cancel one
    is churned when it was cancelled). `active` is today's billing count, so it differs from `active_at_end` by
    on-hold and pending-cancel subscriptions and by what happened after the range; the page says so.

    Read from the MRR snapshot's day cells when no subscription write since its refresh (`reports.mrr_cells`), else
    from the rows (`counted_subscription_figures`): the same figures."""
    snapshot = usable(store, settings.tz, day_start_utc(last + timedelta(days=1), settings.tz))
    if snapshot is None or snapshot.changed or first > last:
        return counted_subscription_figures(store, settings, first, last)
    return figures(store, snapshot, settings.tz, first, last)


def counted_subscription_figures(store: Any, settings: ReportSettings, first: date, last: date) -> SubscriptionFigures:
    """`subscription_figures` counted over the subscription rows: the raw path."""
    from storelens.commerce.models import Subscription

    start, end = range_bounds_utc(first, last, settings.tz)
    subs = Subscription.objects.filter(store=store, deleted_at__isnull=True)
    fig = SubscriptionFigures(currency=store.currency or "USD")
    mrr = 0
    for s in subs.filter(status__in=["active", "pending-cancel"]).values(
        "total_minor", "billing_period", "billing_interval"
    ):
        fig.active += 1
        mrr += monthly_whole_minor(s["total_minor"], s["billing_period"], s["billing_interval"])
    fig.mrr_minor = mrr  # each subscription rounded once, as MRR over time sums them (`metrics.mrr`)
    counted = subs.exclude(status__in=["pending", "trash"])

    def running_at(instant: Any) -> Any:
        return counted.filter(start_at__lt=instant).exclude(Q(cancelled_at__lt=instant) | Q(end_at__lt=instant))

    fig.new = counted.filter(start_at__gte=start, start_at__lt=end).count()
    fig.active_at_start = running_at(start).count()
    fig.active_at_end = running_at(end).count()
    stopped = Q(cancelled_at__lt=end) | Q(end_at__lt=end)
    fig.churned = (
        counted.filter(stopped, start_at__lt=end).exclude(Q(cancelled_at__lt=start) | Q(end_at__lt=start)).count()
    )
    return fig

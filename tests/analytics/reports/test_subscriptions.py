"""Subscription figures by hand: MRR normalises every billing period to a month; churn = churned ÷ active at start."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.metrics.subscriptions import monthly_minor
from storelens.analytics.reports.subscriptions import subscription_figures
from storelens.commerce.models import Subscription
from storelens.stores.models import Store

pytestmark = pytest.mark.django_db


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def test_mrr_arr_new_churned_and_churn_rate() -> None:
    store = Store.objects.create(workspace=Workspace.objects.create(name="Subs"), currency="USD")

    def sub(wc_id: int, status: str, period: str, interval: int, total: int, start: str, **dates: str) -> None:
        Subscription.objects.create(
            store=store, wc_id=wc_id, status=status, billing_period=period, billing_interval=interval,
            total_minor=total, currency="USD", start_at=at(start), **{k: at(v) for k, v in dates.items()},
        )  # fmt: skip

    sub(1, "active", "month", 1, 3000, "2025-01-10")  # 30.00 a month
    sub(2, "active", "year", 1, 12000, "2025-02-01")  # 120.00 a year = 10.00 a month
    sub(3, "active", "week", 2, 1000, "2025-03-05")  # 10.00 every 2 weeks = 10 × 52 / 24 = 21.666… a month; new
    sub(4, "cancelled", "month", 1, 5000, "2025-01-01", cancelled_at="2025-03-20")  # churned in March
    sub(5, "expired", "month", 1, 5000, "2024-01-01", end_at="2025-01-31")  # ended before March: not active at start

    fig = subscription_figures(store, report_settings(store), date(2025, 3, 1), date(2025, 3, 31))
    assert monthly_minor(1000, "week", 2).quantize(Decimal("0.01")) == Decimal("2166.67")
    assert (fig.active, fig.mrr_minor, fig.arr_minor) == (3, 6167, 74004)  # 3000 + 1000 + 2166.67 → 61.67
    assert (fig.new, fig.churned, fig.active_at_start) == (1, 1, 3)  # 1, 2 and 4 were active on 1 March
    assert fig.churn_rate == Decimal("0.3333")
    # The range's counts add up (3 at the start + 1 new − 1 churned = 3 running on 31 March: 1, 2 and 3).
    assert fig.active_at_start + fig.new - fig.churned == fig.active_at_end == 3

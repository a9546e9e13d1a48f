"""Stores with WooCommerce Subscriptions: detected through `subscriptions/statuses`, imported with the rest."""

from __future__ import annotations

from typing import Any

import pytest

from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.models import MrrSnapshot
from storelens.analytics.reports.subscription_mrr import mrr_report, spans_mrr_report
from storelens.analytics.reports.subscriptions import counted_subscription_figures, subscription_figures
from storelens.commerce.models import Subscription
from storelens.sync.api import run_sync

from .conftest import FAST_RETRIES, HOME, make_fake, make_store
from .equality import assert_copy_equals_store, cents

pytestmark = pytest.mark.django_db


def test_subscriptions_are_imported_when_the_store_has_them(workspace: Any, serve_in_process: dict) -> None:
    fake = make_fake(120, seed=43, subscriptions=True)
    serve_in_process[HOME] = fake
    store = make_store(workspace, fake)
    run_sync(store.pk, client_options=FAST_RETRIES)
    store.refresh_from_db()
    assert store.has_subscriptions
    shop = fake.store
    view = shop.view(dp=4)
    expected = {
        sid: shop.subscription_json(sid, view) for sid in list(shop.subscriptions.ids) if shop.subscriptions.exists(sid)
    }
    assert expected, "the fake store generated no subscriptions"
    got = {s.wc_id: s for s in Subscription.objects.filter(store=store, deleted_at__isnull=True)}
    assert set(got) == set(expected)
    for sid, payload in expected.items():
        assert (got[sid].status, got[sid].total_minor) == (payload["status"], cents(payload["total"]))
    assert_copy_equals_store(store, shop)
    # The pass's end queued the MRR snapshot's refresh (run at once here): the page reads it, as the rows say.
    snapshot = MrrSnapshot.objects.get(store=store)
    assert snapshot.computed_at is not None and not snapshot.changed
    s = report_settings(store)
    first, last = snapshot.first_day, snapshot.last_day
    assert mrr_report(store, s, first, last, "month") == spans_mrr_report(store, s, first, last, "month")
    assert subscription_figures(store, s, first, last) == counted_subscription_figures(store, s, first, last)


def test_a_store_without_subscriptions_is_recorded_as_such(workspace: Any, serve_in_process: dict) -> None:
    fake = make_fake(40, seed=47)
    serve_in_process[HOME] = fake
    store = make_store(workspace, fake)
    run_sync(store.pk, client_options=FAST_RETRIES)
    store.refresh_from_db()
    assert store.has_subscriptions is False and not Subscription.objects.exists()

"""The real store's dataset served by the fake store (`--dataset`), imported by the real sync engine end to end
(HTTP through the client, pages, refunds, trash listing), reports exactly `expected-metrics.json` day by day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest

from fakestore.app import create_app
from fakestore.config import FakeStoreConfig
from storelens.accounts.models import Workspace
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.reports.cells import daily, totals
from storelens.stores.models import Store
from storelens.sync import api
from tests.analytics.realstore import DATASET, read
from tests.analytics.test_real_store import as_strings
from tests.sync.conftest import FAST_RETRIES
from tests.transports import routes

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not DATASET.exists(), reason="the real store's dataset is not here"),
]
HOME = "https://lab.test"


@pytest.fixture
def dataset_store(monkeypatch: pytest.MonkeyPatch) -> Any:
    app = create_app(FakeStoreConfig(dataset_dir=str(DATASET), home_url=HOME))
    key = app.store.accounts.create_key(1, "Storelens", "read_write")
    routes(monkeypatch).table[HOME] = httpx.ASGITransport(app=app)
    return key


def test_imported_real_store_equals_woocommerce_analytics_on_both_bases(dataset_store: Any) -> None:
    index = read("index.json")
    store = Store(
        workspace=Workspace.objects.create(name="Lab"),
        entered_url=HOME,
        home_url=HOME,
        currency="USD",
        timezone_string=index["timezone_string"],
        gmt_offset=Decimal(str(index["gmt_offset"])),
    )
    store.set_keys(dataset_store.consumer_key, dataset_store.consumer_secret)
    store.key_permissions = dataset_store.permissions
    store.save()
    result = api.run_sync(store.pk, exact=True, client_options=FAST_RETRIES)
    assert result.ran, result
    store.refresh_from_db()
    for basis in ("paid", "created"):
        expected = read("expected-metrics.json")["bases"][basis]
        settings = report_settings(store, date_basis=basis)
        first, last = date.fromisoformat(expected["from"]), date.fromisoformat(expected["to"])
        days = {d.isoformat(): as_strings(t) for d, t in daily(store, settings, first, last).items()}
        days = {d: v for d, v in days.items() if v != {"orders": "0", "net_sales": "0", "refunds": "0"}}
        assert days == expected["days"], basis
        assert as_strings(totals(store, settings, first, last)) == expected["total"], basis

"""The sync through the Storelens Connector's routes (storelens/v1) on the fake store in the `storelens-connector`
mode, and the same sync through wc/v3 alone: the copy is the store either way, in fewer requests with the plugin.
(The real plugin is tested in tests/sync/test_real_store_connector.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from storelens.commerce.models import Order
from storelens.stores.models import Store
from storelens.sync.api import run_sync

from .conftest import FAST_RETRIES, HOME, make_fake, make_store
from .equality import assert_copy_equals_store

pytestmark = pytest.mark.django_db


def test_an_import_through_the_connector_equals_the_store_in_fewer_requests(
    workspace: Any, serve_in_process: dict
) -> None:
    requests = {}
    for modes in (set(), {"storelens-connector"}):
        fake = make_fake(300, seed=13, modes=modes)
        serve_in_process[HOME] = fake
        Store.objects.filter(workspace=workspace).delete()
        store = make_store(workspace, fake)
        result = run_sync(store.pk, client_options=FAST_RETRIES)
        assert result.ran and result.stats is not None
        assert_copy_equals_store(store, fake.store)
        store.refresh_from_db()
        assert store.connector_version == ("0.1.0" if modes else None)
        requests[bool(modes)] = result.stats.requests
    assert requests[True] < requests[False], requests


def test_a_census_through_the_connector_finds_a_deleted_and_a_changed_order(
    workspace: Any, serve_in_process: dict
) -> None:
    fake = make_fake(120, seed=17, modes={"storelens-connector"})
    serve_in_process[HOME] = fake
    store = make_store(workspace, fake)
    run_sync(store.pk, client_options=FAST_RETRIES)
    gone, changed = (int(i) for i in list(fake.store.orders.ids)[:2])
    fake.store.delete_order(gone)
    fake.store.update_order(changed, {"status": "cancelled"})
    run_sync(store.pk, exact=True, client_options=FAST_RETRIES)
    assert_copy_equals_store(store, fake.store)
    assert Order.objects.get(store=store, wc_id=gone).deleted_at is not None
    assert Order.objects.get(store=store, wc_id=changed).status == "cancelled"

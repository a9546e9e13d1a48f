from __future__ import annotations

import os
import time
from typing import Any

import pytest

from storelens.commerce.models import Order
from storelens.sync.api import run_sync
from storelens.sync.models import ImportWindow, SyncState

from .conftest import FAST_RETRIES, HOME, make_fake, make_store, ten_percent_faults
from .equality import assert_copy_equals_store

pytestmark = pytest.mark.django_db
# Issue 5 asks for 20k orders, on both databases. The whole test (import + the copy-equals-store check) took 58 s on
# PostgreSQL with the machine idle (153 s at load average ~10) and 93–102 s on SQLite at load ~10. A quicker local run:
# STORELENS_TEST_IMPORT_ORDERS=3000.
FAULTY_ORDERS = int(os.environ.get("STORELENS_TEST_IMPORT_ORDERS", "20000"))


def test_a_full_import_under_ten_percent_faults_equals_the_store(workspace: Any, serve_in_process: dict) -> None:
    fake = make_fake(FAULTY_ORDERS, seed=11, modes={"php-notices"}, faults=ten_percent_faults())
    serve_in_process[HOME] = fake
    store = make_store(workspace, fake)
    started = time.monotonic()
    result = run_sync(store.pk, client_options=FAST_RETRIES)
    elapsed = time.monotonic() - started
    assert result.ran and result.stats is not None
    fake.store.config.faults = type(fake.store.config.faults)()  # compare with a well-behaved store
    assert_copy_equals_store(store, fake.store)
    state = SyncState.objects.get(store=store)
    assert state.import_completed_at is not None and state.orders_done >= Order.objects.filter(store=store).count()
    assert not ImportWindow.objects.filter(store=store).exists()
    store.refresh_from_db()
    assert store.status == "connected" and store.last_sync_at is not None
    assert any(w["code"] == "php_notices" for w in store.data_warnings)
    print(f"imported {FAULTY_ORDERS} orders under faults in {elapsed:.1f}s")


def test_the_last_30_days_are_imported_before_older_history(workspace: Any, serve_in_process: dict) -> None:
    fake = make_fake(600, seed=5)
    serve_in_process[HOME] = fake
    store = make_store(workspace, fake)
    seen: list[int] = []
    run_sync(store.pk, client_options=FAST_RETRIES, progress=lambda state: seen.append(state.orders_done))
    assert seen == sorted(seen) and seen[-1] >= 600
    first_written = Order.objects.filter(store=store).order_by("synced_at", "pk").first()
    newest = Order.objects.filter(store=store).order_by("-created_at").first()
    assert (newest.created_at - first_written.created_at).days < 30


def test_a_second_pass_writes_nothing_new(workspace: Any, serve_in_process: dict) -> None:
    fake = make_fake(200, seed=2)
    serve_in_process[HOME] = fake
    store = make_store(workspace, fake)
    run_sync(store.pk, client_options=FAST_RETRIES)
    count = Order.objects.filter(store=store).count()
    run_sync(store.pk, client_options=FAST_RETRIES)
    assert Order.objects.filter(store=store).count() == count
    assert_copy_equals_store(store, fake.store)


def test_a_deleted_user_named_by_orders_is_marked_deleted_although_the_catalogue_runs_alongside_the_orders(
    workspace: Any, serve_in_process: dict
) -> None:
    """The customer scan runs alongside the order windows, and orders create the registered customers they name:
    which customers the store no longer has is decided only after every order page is written."""
    from storelens.commerce.models import Customer

    fake = make_fake(1500, seed=4)
    book = fake.store.orders
    last_order: dict[int, int] = {}
    for position in range(len(book)):
        if book.owner[position]:
            last_order[book.owner[position]] = position
    # A user whose orders are all old (written last, in the oldest window), deleted in WordPress; the orders still
    # name them.
    gone = min(last_order, key=last_order.__getitem__)
    fake.store.delete_customer(gone)
    serve_in_process[HOME] = fake
    store = make_store(workspace, fake)
    run_sync(store.pk, client_options=FAST_RETRIES)
    assert Order.objects.filter(store=store, customer__wc_id=gone).exists()
    customer = Customer.objects.get(store=store, wc_id=gone)
    assert customer.is_registered and customer.deleted_at is not None
    assert_copy_equals_store(store, fake.store)

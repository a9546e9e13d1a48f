from __future__ import annotations

import asyncio
import os
import time
from typing import Any

import pytest
from django.db import connection

from storelens.commerce.models import Order
from storelens.sync.api import run_sync
from storelens.sync.models import ImportWindow, SyncState

from .conftest import FAST_RETRIES, HOME, Fake, make_fake, make_store, ten_percent_faults
from .equality import assert_copy_equals_store

pytestmark = pytest.mark.django_db
# Issue 5 asks for 20k orders, on both databases. The whole test (import + the copy-equals-store check) took 58 s on
# PostgreSQL with the machine idle (153 s at load average ~10) and 93–102 s on SQLite at load ~10. A quicker local run:
# STORELENS_TEST_IMPORT_ORDERS=3000.
FAULTY_ORDERS = int(os.environ.get("STORELENS_TEST_IMPORT_ORDERS", "20000"))


@pytest.mark.timeout(900)  # 93-153 s at load ~10; the default 300 s was within reach on a machine loaded 3-4x more
def test_a_full_import_under_ten_percent_faults_equals_the_store(workspace: Any, serve_in_process: dict) -> None:
    """Also the shapes issue 11's real store showed: an EU store (prices inclusive of tax, unrounded 4-decimal line
    amounts, several rates), guests using registered customers' e-mails next to their first orders, mixed case."""
    fake = make_fake(
        FAULTY_ORDERS,
        seed=11,
        modes={"php-notices"},
        faults=ten_percent_faults(),
        tax_profile="eu",
        currency="EUR",
        timezone="Europe/Berlin",
    )
    assert fake.store.factory.borrowed_email and fake.store.factory.mixed_case_customers
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


def test_guests_using_registered_customers_emails_next_to_their_first_orders_import_as_those_customers(
    workspace: Any, serve_in_process: dict
) -> None:
    """The first real-store import died on its first page (issue 11): a guest order with the e-mail of a registered
    customer whose first order was in the same page. The fake generates that shape (before and after the first
    order, in another case than the account's) and repeat guests in another case; each page must commit and every
    such guest order belong to the registered customer."""
    from storelens.commerce import changes
    from storelens.commerce.models import Customer

    fake = make_fake(800, seed=6)
    shop = fake.store
    book = shop.orders
    pairs = []  # (guest order, the customer's oldest order, customer)
    for pos, (cid, _, _) in shop.factory.borrowed_email.items():
        if cid:
            first = next(p for p in range(len(book)) if book.owner[p] == cid)
            pairs.append((book.ids[pos], book.ids[first], cid))
    assert {g < f for g, f, _ in pairs} == {True, False}, "the fake should place guests before and after"
    cased = [
        g
        for g, _, cid in pairs
        if shop.order_json(g, shop.view())["billing"]["email"] != shop.customers.get(cid)["email"]
    ]
    assert cased, "the fake should type some borrowed e-mails in another case"
    serve_in_process[HOME] = Fake(CustomersAfterOrders(fake.app), fake.key)
    store = make_store(workspace, fake)
    pages: list[set[int]] = []

    def listener(_: Any, orders: list, refunds: list) -> None:
        pages.append({c.wc_id for c in orders})

    changes.register(listener)
    try:
        result = run_sync(store.pk, client_options=FAST_RETRIES)
    finally:
        changes.unregister(listener)
    assert result.ran
    connection.check_constraints()  # what each page's commit checked (the test's transaction defers it)
    orders_of: dict[int, set[int]] = {}
    for pos in range(len(book)):
        orders_of.setdefault(book.owner[pos], set()).add(book.ids[pos])
    met = [g for g, _, cid in pairs if g in next(page for page in pages if page & orders_of[cid])]
    assert met, "no guest order was in the page that created its registered customer"
    assert_copy_equals_store(store, shop)
    owners = dict(Order.objects.filter(store=store).values_list("wc_id", "customer__wc_id"))
    assert all(owners[g] == cid for g, _, cid in pairs)
    assert not Customer.objects.filter(
        store=store, is_registered=False, email__in=[shop.customers.get(cid)["email"].lower() for _, _, cid in pairs]
    ).exists()


class CustomersAfterOrders:
    """The store as a real one answers a first import: `/customers?role=all` (a WP_User_Query over every user) comes
    back after the first order pages, so those pages create the registered customers they name. In-process the
    fake answers it at once and the customers would already exist."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.store = app.store
        self.order_pages = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if path.endswith("/wc/v3/customers"):
            for _ in range(600):
                if self.order_pages >= 3:
                    break
                await asyncio.sleep(0.05)
        await self.app(scope, receive, send)
        if path.endswith("/wc/v3/orders"):
            self.order_pages += 1


def test_an_eu_store_with_prices_inclusive_of_tax_is_copied_to_the_fourth_decimal(
    workspace: Any, serve_in_process: dict
) -> None:
    """Line amounts net of VAT are unrounded on such a store (19.99 at 19 % → 16.798319): the copy keeps them to the
    4 decimals the sync asks for, the order totals to the cent."""
    from storelens.commerce.models import LineItem

    fake = make_fake(500, seed=12, tax_profile="eu", currency="EUR", timezone="Europe/Berlin")
    serve_in_process[HOME] = fake
    store = make_store(workspace, fake)
    run_sync(store.pk, client_options=FAST_RETRIES)
    assert_copy_equals_store(store, fake.store)
    lines = list(LineItem.objects.filter(store=store).values_list("total_e4", "total_minor"))
    assert sum(1 for e4, _ in lines if e4 % 100) > len(lines) // 2  # most carry a 3rd or 4th decimal
    assert (
        Order.objects.filter(store=store, prices_include_tax=True).count() == Order.objects.filter(store=store).count()
    )

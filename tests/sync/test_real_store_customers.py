"""Customer identities after importing the real WordPress + WooCommerce stores (tests/realstore): the seed places a
guest order with a registered customer's e-mail, in another case, right after that customer's first order, which is
the page where issue 11's first import died with a foreign key error. Every guest order using an account's e-mail
belongs to that customer (the lowest user id, as the merge picks), every other guest e-mail is one guest identity,
and every page's foreign keys hold."""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

import httpx
import pytest
from django.db import connection
from django.test import override_settings

from storelens.commerce.models import Customer, Order
from storelens.stores import client
from storelens.sync.api import run_sync

pytestmark = [pytest.mark.realstore, pytest.mark.django_db]


def test_guests_using_customers_emails_on_the_real_us_store_import_as_those_customers(
    workspace: Any, real_store_us: Any
) -> None:
    import_and_check(workspace, real_store_us)


def test_guests_using_customers_emails_on_the_real_eu_store_import_as_those_customers(
    workspace: Any, real_store_eu: Any
) -> None:
    import_and_check(workspace, real_store_eu)


def import_and_check(workspace: Any, shop: Any) -> None:
    from storelens.stores.models import Store

    users = {
        int(r["ID"]): str(r["user_email"]).strip().lower()
        for r in shop.sql("SELECT ID, user_email FROM wp_users ORDER BY ID")
    }
    customer_of_email: dict[str, int] = {}
    for user_id, email in sorted(users.items()):
        customer_of_email.setdefault(email, user_id)
    guests = {
        int(r["id"]): str(r["billing_email"] or "")
        for r in shop.sql("SELECT id, billing_email FROM wp_wc_orders WHERE type = 'shop_order' AND customer_id = 0")
    }
    borrowed = {oid: email for oid, email in guests.items() if email.strip().lower() in customer_of_email}
    assert any(e != e.lower() for e in borrowed.values()), "the seed should use customers' e-mails in another case"

    inner = httpx.AsyncHTTPTransport(verify=ssl.create_default_context(cafile=str(shop.ca_bundle)))
    slow = CustomersAfterOrders(inner)
    with override_settings(STORELENS_ALLOW_PRIVATE_STORES=True, STORELENS_STORE_CA_BUNDLE=str(shop.ca_bundle)):
        store = Store(workspace=workspace, entered_url=shop.url, home_url=shop.url)
        store.set_keys(shop.consumer_key, shop.consumer_secret)
        store.save()
        client.TEST_TRANSPORT = lambda _: slow
        try:
            run_sync(store.pk)
        finally:
            client.TEST_TRANSPORT = None
    assert slow.orders_before_customers >= 2, "the customer listing should come after the first order pages"
    connection.check_constraints()  # what every page's commit checked (the test's transaction defers it)

    owners = dict(Order.objects.filter(store=store).values_list("wc_id", "customer__wc_id"))
    for oid, email in borrowed.items():
        if oid in owners:  # (trashed and deleted orders included: the import reads them too)
            assert owners[oid] == customer_of_email[email.strip().lower()], (oid, email)
    assert sum(oid in owners for oid in borrowed) >= len(borrowed) - 5
    guest_emails = {e.strip().lower() for e in guests.values() if e.strip()} - set(customer_of_email)
    stored = Customer.objects.filter(store=store, is_registered=False)
    assert set(stored.values_list("email", flat=True)) <= guest_emails
    assert not stored.filter(email__in=list(customer_of_email)).exists()


class CustomersAfterOrders(httpx.AsyncBaseTransport):
    """The store's sockets, with `/customers?role=all` answered after the first order pages, as the issue's store
    answered it (a WP_User_Query over every user): those pages then create the registered customers they name, which
    is where the guest identity met the registered one. Otherwise either may come first, depending on the load."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.order_pages = 0
        self.orders_before_customers = -1

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/wc/v3/customers"):
            for _ in range(600):
                if self.order_pages >= 2:
                    break
                await asyncio.sleep(0.05)
            self.orders_before_customers = self.order_pages
        response = await self.inner.handle_async_request(request)
        if path.endswith("/wc/v3/orders"):
            self.order_pages += 1
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()

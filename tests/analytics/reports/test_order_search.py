"""The orders search's fast path (SQLite: FTS5 trigram candidates, the e-mail index, a list of ids) finds exactly the
orders a plain LIKE finds: order number, billing e-mail, customer name and e-mail, non-ASCII text included, and
stays in step when customers are renamed, added or deleted."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.models import Q

from storelens.accounts.models import Workspace
from storelens.analytics.reports.order_search import search_term
from storelens.analytics.reports.orders import keyset_page, order_count, orders_list
from storelens.commerce import upsert_orders
from storelens.commerce.models import Customer, Order
from storelens.stores.models import Store
from tests.analytics.payloads import order_payload

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2025, 3, 1), date(2025, 3, 31)
PEOPLE = [
    ("Łukasz", "Żółć", "lukasz@sklep.pl"),
    ("Zoë", "Brontë", "ZOE.B@Example.com"),
    ("太郎", "山田", "yamada@example.jp"),
    ("Ada", "Lovelace", "ada@example.com"),
    ("Grace", 'O"Hara', "grace@example.org"),
]
TERMS = [
    "Łukasz", "łukasz", "ŁUKASZ", "ukas", "Żółć", "żółć", "Zoë", "zoë", "ZOË", "rontë", "山田", "太郎", "田",
    "example", "EXAMPLE.COM", "zoe.b@", "@sklep.pl", "lovel", "LOVELACE", 'O"Ha', "#12", "12", "3", "a", "zz",
    "nobody", "%", "_", "buyer1@", "  ada  ",
]  # fmt: skip


@pytest.fixture
def store() -> Store:
    store = Store.objects.create(
        workspace=Workspace.objects.create(name="Search"), currency="USD", timezone_string="Europe/Warsaw"
    )
    payloads = []
    for i in range(1, 31):
        email = PEOPLE[i % len(PEOPLE)][2] if i % 3 else f"buyer{i % 4}@example.com"
        payloads.append(order_payload(i, created=f"2025-03-{i:02d}T10:00:00", email=email))
    payloads.append(order_payload(40, created="2025-04-02T10:00:00", email="ada@example.com"))  # after the range
    upsert_orders(store, payloads)
    for first, last, email in PEOPLE:  # names arrive later, as the customers sync writes them
        Customer.objects.filter(store=store, email__iexact=email).update(first_name=first, last_name=last)
    return store


def plain_like(store: Store, search: str) -> set[int]:
    """The search as one plain condition over the order and its customer: what the fast path must equal."""
    term = search_term(search)
    match = Q(billing_email__icontains=term) | Q(number=term)
    match |= Q(customer__first_name__icontains=term) | Q(customer__last_name__icontains=term)
    match |= Q(customer__email__icontains=term)
    if term.isdigit():
        match |= Q(wc_id=int(term))
    listed = orders_list([store], FIRST, LAST).values_list("pk", flat=True)
    return set(Order.objects.filter(match, pk__in=list(listed)).values_list("wc_id", flat=True))


@pytest.mark.parametrize("term", TERMS)
@pytest.mark.parametrize("cap", ["", "CANDIDATE_CAP", "CUSTOMER_MATCH_CAP", "ORDER_MATCH_CAP", "OTHER_ROWS_CAP"])
def test_the_search_finds_exactly_what_a_plain_like_finds(
    store: Store, term: str, cap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if cap:  # 0: every term counts as common there, so the plain condition answers
        monkeypatch.setattr(f"storelens.analytics.reports.order_search.{cap}", 0)
    found = [o.wc_id for o in orders_list([store], FIRST, LAST, search=term)]
    assert set(found) == plain_like(store, term) and len(found) == len(set(found))
    assert order_count([store], FIRST, LAST, search=term).value == len(found)


def test_non_ascii_names_are_found_by_their_own_spelling(store: Store) -> None:
    assert {o.customer.last_name for o in orders_list([store], FIRST, LAST, search="山田")} == {"山田"}
    assert {o.customer.first_name for o in orders_list([store], FIRST, LAST, search="Zoë")} == {"Zoë"}


def test_a_renamed_deleted_or_new_customer_is_searched_as_they_are_now(store: Store) -> None:
    ada = Customer.objects.get(store=store, email="ada@example.com")
    ada.last_name = "Byron"
    ada.save()
    assert not list(orders_list([store], FIRST, LAST, search="lovelace"))
    assert {o.wc_id for o in orders_list([store], FIRST, LAST, search="byron")} == plain_like(store, "byron") != set()
    Order.objects.filter(customer=ada).update(billing_email="")
    ada.delete()
    assert not list(orders_list([store], FIRST, LAST, search="byron"))
    newcomer = Customer.objects.create(store=store, key="email:new@example.net", email="new@example.net")
    Order.objects.filter(store=store, wc_id=3).update(customer=newcomer)
    assert [o.wc_id for o in orders_list([store], FIRST, LAST, search="NEW@example")] == [3]


def test_a_page_that_is_the_whole_list_is_its_own_count(store: Store, django_assert_num_queries) -> None:
    qs = orders_list([store], FIRST, LAST, search="lovel")
    page = keyset_page(qs, "date", per_page=50)
    assert page.whole_list and page.rows
    with django_assert_num_queries(0):
        count = order_count([store], FIRST, LAST, search="lovel", page=page)
    assert (count.value, count.exact) == (len(page.rows), True)
    first = keyset_page(qs, "date", per_page=2)
    assert not first.whole_list
    assert order_count([store], FIRST, LAST, search="lovel", page=first).value == len(page.rows)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's")
def test_the_customer_index_follows_every_write(store: Store) -> None:
    def indexed(term: str) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM commerce_customer_search WHERE commerce_customer_search MATCH %s", [term])
            return {r[0] for r in cursor.fetchall()}

    ada = Customer.objects.get(store=store, email="ada@example.com")
    assert indexed('"lovelace"') == {ada.pk}
    Customer.objects.filter(pk=ada.pk).update(last_name="King")
    assert indexed('"lovelace"') == set() and indexed('"king"') == {ada.pk}
    ada.delete()
    assert indexed('"king"') == set()

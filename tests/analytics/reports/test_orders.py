"""The orders list: keyset pages walk the whole list in every sort, forwards and back, and the count from the
rollups equals the number of rows the list holds, with deleted and trashed orders, status and country filters."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.analytics.reports.orders import SEARCH_COUNT_CAP, SORT_KEYS, keyset_page, order_count, orders_list
from storelens.commerce import mark_orders_deleted, upsert_orders
from storelens.stores.models import Store
from tests.analytics.payloads import order_payload

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2025, 3, 1), date(2025, 3, 31)
STATUSES = ["completed", "processing", "on-hold", "pending", "cancelled", "trash", "checkout-draft", "failed"]


@pytest.fixture
def store() -> Store:
    store = Store.objects.create(
        workspace=Workspace.objects.create(name="List"), currency="USD", timezone_string="America/New_York"
    )
    payloads = []
    for i in range(1, 38):
        # Several orders share a creation second and a total, so ties must be broken by id.
        created = f"2025-03-{1 + i % 28:02d}T{(i * 5) % 24:02d}:00:00" if i % 7 else "2025-03-10T12:00:00"
        paid = created if i % 3 else None
        payloads.append(
            order_payload(
                i,
                status=STATUSES[i % len(STATUSES)],
                created=created,
                paid=paid,
                net=1000 * (i % 5),
                email=f"buyer{i % 4}@example.com",
                country=["US", "CA", "DE"][i % 3],
            )
        )
    # Outside the range in New York time (1 March 04:59 UTC is still 28 February there).
    payloads.append(order_payload(90, created="2025-03-01T04:59:00", paid="2025-03-01T04:59:00"))
    upsert_orders(store, payloads)
    mark_orders_deleted(store, [4, 11])
    return store


def walk(qs: Any, sort: str, per_page: int) -> list[int]:
    page = keyset_page(qs, sort, per_page=per_page)
    seen = [o.wc_id for o in page.rows]
    while page.next_cursor:
        page = keyset_page(qs, sort, after=page.next_cursor, per_page=per_page)
        seen += [o.wc_id for o in page.rows]
    return seen


@pytest.mark.parametrize("sort", sorted(SORT_KEYS))
def test_keyset_pages_walk_the_whole_list_in_its_order_and_back(store: Store, sort: str) -> None:
    qs = orders_list([store], FIRST, LAST, sort=sort)
    every = [o.wc_id for o in qs]
    assert len(every) == 37 and 90 not in every
    assert walk(qs, sort, per_page=5) == every
    # Back from the last page: each "previous" page is the slice before it.
    pages = [keyset_page(qs, sort, per_page=5)]
    while pages[-1].next_cursor:
        pages.append(keyset_page(qs, sort, after=pages[-1].next_cursor, per_page=5))
    for earlier, later in itertools.pairwise(pages):
        back = keyset_page(qs, sort, before=later.previous_cursor, per_page=5)
        assert [o.wc_id for o in back.rows] == [o.wc_id for o in earlier.rows]
    assert pages[0].previous_cursor == "" and pages[-1].next_cursor == ""


@pytest.mark.parametrize(
    ("statuses", "country"),
    [((), ""), (("completed",), ""), (("trash", "on-hold"), ""), (("checkout-draft",), "CA"), ((), "DE"), ((), "FR")],
)
def test_count_from_rollups_equals_the_rows_of_the_list(store: Store, statuses: tuple, country: str) -> None:
    rows = orders_list([store], FIRST, LAST, statuses=statuses, country=country).count()
    count = order_count([store], FIRST, LAST, statuses=statuses, country=country)
    assert (count.value, count.exact) == (rows, True)


def test_a_search_count_is_exact_below_the_cap(store: Store) -> None:
    count = order_count([store], FIRST, LAST, search="buyer1@")
    assert (count.value, count.exact) == (orders_list([store], FIRST, LAST, search="buyer1@").count(), True)
    assert count.value > 0 and count.value < SEARCH_COUNT_CAP


def test_a_search_by_number_finds_the_order(store: Store) -> None:
    assert [o.wc_id for o in orders_list([store], FIRST, LAST, search="#12")] == [12]


def test_a_search_count_stops_at_the_cap(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("storelens.analytics.reports.orders.SEARCH_COUNT_CAP", 3)
    count = order_count([store], FIRST, LAST, search="example.com")
    assert (count.value, count.exact) == (3, False)


def test_a_malformed_cursor_starts_from_the_first_page(store: Store) -> None:
    qs = orders_list([store], FIRST, LAST)
    assert [o.pk for o in keyset_page(qs, "date", after="x_y", per_page=3).rows] == [o.pk for o in qs[:3]]


@pytest.mark.parametrize("cap", [1000, 0])
def test_a_search_by_customer_name_finds_their_orders(store: Store, cap: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from storelens.commerce.models import Customer, Order

    monkeypatch.setattr("storelens.analytics.reports.order_search.CUSTOMER_MATCH_CAP", cap)  # 0: the subquery path
    Customer.objects.filter(store=store, email="buyer2@example.com").update(first_name="Ada", last_name="Lovelace")
    theirs = set(
        Order.objects.filter(store=store, customer__email="buyer2@example.com", wc_id__lt=90).values_list(
            "wc_id", flat=True
        )
    )
    assert theirs and {o.wc_id for o in orders_list([store], FIRST, LAST, search="lovel")} == theirs

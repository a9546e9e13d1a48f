"""The orders list against the chosen comparison period (issue 16 #3): the list's count and the net sales by date
created, from the rollups, with the list's status and country filters; none with a search.

The New York shop of tests/analytics/shops.py, created dates (its own clock):
- March 2025: orders 1 (1 Mar, net 100.00), 2 (3 Mar, 40.00), 3 (4 Mar, on hold, 25.00), 5 (5 Mar, Canada, 20.00),
  and order 1's refund on 6 March (net −20.00): 4 orders, net 165.00 (on hold is counted by default).
- 29 Jan – 28 Feb 2025 (March's previous period): order 4 (10 Feb, 10.00), order 6 (15 Feb, cancelled: an excluded
  status, 30.00), order 8 (16 Feb, in the trash, 5.00): 3 orders in the list, net 10.00.
- March 2024: order 70 (12 Mar 2024, 70.00): 1 order, net 70.00.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.reports.cells import country_daily, filtered_daily
from storelens.analytics.reports.orders import order_count, orders_list
from storelens.analytics.reports.orders_compare import UNAVAILABLE, created_net, orders_comparison
from storelens.analytics.reports.summary import build
from storelens.commerce import upsert_orders, upsert_refunds
from storelens.stores.models import Store
from tests.analytics.payloads import order_payload, refund_payload
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db
MARCH = "from=2025-03-01&to=2025-03-31"
FIRST, LAST = date(2025, 3, 1), date(2025, 3, 31)
BEFORE = (date(2025, 1, 29), date(2025, 2, 28))
YEAR_BEFORE = (date(2024, 3, 1), date(2024, 3, 31))


@pytest.fixture
def ny(alice: Any) -> Any:
    ny, _ = make_shops(Workspace.objects.get(name="Alice's Shop"))
    upsert_orders(
        ny,
        [
            order_payload(70, created="2024-03-12T15:00:00", paid="2024-03-12T15:00:00", net=7000),
            order_payload(6, status="cancelled", created="2025-02-15T15:00:00", net=3000),
            order_payload(8, status="trash", created="2025-02-16T15:00:00", net=500),
        ],
    )
    return ny


def test_orders_list_compares_its_count_and_net_with_the_previous_period(ny: Any, alice: Any, client_for: Any) -> None:
    page = client_for(alice).get(f"/orders/?{MARCH}&source={ny.pk}&compare=previous")
    compared, html = page.context["compared"], page.content.decode()
    assert (compared.orders, compared.net_now, compared.net_then) == (3, 16500, 1000)
    assert page.context["count"].value == 4
    assert "+33.3 % <span" in html and "vs previous period (3)" in html and "29 Jan 2025 – 28 Feb 2025" in html
    assert "$165.00" in html and "+1550.0 % <span" in html and "vs $10.00" in html


def test_the_remembered_choice_applies_on_the_orders_list(ny: Any, alice: Any, client_for: Any) -> None:
    client = client_for(alice)
    client.get(f"/products/?{MARCH}&source={ny.pk}&compare=last_year")  # chosen on another page
    page = client.get(f"/orders/?{MARCH}&source={ny.pk}")
    compared, html = page.context["compared"], page.content.decode()
    assert (compared.first, compared.last) == YEAR_BEFORE
    assert (compared.orders, compared.net_then) == (1, 7000)
    assert 'value="last_year" selected' in html and "vs same period last year (1)" in html
    assert "+135.7 %" in html  # 165.00 against 70.00


@pytest.mark.parametrize(
    ("statuses", "country"),
    [
        ((), ""),
        (("on-hold",), ""),
        (("cancelled",), ""),
        (("trash",), ""),
        (("completed", "processing"), ""),
        ((), "CA"),
        ((), "US"),
    ],
)
@pytest.mark.parametrize("then", [BEFORE, YEAR_BEFORE, (FIRST, LAST)])
def test_comparison_figures_equal_the_existing_readers_over_the_comparisons_days(
    ny: Any, statuses: tuple[str, ...], country: str, then: tuple[date, date]
) -> None:
    found = orders_comparison([ny], FIRST, LAST, then, statuses, country)
    # The count: the list itself over the comparison's days, counted row by row.
    assert found.orders == orders_list([ny], *then, "", statuses, country).count()
    # The net: the raw-row reader of the Sales filters (or, by country, its rollup reader) on the created basis.
    created = report_settings(ny, "created")
    if country:
        expected = sum(t.net_sales for t in country_daily(ny, created, *then, country, statuses).values())
    else:
        expected = sum(t.net_sales for t in filtered_daily(ny, created, *then, None, "", statuses).values())
    assert found.net_then == expected
    if not statuses and not country:
        assert found.net_then == build([ny], *then, date_basis="created", with_customers=False).totals.net_sales


def test_a_refund_in_the_comparison_period_counts_on_its_own_day(ny: Any) -> None:
    # Order 4 (10 Feb) refunded 4.00 on 20 Feb: the comparison's net falls to 6.00, its count stays 3.
    upsert_orders(
        ny,
        [
            order_payload(
                4,
                created="2025-02-10T15:00:00",
                paid="2025-02-10T15:00:00",
                net=1000,
                email="cy@x.org",
                refund_ids=[51],
            )
        ],
    )
    upsert_refunds(ny, [refund_payload(51, 4, "2025-02-20T15:00:00", items=400)])
    found = orders_comparison([ny], FIRST, LAST, BEFORE)
    assert (found.orders, found.net_then) == (3, 600)
    raw = filtered_daily(ny, report_settings(ny, "created"), *BEFORE)
    assert found.net_then == sum(t.net_sales for t in raw.values())


def test_filters_the_rollups_answer_are_kept_and_a_search_has_no_comparison(
    ny: Any, alice: Any, client_for: Any
) -> None:
    client = client_for(alice)
    compared = client.get(f"/orders/?{MARCH}&source={ny.pk}&compare=previous&country=CA").context["compared"]
    assert (compared.orders, compared.net_now, compared.net_then) == (0, 2000, 0)
    compared = client.get(f"/orders/?{MARCH}&source={ny.pk}&status=on-hold").context["compared"]
    assert (compared.orders, compared.net_now, compared.net_then) == (0, 2500, 0)
    # A status the store excludes from its figures, asked for by name: its orders and their net (30.00).
    compared = client.get(f"/orders/?{MARCH}&source={ny.pk}&status=cancelled").context["compared"]
    assert (compared.orders, compared.net_now, compared.net_then) == (1, 0, 3000)
    page = client.get(f"/orders/?{MARCH}&source={ny.pk}&q=ann")
    html = page.content.decode()
    assert page.context["compare_problem"] == UNAVAILABLE and UNAVAILABLE in html
    assert "orders-kpis" not in html and len(page.context["page"].rows) == 2  # the list itself is unchanged


def test_support_sees_the_count_against_the_comparison_but_no_net(ny: Any, make_member: Any, client_for: Any) -> None:
    helper = make_member("sam@example.com", "Alice's Shop", role="support")
    page = client_for(helper).get(f"/orders/?{MARCH}&source={ny.pk}")
    compared, html = page.context["compared"], page.content.decode()
    assert compared.orders == 3 and compared.net_now is None and compared.net_then is None
    assert "Net sales" not in html and "vs previous period (3)" in html


def test_stores_in_two_currencies_are_converted_as_the_summary_converts(ny: Any, alice: Any, client_for: Any) -> None:
    # All stores: New York (USD) and Berlin (EUR, order 9 on 7 March 2025: 100.00) convert into USD at ECB rates.
    page = client_for(alice).get(f"/orders/?{MARCH}&compare=previous")
    compared = page.context["compared"]
    stores = [ny, Store.objects.get(name="Berlin")]
    now = build(stores, FIRST, LAST, currency="USD", date_basis="created", with_customers=False)
    then = build(stores, *BEFORE, currency="USD", date_basis="created", with_customers=False)
    assert compared.currency == "USD" and page.context["count"].value == 5 and compared.orders == 3
    assert (compared.net_now, compared.net_then) == (now.totals.net_sales, then.totals.net_sales)
    assert 16500 + 10000 < compared.net_now < 16500 + 12000  # 100.00 EUR was worth a little more than 100 USD


def test_created_net_adds_one_currency_at_face_value(ny: Any) -> None:
    assert created_net([ny], FIRST, LAST, target="USD") == 16500


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner has no statistics; PostgreSQL weighs both")
def test_a_status_filter_counts_deleted_orders_through_their_own_index(ny: Any) -> None:
    # The list's count (twice with the comparison) reads deleted orders through the deleted orders' partial index,
    # not every order of the range in that status (144 ms for a year of 200k orders before).
    with CaptureQueriesContext(connection) as queries:
        order_count([ny], *BEFORE, statuses=["completed"])
    deleted = [q["sql"] for q in queries.captured_queries if "deleted_at" in q["sql"] and "NOT NULL" in q["sql"]]
    assert deleted
    with connection.cursor() as cursor:
        for sql in deleted:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            assert "order_list_deleted" in " ".join(str(row) for row in cursor.fetchall()), sql

"""The Cohorts page, its CSV and `/api/v1/cohorts` group customers by their first counted order, with hand-checked
figures from the two small shops (tests/analytics/shops.py, paid basis): in New York cy@x.org first ordered in
February (10.00) and again in March (20.00); ann@x.org first ordered on 1 March local time (100.00, 20.00 of it
refunded later) and again on 3 March (40.00)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.analytics.reports.fx import Rates
from storelens.commerce import upsert_orders
from storelens.commerce.money import decimal_string
from tests.analytics.payloads import order_payload
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db
FEB_MAR = "from=2025-02-01&to=2025-03-31"


@pytest.fixture
def shops(alice: Any) -> tuple[Any, Any]:
    return make_shops(Workspace.objects.get(name="Alice's Shop"))


def test_each_customer_joins_the_month_of_their_first_counted_order(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    page = client_for(alice).get(f"/cohorts/?{FEB_MAR}&source={ny.pk}&show=net_sales")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Feb 2025, month 0: 1 of 1 customers ordered, 1 orders, 10.00 net, 10.00 per customer so far" in html
    assert "Feb 2025, month 1: 1 of 1 customers ordered, 1 orders, 20.00 net, 30.00 per customer so far" in html
    # ann's two March orders, less the refund of the first: one customer, 120.00.
    assert "Mar 2025, month 0: 1 of 1 customers ordered, 2 orders, 120.00 net, 120.00 per customer so far" in html
    assert "Mar 2025, month 1: 0 of 1 customers ordered, 0 orders, 0.00 net, 120.00 per customer so far" in html


def test_weeks_start_on_monday_in_the_stores_own_zone(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    html = client_for(alice).get(f"/cohorts/?{FEB_MAR}&source={ny.pk}&grain=week").content.decode()
    # Order 1, paid 04:59 UTC on Sunday 2 March, is Saturday 1 March in New York: the week of Monday 24 February;
    # order 2 on Monday 3 March is the next week.
    assert "Week of 24 Feb 2025, week 1: 1 of 1 customers ordered, 1 orders, 40.00 net" in html


def test_filters_narrow_cohorts_to_what_the_first_order_held(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    client = client_for(alice)
    base = f"/cohorts/?{FEB_MAR}&source={ny.pk}"
    assert "Mar 2025, month 0" in client.get(f"{base}&product=7&country=US").content.decode()
    # cy's March order went to Canada, but her first order (February) was billed to the US.
    assert "No customer placed a first counted order" in client.get(f"{base}&country=CA").content.decode()
    assert "No customer placed a first counted order" in client.get(f"{base}&product=8").content.decode()
    assert "No customer placed a first counted order" in client.get(f"{base}&coupon=spring").content.decode()


def test_csv_has_every_period_up_to_today_with_cumulative_net(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    body = client_for(alice).get(f"/cohorts/?{FEB_MAR}&source={ny.pk}&format=csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    feb = [r for r in rows if r["cohort"] == "2025-02-01"]
    assert [(r["period"], r["customers_ordering"], r["net_sales"]) for r in feb[:2]] == [
        ("0", "1", "10.00"),
        ("1", "1", "20.00"),
    ]
    assert all(r["cumulative_net_per_customer"] == "30.00" for r in feb[1:])
    assert {r["currency"] for r in rows} == {"USD"}


def test_stores_add_up_by_cohort_converted_at_each_periods_first_day(shops: Any, alice: Any, client_for: Any) -> None:
    _, berlin = shops
    upsert_orders(
        berlin,
        [
            order_payload(
                10, currency="EUR", created="2025-03-10T10:00:00", paid="2025-03-10T10:00:00", net=5000, email="d@x.org"
            )
        ],
    )
    body = client_for(alice).get(f"/cohorts/?{FEB_MAR}&currency=USD&format=csv").content.decode()
    march = next(r for r in csv.DictReader(io.StringIO(body)) if r["cohort"] == "2025-03-01" and r["period"] == "0")
    euros = Rates().convert_minor(5000, "EUR", "USD", date(2025, 3, 1))
    assert march["cohort_customers"] == "2" and march["orders"] == "3"
    assert march["net_sales"] == decimal_string(12000 + euros, "USD")


def test_api_cohorts_match_the_page(shops: Any, alice: Any, api_client_for: Any) -> None:
    ny, _ = shops
    api = api_client_for(alice)
    body = api.get(f"/api/v1/cohorts?source={ny.pk}&date_from=2025-02-01&date_to=2025-03-31").json()
    assert body["grain"] == "month" and body["currency"] == "USD"
    feb, mar = body["cohorts"]
    assert (feb["cohort"], feb["customers"], mar["cohort"]) == ("2025-02-01", 1, "2025-03-01")
    assert feb["periods"][1] == {
        "period": 1,
        "customers": 1,
        "retention": 1.0,
        "orders": 1,
        "net_sales": "20.00",
        "cumulative_net_per_customer": "30.00",
    }
    assert api.get(f"/api/v1/cohorts?source={ny.pk}&grain=day").status_code == 422
    assert api.get(f"/api/v1/cohorts?source={ny.pk}&country=USA").status_code == 422


def test_support_role_sees_neither_the_page_nor_the_api_nor_the_nav_entry(
    shops: Any, make_member: Any, client_for: Any, api_client_for: Any
) -> None:
    helper = make_member("sam@example.com", "Alice's Shop", role="support")
    assert client_for(helper).get(f"/cohorts/?{FEB_MAR}").status_code == 403
    assert api_client_for(helper).get("/api/v1/cohorts").status_code == 403
    assert 'href="/cohorts/"' not in client_for(helper).get("/customers/").content.decode()
    analyst = make_member("ana@example.com", "Alice's Shop", role="analyst")
    assert client_for(analyst).get(f"/cohorts/?{FEB_MAR}").status_code == 200
    assert api_client_for(analyst).get("/api/v1/cohorts").status_code == 200


def test_cells_held_back_for_a_large_store_say_when_they_are_recounted(shops: Any, alice: Any, client_for: Any) -> None:
    """Behind, with a paced refresh queued (`rollups.cohorts.paced_until`): the page says the figures are as of the
    last count and when the next one runs, rather than promising the end of the running sync."""
    from datetime import UTC, datetime

    from storelens.analytics.models import CohortSnapshot
    from storelens.analytics.rollups.cohorts import refresh
    from storelens.analytics.rollups.snapshots import refresh as refresh_customers

    ny, _ = shops
    refresh(ny)
    refresh_customers(ny)  # a pass moved customers after the cells were counted
    page = f"/cohorts/?{FEB_MAR}&source={ny.pk}"
    html = client_for(alice).get(page).content.decode()
    assert "refreshed at the end of the running sync" in html
    CohortSnapshot.objects.filter(store=ny).update(deferred_until=datetime(2025, 4, 1, 14, 35, tzinfo=UTC))
    html = client_for(alice).get(page).content.decode()
    assert "are recounted around 14:35" in html and "running sync" not in html

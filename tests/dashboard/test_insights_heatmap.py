"""The Sales heatmap page, its CSV and `/api/v1/heatmap` answer each order in the weekday and hour of its store's own
clock, with hand-checked figures from the two small shops (tests/analytics/shops.py, paid basis)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from storelens.accounts.models import Workspace
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db
MARCH = "from=2025-03-01&to=2025-03-31"


@pytest.fixture
def shops(alice: Any) -> tuple[Any, Any]:
    return make_shops(Workspace.objects.get(name="Alice's Shop"))


def test_heatmap_puts_each_order_in_its_stores_local_weekday_and_hour(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    page = client_for(alice).get(f"/sales/heatmap/?{MARCH}&source={ny.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    # Order 1 was paid 04:59 UTC on 2 March: 11:59 pm on Saturday 1 March in New York.
    assert 'title="Saturday 11 pm: 1"' in html
    assert 'title="Monday 10 am: 1"' in html and 'title="Wednesday 10 am: 1"' in html
    assert 'title="Thursday 10 am: 0"' in html
    assert "America/New_York" in html


def test_net_sales_heatmap_counts_a_refund_in_its_own_hour_and_adds_up_to_the_report(
    shops: Any, alice: Any, client_for: Any
) -> None:
    ny, _ = shops
    html = client_for(alice).get(f"/sales/heatmap/?{MARCH}&source={ny.pk}&metric=net_sales").content.decode()
    assert 'title="Saturday 11 pm: 100.00"' in html
    assert 'title="Thursday 10 am: -20.00"' in html and "heat-negative" in html
    rows = list(
        csv.DictReader(
            io.StringIO(
                client_for(alice)
                .get(f"/sales/heatmap/?{MARCH}&source={ny.pk}&metric=net_sales&format=csv")
                .content.decode()
            )
        )
    )
    assert len(rows) == 7 * 24
    assert sum(float(r["net_sales"]) for r in rows) == pytest.approx(140.00)  # `storelens report`'s net sales


def test_all_stores_add_up_by_their_own_clocks(shops: Any, alice: Any, client_for: Any) -> None:
    html = client_for(alice).get(f"/sales/heatmap/?{MARCH}").content.decode()
    # Berlin's order 9, paid 10:00 UTC on Friday 7 March, is 11 am on Berlin's clock.
    assert 'title="Friday 11 am: 1"' in html
    assert "America/New_York, Europe/Berlin" in html


def test_api_heatmap_has_every_hour_and_the_net_sales_of_the_report(
    shops: Any, alice: Any, api_client_for: Any
) -> None:
    ny, _ = shops
    body = (
        api_client_for(alice)
        .get(f"/api/v1/heatmap?source={ny.pk}&date_from=2025-03-01&date_to=2025-03-31&metric=net_sales")
        .json()
    )
    assert body["currency"] == "USD" and len(body["cells"]) == 168
    cells = {(c["weekday"], c["hour"]): c["value"] for c in body["cells"]}
    assert cells[(6, 23)] == "100.00" and cells[(4, 10)] == "-20.00"  # ISO weekdays: 6 Saturday, 4 Thursday
    orders = api_client_for(alice).get(f"/api/v1/heatmap?source={ny.pk}&date_from=2025-03-01&date_to=2025-03-31")
    assert sum(int(c["value"]) for c in orders.json()["cells"]) == 3


def test_api_heatmap_refuses_an_unknown_figure(shops: Any, alice: Any, api_client_for: Any) -> None:
    assert api_client_for(alice).get("/api/v1/heatmap?metric=profit").status_code == 422

"""The Customers page and the customers API read the stores' customer snapshots: they say when the whole-history
figures are behind the latest sync writes, and rank and filter through the standings."""

from __future__ import annotations

from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.analytics.rollups.snapshots import refresh_if_stale
from storelens.commerce import upsert_orders
from storelens.commerce.models import Customer
from tests.analytics.payloads import order_payload
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db
MARCH = "from=2025-03-01&to=2025-03-31"


@pytest.fixture
def shops(alice: Any) -> tuple[Any, Any]:
    return make_shops(Workspace.objects.get(name="Alice's Shop"))


def test_the_page_says_lifetime_figures_are_as_of_the_last_refresh_until_the_pass_ends(
    shops: Any, alice: Any, client_for: Any
) -> None:
    ny, _ = shops
    client = client_for(alice)
    assert "as of" not in client.get(f"/customers/?{MARCH}&source={ny.pk}").content.decode()
    upsert_orders(ny, [order_payload(80, created="2025-03-20T10:00:00", paid="2025-03-20T10:00:00", email="zed@x.org")])
    stale = client.get(f"/customers/?{MARCH}&source={ny.pk}").content.decode()
    assert "as of" in stale and "zed@x.org" not in stale
    refresh_if_stale(ny)
    fresh = client.get(f"/customers/?{MARCH}&source={ny.pk}").content.decode()
    assert "as of" not in fresh and "zed@x.org" in fresh


def test_the_customers_api_ranks_by_lifetime_net_and_filters_by_segment(
    shops: Any, alice: Any, api_client_for: Any
) -> None:
    ny, _ = shops
    client = api_client_for(alice)
    everyone = client.get(f"/api/v1/customers?source={ny.pk}").json()
    assert [c["lifetime_net"] for c in everyone["results"]] == ["120.00", "30.00"]
    segment = everyone["results"][1]["segment"]
    only = client.get(f"/api/v1/customers?source={ny.pk}&segment={segment}").json()
    assert only["count"] >= 1 and {c["segment"] for c in only["results"]} == {segment}
    ann = Customer.objects.get(store=ny, email="ann@x.org")
    one = client.get(f"/api/v1/customers/{ann.pk}").json()
    assert (one["lifetime_net"], one["rfm"]) == ("120.00", everyone["results"][0]["rfm"])

"""`GET /api/v1/explain`: the comparison with WooCommerce Analytics as JSON, on the New York shop with WooCommerce
Analytics' answers given at the HTTP seam (tests/doctor/analytics_answers.py); closed to support, 502 with what to
do when the store refuses."""

from __future__ import annotations

from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.doctor import wc_compare
from tests.analytics.shops import make_shops
from tests.doctor.analytics_answers import order_2_not_reimported

pytestmark = pytest.mark.django_db
MARCH = "date_from=2025-03-01&date_to=2025-03-31"


@pytest.fixture
def ny(alice: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    store, _ = make_shops(Workspace.objects.get(name="Alice's Shop"))
    order_2_not_reimported(store, monkeypatch)
    return store


def test_explain_names_the_lagging_order_and_every_figure(ny: Any, alice: Any, api_client_for: Any) -> None:
    answer = api_client_for(alice).get(f"/api/v1/explain?source={ny.pk}&{MARCH}")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert [f["figure"] for f in body["figures"]][:3] == ["orders", "net_sales", "total_sales"]
    orders = next(f for f in body["figures"] if f["figure"] == "orders")
    assert (orders["woocommerce"], orders["storelens"], orders["difference"], orders["unexplained"]) == (
        "2",
        "3",
        "-1",
        "0",
    )
    (row,) = [r for r in body["orders"] if r["id"] == 2]
    assert (row["reason"], row["woocommerce_status"], row["storelens_status"]) == ("status_lag", "pending", "completed")
    assert row["differences"]["net_sales"] == "-40.00"


def test_explain_is_closed_to_support(ny: Any, make_member: Any, api_client_for: Any) -> None:
    support = make_member("sam@example.com", "Alice's Shop", role="support")
    assert api_client_for(support).get(f"/api/v1/explain?source={ny.pk}&{MARCH}").status_code == 403


def test_a_store_refusing_its_reports_is_a_502_saying_what_to_do(
    ny: Any, alice: Any, api_client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*a: Any) -> Any:
        raise wc_compare.CompareError("The store refused its Analytics reports to Storelens's key: reconnect.")

    monkeypatch.setattr(wc_compare, "fetch", refuse)
    answer = api_client_for(alice).get(f"/api/v1/explain?source={ny.pk}&{MARCH}")
    assert answer.status_code == 502 and "reconnect" in answer.json()["detail"]

"""The store's "Compare with WooCommerce Analytics" page and its CSV, on the New York shop with WooCommerce
Analytics' answers given at the HTTP seam (tests/doctor/analytics_answers.py). Support sees no revenue totals."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.utils import timezone

from storelens.accounts.models import Workspace
from storelens.doctor import wc_compare
from tests.analytics.shops import make_shops
from tests.doctor.analytics_answers import order_2_not_reimported

pytestmark = pytest.mark.django_db
MARCH = "from=2025-03-01&to=2025-03-31"


@pytest.fixture
def ny(alice: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    store, _ = make_shops(Workspace.objects.get(name="Alice's Shop"))
    store.keys_verified_at = timezone.now()
    store.save()
    order_2_not_reimported(store, monkeypatch)
    return store


def test_the_page_names_the_order_analytics_has_not_reimported_with_both_statuses(
    ny: Any, alice: Any, client_for: Any
) -> None:
    page = client_for(alice).get(f"/sources/{ny.pk}/compare/?{MARCH}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Status not re-imported" in html and "Order #2" in html
    assert "WooCommerce: pending · now: completed" in html
    assert "'pending'" in html.replace("&#x27;", "'") and "'completed'" in html.replace("&#x27;", "'")


def test_the_csv_lists_each_difference_by_order(ny: Any, alice: Any, client_for: Any) -> None:
    answer = client_for(alice).get(f"/sources/{ny.pk}/compare/?{MARCH}&format=csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    order_2 = next(r for r in rows if r["id"] == "2")
    assert (order_2["reason"], order_2["woocommerce_status"], order_2["storelens_status"]) == (
        "status_lag",
        "pending",
        "completed",
    )
    assert order_2["orders"] == "-1" and order_2["net_sales"] == "-40.00"


def test_without_a_range_the_page_only_offers_the_last_30_days(ny: Any, alice: Any, client_for: Any) -> None:
    html = client_for(alice).get(f"/sources/{ny.pk}/compare/").content.decode()
    assert 'name="from"' in html and "Figures," not in html


def test_a_refusal_from_the_store_says_what_to_do(
    ny: Any, alice: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*a: Any) -> Any:
        raise wc_compare.CompareError("The store refused its Analytics reports to Storelens's key (…): reconnect.")

    monkeypatch.setattr(wc_compare, "fetch", refuse)
    html = client_for(alice).get(f"/sources/{ny.pk}/compare/?{MARCH}").content.decode()
    assert "refused its Analytics reports" in html.replace("&#x27;", "'")


def test_support_sees_neither_the_section_nor_the_page(ny: Any, make_member: Any, client_for: Any) -> None:
    support = make_member("sam@example.com", "Alice's Shop", role="support")
    assert client_for(support).get(f"/sources/{ny.pk}/compare/?{MARCH}").status_code == 403
    assert "Compare with WooCommerce Analytics" not in client_for(support).get(f"/sources/{ny.pk}/").content.decode()


def test_the_store_page_offers_the_comparison(ny: Any, alice: Any, client_for: Any) -> None:
    html = client_for(alice).get(f"/sources/{ny.pk}/").content.decode()
    assert "Compare with WooCommerce Analytics" in html and f"/sources/{ny.pk}/compare/" in html

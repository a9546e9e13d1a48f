"""The store's "Compare with WooCommerce Analytics" page and its CSV, on the New York shop (tests/analytics/shops.py)
with WooCommerce Analytics' answers given at the HTTP seam (`doctor.wc_compare.fetch*`: the fake store has no
Analytics tables; the real store's answers are tested in tests/doctor/test_wc_explain_real_store.py). Everything
behind the seam runs: Storelens's report, its rows, the explanation, the page. Support sees no revenue totals."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.orders import order_totals, refund_totals
from storelens.analytics.rollups.rows import raw_rows
from storelens.doctor import wc_compare
from storelens.woocommerce.analytics_reports import AnalyticsRow
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db
MARCH = "from=2025-03-01&to=2025-03-31"


def money(minor: int) -> Decimal:
    return Decimal(minor) / 100


@pytest.fixture
def ny(alice: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The New York shop, and its Analytics as WooCommerce would answer after order 2 went from pending to
    completed and before its import ran: order 2's row still says pending (not counted there)."""
    store, _ = make_shops(Workspace.objects.get(name="Alice's Shop"))
    store.keys_verified_at = timezone.now()
    store.save()
    orders, refunds = raw_rows(store)
    by_id = {o.id: o for o in orders}

    def row(oid: int, status: str, parent: int = 0) -> AnalyticsRow:
        t = order_totals(by_id[oid]) if not parent else refund_totals(next(r for r in refunds if r.id == oid))
        return AnalyticsRow(oid, parent, status, "2025-03-05 10:00:00", money(t.net_sales), money(t.total_sales), 0)

    counted = [row(1, "completed"), row(5, "completed"), row(50, "completed", parent=1)]
    totals = {
        "orders_count": Decimal(2),
        "num_items_sold": Decimal(0),
        "net_revenue": sum((r.net_total for r in counted), Decimal(0)),
        "total_sales": sum((r.total_sales for r in counted), Decimal(0)),
    }

    def fetch(_store: Any, first: Any, last: Any, date_type: str) -> Any:
        assert date_type == "date_paid"
        return totals, counted

    monkeypatch.setattr(wc_compare, "fetch", fetch)
    monkeypatch.setattr(wc_compare, "fetch_stale", lambda *a: [row(2, "pending")])
    monkeypatch.setattr(wc_compare, "fetch_deleted", lambda *a: set())
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

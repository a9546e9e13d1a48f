"""One status rule for every reader of a status filter (`cells.by_status`): a status asked for by name is shown, the
owner's excluded ones included, whether the Sales page reads the daily cells (no filter), the per-country cells (a
country), raw rows (a product) or the orders list's comparison net. Before, `summary.daily_in(statuses=...)` with the
store's own settings gave 0 for an excluded status while the country cells counted it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.reports.cells import asked_but_excluded, filtered_daily
from storelens.analytics.reports.filtered import filtered_daily_in
from storelens.analytics.reports.fx import Rates
from storelens.analytics.reports.orders_compare import created_net
from storelens.analytics.reports.summary import Report, daily_in
from storelens.commerce import upsert_orders, upsert_refunds
from tests.analytics.payloads import order_payload, refund_payload
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db
FIRST, LAST = date(2025, 3, 1), date(2025, 3, 31)


@pytest.fixture
def ny() -> Any:
    """The New York shop (excludes pending, failed and cancelled: WooCommerce's default) with two cancelled March
    orders, 7.77 to France and 3.00 to the US, the French one refunded 1.00, and a completed French order of 5.00."""
    store, _ = make_shops(Workspace.objects.create(name="Shops"))
    assert "cancelled" in report_settings(store).excluded_statuses
    at = "2025-03-10T15:00:00"
    upsert_orders(
        store,
        [
            order_payload(2000, status="cancelled", created=at, paid=at, country="FR", net=777, refund_ids=[60]),
            order_payload(2001, status="cancelled", created=at, paid=at, country="US", net=300),
            order_payload(2002, created=at, paid=at, country="FR", net=500),
        ],
    )
    upsert_refunds(store, [refund_payload(60, 2000, "2025-03-12T15:00:00", items=100)])
    return store


def sales_without_country(store: Any, statuses: list[str], excluded: list[str] | None = None) -> tuple[int, int]:
    report = Report(currency="USD", first=FIRST, last=LAST, timezone="")
    daily_in(report, [store], False, None, excluded, Rates(), statuses)
    return report.totals.orders, report.totals.net_sales


def sales_in(store: Any, country: str, statuses: list[str], product: int | None = None) -> tuple[int, int]:
    days = filtered_daily_in([store], "USD", False, FIRST, LAST, product, country, statuses)
    return sum(t.orders for t in days.values()), sum(t.net_sales for t in days.values())


def test_an_excluded_status_asked_for_is_shown_on_every_path(ny: Any) -> None:
    # 2 cancelled orders, net 7.77 + 3.00 − 1.00 refunded.
    assert sales_without_country(ny, ["cancelled"]) == (2, 977)
    assert sales_without_country(ny, ["cancelled"], excluded=[]) == (2, 977)  # excluded overridden: the same
    france, us = sales_in(ny, "FR", ["cancelled"]), sales_in(ny, "US", ["cancelled"])
    assert france == (1, 677) and us == (1, 300)
    assert (france[0] + us[0], france[1] + us[1]) == sales_without_country(ny, ["cancelled"])
    # A product filter reads raw rows (item 7 is in every order): the same figures as the cells.
    assert sales_in(ny, "", ["cancelled"], product=7) == (2, 977)
    assert sales_in(ny, "FR", ["cancelled"], product=7) == france
    settings = report_settings(ny)
    raw = filtered_daily(ny, settings, FIRST, LAST, 7, "FR", ["cancelled"])
    assert (sum(t.orders for t in raw.values()), sum(t.net_sales for t in raw.values())) == france
    # The orders list's comparison net (created basis; these orders are created and paid the same day).
    assert created_net([ny], FIRST, LAST, ["cancelled"], target="USD") == 977
    assert created_net([ny], FIRST, LAST, ["cancelled"], "FR", target="USD") == 677


def test_without_a_status_filter_the_excluded_status_is_left_out_everywhere(ny: Any) -> None:
    counted = ["completed", "processing", "on-hold", "refunded"]  # the statuses the store does not exclude
    orders, net = sales_without_country(ny, [])
    assert (orders, net) == sales_without_country(ny, counted)
    assert sales_without_country(ny, ["cancelled", *counted]) == (orders + 2, net + 977)
    france = sales_in(ny, "FR", [])
    assert france == (1, 500)  # the completed order only
    assert sales_in(ny, "FR", [], product=7) == france
    assert created_net([ny], FIRST, LAST, [], "FR", target="USD") == 500


def test_statuses_asked_with_others_add_up(ny: Any) -> None:
    both = sales_without_country(ny, ["cancelled", "completed"])
    alone = [sales_without_country(ny, [s]) for s in ("cancelled", "completed")]
    assert both == (alone[0][0] + alone[1][0], alone[0][1] + alone[1][1])
    assert sales_in(ny, "FR", ["cancelled", "completed"]) == (2, 1177)


def test_always_excluded_statuses_are_never_shown(ny: Any) -> None:
    at = "2025-03-11T15:00:00"
    upsert_orders(ny, [order_payload(2003, status="checkout-draft", created=at, paid=at, country="FR", net=900)])
    assert sales_without_country(ny, ["checkout-draft"]) == (0, 0)
    assert sales_in(ny, "FR", ["checkout-draft"]) == (0, 0)
    assert sales_in(ny, "FR", ["checkout-draft"], product=7) == (0, 0)
    assert created_net([ny], FIRST, LAST, ["checkout-draft"], "FR", target="USD") == 0


def test_asked_but_excluded_names_the_stores_that_leave_a_status_out(ny: Any) -> None:
    from storelens.stores.models import Store

    berlin = Store.objects.get(workspace=ny.workspace, name="Berlin")
    berlin.excluded_statuses = ["failed"]
    berlin.save()
    assert asked_but_excluded([ny, berlin], ["cancelled", "completed", "failed", "cancelled"]) == [
        ("cancelled", [ny]),
        ("failed", [ny, berlin]),
    ]
    assert asked_but_excluded([ny, berlin], []) == []

"""The real store, imported through the sync's upserts, reports exactly what WooCommerce Analytics says
(`expected-metrics.json`): every day and the total, on the paid and the created basis."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from storelens.accounts.models import Workspace
from storelens.analytics.metrics.ranges import range_totals
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.reports.cells import Totals, daily, totals
from storelens.analytics.rollups.rows import raw_rows
from storelens.commerce.money import decimal_string
from tests.analytics.realstore import DATASET, load_through_upserts, make_store, read

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not DATASET.exists(), reason="the real store's dataset is not here"),
]


def as_strings(t: Totals) -> dict[str, str]:
    def money(minor: int) -> str:
        # expected-metrics.json writes zero as "0" and everything else with two decimals.
        return "0" if minor == 0 else decimal_string(minor, "USD")

    return {"orders": str(t.orders), "net_sales": money(t.net_sales), "refunds": money(t.refunds)}


def test_real_store_day_by_day_and_total_equal_woocommerce_analytics() -> None:
    store = make_store(Workspace.objects.create(name="Lab"))
    load_through_upserts(store)
    orders, refunds = raw_rows(store)
    for basis in ("paid", "created"):
        check_basis(store, basis, orders, refunds)


def check_basis(store: object, basis: str, orders: list, refunds: list) -> None:
    expected = read("expected-metrics.json")["bases"][basis]
    settings = report_settings(store, date_basis=basis)
    first, last = date.fromisoformat(expected["from"]), date.fromisoformat(expected["to"])

    from_rollups = {d.isoformat(): as_strings(t) for d, t in daily(store, settings, first, last).items()}
    from_rollups = {d: v for d, v in from_rollups.items() if v != {"orders": "0", "net_sales": "0", "refunds": "0"}}
    assert from_rollups == expected["days"]
    assert as_strings(totals(store, settings, first, last)) == expected["total"]

    # The same numbers from the raw rows through the pure definitions (what drill-down and exports use).
    assert as_strings(range_totals(orders, refunds, settings, first, last)) == expected["total"]
    assert Decimal(expected["total"]["net_sales"]) > 0

    # And `storelens report` prints the same totals.
    out, err = StringIO(), StringIO()
    args = ["--source", str(store.pk), "--from", expected["from"], "--to", expected["to"], "--date-basis", basis]
    call_command("report", *args, "--json", stdout=out, stderr=err)
    printed = json.loads(out.getvalue())
    assert {k: printed[k] for k in ("orders", "net_sales", "refunds")} == {
        "orders": int(expected["total"]["orders"]),
        "net_sales": expected["total"]["net_sales"],
        "refunds": expected["total"]["refunds"],
    }
    assert (
        "EUR" in err.getvalue()
    )  # the store's 8 EUR orders are added at face value, as WooCommerce does, and we say so

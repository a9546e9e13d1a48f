"""`storelens explain` against the real WordPress 7.1 + WooCommerce 11.0.1 store (tests/realstore), with the store's
read-only key: WooCommerce Analytics' own Revenue and Orders reports beside Storelens's report, every difference
named by order.

1. Steady state (the store's queue has run, Storelens synced): every residual difference is explained to the cent
   (the explained differences add up to WooCommerce's figure minus Storelens's, for every figure), and the rows
   explaining it are the seed's known cases (fees in gross sales, orders Analytics still holds after they left).
2. The lag: a status changed while WooCommerce's Analytics import is scheduled (`time() + 5`, Action Scheduler, which
   only runs when the test runs the queue) makes the order count with its old status there; Storelens names it with
   both statuses, in both directions (counted there only, counted here only). Once the queue has run, it is gone.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from storelens.analytics.reports.wc_explain import Explanation, RowDifference
from storelens.commerce.models import Order
from storelens.doctor.wc_compare import compare
from storelens.stores.adding import add_with_keys
from storelens.stores.models import Store
from storelens.sync.api import run_sync
from tests.conftest import POSTGRES_PASS
from tests.realstore import truth

pytestmark = [
    pytest.mark.realstore,
    pytest.mark.django_db,
    # One pass is enough for a store's minutes: the SQLite pass has the browser walk on the same store, this one reads
    # Storelens's rows with PostgreSQL.
    pytest.mark.skipif(not POSTGRES_PASS, reason="runs on the PostgreSQL pass (the SQLite pass walks the page)"),
]


@pytest.fixture
def workspace(alice: Any) -> Any:
    from storelens.accounts.models import Workspace

    return Workspace.objects.get(name="Alice's Shop")


def data_range(shop: Any) -> tuple[date, date]:
    """From the first local day `wc_order_stats` holds a date on to tomorrow: no row falls outside, and orders paid
    by the test fall inside."""
    rows = truth.read_stats(shop.sql)
    stamps = [d for r in rows for d in (r.date_created, r.date_paid, r.date_completed) if d is not None]
    return min(stamps).date(), date.today() + timedelta(days=1)


def connected(workspace: Any, shop: Any) -> Store:
    """The store added as an owner adds it, with the read-only key (`sources add`); its first import runs."""
    store, _ = add_with_keys(workspace, shop.url, *shop.read_only_key)
    store.refresh_from_db()
    assert store.currency == "USD" and Order.objects.filter(store=store).exists()
    return store


def assert_explained_to_the_cent(found: Explanation) -> None:
    for figure in found.figures:
        explained = sum(row.differences.get(figure.name, 0) for row in found.rows)
        assert explained == figure.difference, (figure, [r for r in found.rows if figure.name in r.differences])
        assert figure.unexplained == 0, figure


def one_order(shop: Any, stats_statuses: str, paid: bool = True) -> int:
    """An order whose Analytics row and current status agree, in one of these statuses, without refunds."""
    rows = shop.sql(
        "SELECT s.order_id FROM wp_wc_order_stats s JOIN wp_wc_orders o ON o.id = s.order_id "
        f"WHERE s.parent_id = 0 AND s.status IN ({stats_statuses}) AND o.status = s.status "
        f"AND s.date_paid IS {'NOT ' if paid else ''}NULL "
        "AND NOT EXISTS (SELECT 1 FROM wp_wc_order_stats r WHERE r.parent_id = s.order_id) ORDER BY s.order_id"
    )
    assert rows, f"the seed should have an order in {stats_statuses}"
    return int(rows[0]["order_id"])


def stats_status(shop: Any, order_id: int) -> str:
    return str(shop.sql("SELECT status FROM wp_wc_order_stats WHERE order_id = %s", [order_id])[0]["status"])


def by_id(found: Explanation) -> dict[tuple[str, int], RowDifference]:
    return {(r.kind, r.id): r for r in found.rows}


def test_explain_names_orders_analytics_has_not_reimported_and_explains_every_difference_to_the_cent(
    workspace: Any, restored_real_store_us: Any
) -> None:
    shop = restored_real_store_us
    shop.run_queue()
    first, last = data_range(shop)
    seeded_lag = {lag["order"] for lag in truth.analytics_lag(shop.sql) if not lag["refund"]}
    with override_settings(STORELENS_ALLOW_PRIVATE_STORES=True, STORELENS_STORE_CA_BUNDLE=str(shop.ca_bundle)):
        store = connected(workspace, shop)

        # 1. Steady state: what the seed leaves (trashed and deleted orders, fees, an edit in SQL) is all explained.
        found = compare(store, first, last)
        assert_explained_to_the_cent(found)
        reasons = {r.reason for r in found.rows}
        assert {"gross_counts_fees", "trashed", "deleted", "status_lag"} <= reasons, reasons
        rows = by_id(found)
        for order_id in seeded_lag:  # rows whose Analytics status is not the order's: each named with both
            row = rows.get(("order", order_id))
            if row is not None:
                assert row.woocommerce_status != row.storelens_status
                assert row.woocommerce_status in row.text and str(row.storelens_status) in row.text, row

        # 2. The lag: statuses change; WooCommerce schedules its import (time() + 5) and the test does not run it.
        counted_there = one_order(shop, "'wc-processing'")
        excluded_there = one_order(shop, "'wc-cancelled', 'wc-failed'")
        shop.php(
            f"wc_get_order({counted_there})->update_status('cancelled');"
            f"wc_get_order({excluded_there})->update_status('processing');"
        )
        assert stats_status(shop, counted_there) == "wc-processing"  # not re-imported: the lag is real
        run_sync(store.pk)
        found = compare(store, first, last)
        assert_explained_to_the_cent(found)
        rows = by_id(found)
        lagging = rows[("order", counted_there)]
        assert (lagging.reason, lagging.woocommerce_status, lagging.storelens_status) == (
            "status_lag",
            "processing",
            "cancelled",
        )
        assert "'processing'" in lagging.text and "'cancelled'" in lagging.text
        assert lagging.differences["orders"] == 1
        back = rows[("order", excluded_there)]
        assert back.storelens_status == "processing" and back.differences["orders"] == -1
        assert back.reason == "status_lag" and back.woocommerce_status in ("cancelled", "failed"), back
        assert f"{back.woocommerce_status!r}" in back.text and "'processing'" in back.text

        # The CLI prints the same, as JSON.
        out = StringIO()
        call_command(
            "explain", "--source", str(store.pk), "--from", str(first), "--to", str(last), "--json", stdout=out
        )
        printed = {(r["kind"], r["id"]): r for r in json.loads(out.getvalue())["orders"]}
        assert printed[("order", counted_there)]["woocommerce_status"] == "processing"

        # 3. The import runs: both orders agree again and drop out of the explanation.
        shop.run_queue()
        found = compare(store, first, last)
        assert_explained_to_the_cent(found)
        assert ("order", counted_there) not in by_id(found) and ("order", excluded_there) not in by_id(found)

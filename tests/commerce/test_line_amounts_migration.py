"""Migration 0003 on rows written before it: line amounts regain their precision from the raw JSON (or are scaled
from minor units by the currency's exponent), and the rollups are left as they are (gross is the order's subtotal)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def _migrate(commerce: str | None) -> Any:
    """Every other app at its latest migration, commerce at `commerce` (its latest when None)."""
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    targets = [n for n in leaves if n[0] != "commerce" or commerce is None]
    if commerce is not None:
        targets.append(("commerce", commerce))
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_lines_and_rollups_are_converted() -> None:
    apps = _migrate("0002_refund_items_quantity")
    try:
        workspace = apps.get_model("accounts", "Workspace").objects.create(name="Old")
        store = apps.get_model("stores", "Store").objects.create(
            workspace=workspace, home_url="https://old.example", currency="EUR", timezone_string="Europe/Amsterdam"
        )
        order_model = apps.get_model("commerce", "Order")
        paid = datetime(2025, 3, 1, 10, tzinfo=UTC)
        raw_line = {
            "id": 11,
            "subtotal": "24.7934",
            "subtotal_tax": "5.2066",
            "total": "24.7934",
            "total_tax": "5.2066",
        }
        eur = order_model.objects.create(
            store=store, wc_id=1, status="completed", currency="EUR", created_at=paid, paid_at=paid,
            total_minor=3000, total_tax_minor=521, discount_total_minor=0, subtotal_minor=2479,
            raw={"line_items": [raw_line]},
        )  # fmt: skip
        yen = order_model.objects.create(
            store=store, wc_id=2, status="processing", currency="JPY", created_at=paid, total_minor=1650,
            total_tax_minor=150, discount_total_minor=100, subtotal_minor=1600, raw={},
        )  # fmt: skip
        line = apps.get_model("commerce", "LineItem").objects
        line.create(store=store, order=eur, wc_item_id=11, subtotal_minor=2479, subtotal_tax_minor=521,
                    total_minor=2479, total_tax_minor=521)  # fmt: skip
        line.create(store=store, order=yen, wc_item_id=21, subtotal_minor=1600, total_minor=1500, total_tax_minor=150)
        refund = apps.get_model("commerce", "Refund").objects.create(
            store=store, wc_id=3, parent_wc_id=1, order=eur, currency="EUR", amount_minor=3000,
            raw={"line_items": [{"id": 31, "subtotal": "-24.7934", "total": "-24.7934", "total_tax": "-5.2066"}]},
        )  # fmt: skip
        apps.get_model("commerce", "RefundLine").objects.create(
            store=store, refund=refund, wc_item_id=31, subtotal_minor=-2479, total_minor=-2479, total_tax_minor=-521
        )
        rollup = apps.get_model("analytics", "DailyRollup").objects
        day = date(2025, 3, 1)
        for basis in ("created", "paid"):  # the JPY order is unpaid: it has a created-basis cell only
            rollup.create(store=store, basis=basis, day=day, currency="EUR", status="completed", gross_sales_minor=2479)
        rollup.create(store=store, basis="created", day=day, currency="JPY", status="processing", gross_sales_minor=1)
        rollup.create(store=store, basis="paid", day=date(2025, 3, 2), currency="EUR", status="completed")  # refund

        apps = _migrate("0003_line_amounts_e4")
        lines = apps.get_model("commerce", "LineItem").objects
        assert lines.filter(wc_item_id=11).values_list("subtotal_e4", "total_tax_e4").get() == (247934, 52066)
        # No raw line to read back: scaled by the exponent (JPY has none, so ×10000).
        assert lines.filter(wc_item_id=21).values_list("subtotal_e4", "total_e4").get() == (16000000, 15000000)
        refund_lines = apps.get_model("commerce", "RefundLine").objects
        assert refund_lines.values_list("total_e4", "total_tax_e4").get() == (-247934, -52066)
        cells = apps.get_model("analytics", "DailyRollup").objects.order_by("basis", "day", "currency")
        assert [(c.basis, c.currency, c.gross_sales_minor) for c in cells] == [
            ("created", "EUR", 2479),
            ("created", "JPY", 1),  # untouched: the change feed subtracts what the cell holds when the order moves
            ("paid", "EUR", 2479),
            ("paid", "EUR", 0),
        ]
    finally:
        _migrate(None)

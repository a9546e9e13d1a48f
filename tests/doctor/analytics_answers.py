"""WooCommerce Analytics' answers for the New York shop (tests/analytics/shops.py), given at the comparison's HTTP
seam (`doctor.wc_compare.fetch*`): the fake store has no Analytics tables (the real store's answers are tested in
tests/doctor/test_wc_explain_real_store.py). Everything behind the seam runs for real."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from storelens.analytics.metrics.orders import order_totals, refund_totals
from storelens.analytics.rollups.rows import raw_rows
from storelens.doctor import wc_compare
from storelens.woocommerce.analytics_reports import AnalyticsRow


def money(minor: int) -> Decimal:
    return Decimal(minor) / 100


def order_2_not_reimported(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Analytics as WooCommerce answers after order 2 went from pending to completed and before its import ran: order
    2's row still says pending (not counted there); orders 1 and 5 and refund 50 are as Storelens has them."""
    orders, refunds = raw_rows(store)
    by_id = {o.id: o for o in orders}

    def row(oid: int, status: str, parent: int = 0) -> AnalyticsRow:
        t = order_totals(by_id[oid]) if not parent else refund_totals(next(r for r in refunds if r.id == oid))
        return AnalyticsRow(oid, parent, status, "2025-03-05 10:00:00", money(t.net_sales), money(t.total_sales), 0)

    counted = [row(1, "completed"), row(5, "completed"), row(50, "completed", parent=1)]
    totals = {
        "orders_count": Decimal(2),
        "net_revenue": sum((r.net_total for r in counted), Decimal(0)),
        "total_sales": sum((r.total_sales for r in counted), Decimal(0)),
    }

    def fetch(_store: Any, first: Any, last: Any, date_type: str) -> Any:
        assert date_type == "date_paid"
        return totals, counted

    monkeypatch.setattr(wc_compare, "fetch", fetch)
    monkeypatch.setattr(wc_compare, "fetch_stale", lambda *a: [row(2, "pending")])
    monkeypatch.setattr(wc_compare, "fetch_deleted", lambda *a: set())

"""A cohort refresh writes only the cells that changed: after a new order, untouched cells keep their rows, and the
cells equal those a refresh from nothing writes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.analytics.models import CohortCell
from storelens.analytics.rollups.cohorts import refresh
from storelens.commerce import upsert_orders
from tests.analytics.payloads import order_payload
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db


def cells(store: Any) -> dict[tuple, tuple]:
    fields = ("grain", "dimension", "value", "cohort", "period", "currency", "country")
    return {
        tuple(getattr(c, f) for f in fields): (c.pk, c.customers, c.orders, c.net_minor)
        for c in CohortCell.objects.filter(store=store)
    }


def test_a_refresh_after_one_new_order_rewrites_only_that_customers_cells(alice: Any) -> None:
    ny, _ = make_shops(Workspace.objects.get(name="Alice's Shop"))
    refresh(ny)
    before = cells(ny)
    # cy orders again in April: her February cohort gains period 2; ann's cells stay as they were.
    upsert_orders(
        ny, [order_payload(6, created="2025-04-02T15:00:00", paid="2025-04-02T15:00:00", net=3000, email="cy@x.org")]
    )
    refresh(ny)
    after = cells(ny)
    added = set(after) - set(before)
    periods = {(key[0], key[3], key[4]) for key in added}
    assert periods == {("month", date(2025, 2, 1), 2), ("week", date(2025, 2, 10), 7), ("quarter", date(2025, 1, 1), 1)}
    assert set(before) <= set(after)
    ann = [k for k in after if k[3].month == 3 and k[0] == "month"]
    assert ann and all(after[k] == before[k] for k in ann)  # same rows, same figures
    CohortCell.objects.filter(store=ny).delete()
    refresh(ny)
    assert {k: v[1:] for k, v in cells(ny).items()} == {k: v[1:] for k, v in after.items()}

"""Migration 0007 fills the per-country cells for stores synced before it: an upgraded install shows the same
country figures a rebuild would, not zeros. (Its fill runs on the migrated tables: migrating back past 0007 would
also unwind later analytics migrations.)"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps

from storelens.accounts.models import Workspace
from storelens.analytics.models import CountryDailyRollup
from storelens.analytics.rollups.rebuild import rebuild
from storelens.commerce import upsert_orders, upsert_refunds
from storelens.stores.models import Store
from tests.analytics.payloads import order_payload


def cells(store: Store) -> dict[tuple, Any]:
    return {
        (r.basis, r.country, r.day, r.currency, r.status): r.totals()
        for r in CountryDailyRollup.objects.filter(store=store)
    }


@pytest.mark.django_db
def test_the_migration_fills_country_cells_of_existing_orders() -> None:
    store = Store.objects.create(
        workspace=Workspace.objects.create(name="Old"), currency="USD", timezone_string="America/New_York"
    )
    upsert_orders(
        store,
        [
            order_payload(1, created="2025-03-06T03:00:00", paid="2025-03-06T03:00:00", country="CA", net=4000),
            order_payload(2, created="2025-03-07T15:00:00", paid="2025-03-07T15:00:00", country="US", net=2500),
            order_payload(3, status="cancelled", created="2025-03-08T15:00:00", country="CA", net=900),
        ],
    )
    upsert_refunds(store, [{"id": 100, "parent_id": 1, "date_created_gmt": "2025-03-09T12:00:00", "amount": "10.00"}])
    rebuild(store)
    expected = cells(store)
    assert {k[1] for k in expected} == {"CA", "US"}
    CountryDailyRollup.objects.all().delete()  # as the table is when the migration has just created it
    fill = importlib.import_module("storelens.analytics.migrations.0007_countrydailyrollup").fill
    fill(apps, None)  # the fill reads and writes rows only; it never touches the schema
    assert cells(store) == expected

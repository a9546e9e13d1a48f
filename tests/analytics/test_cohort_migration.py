"""The cohort migrations (0007 the tables, 0011 the fill) fill the cohort cells of the stores already copied, from
their raw rows (as the refresh does)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from storelens.accounts.models import Workspace
from storelens.analytics.models import CohortCell, CohortSnapshot
from storelens.commerce.models import Customer, LineItem, Order
from storelens.stores.models import Store


@pytest.mark.django_db(transaction=True)
def test_the_migration_computes_the_cohorts_of_an_existing_store() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("analytics", "0006_product_page_index")])
    store = Store.objects.create(workspace=Workspace.objects.create(name="Old"), currency="USD", timezone_string="UTC")
    ann = Customer.objects.create(store=store, key="email:ann@x.org", email="ann@x.org")
    for wc_id, paid, net in ((1, datetime(2025, 1, 5, tzinfo=UTC), 1000), (2, datetime(2025, 3, 5, tzinfo=UTC), 500)):
        order = Order.objects.create(
            store=store, wc_id=wc_id, status="completed", currency="USD", created_at=paid, paid_at=paid,
            total_minor=net, customer=ann, billing_country="FR", coupon_discounts=[["spring", 100]],
        )  # fmt: skip
        LineItem.objects.create(store=store, order=order, wc_item_id=wc_id, product_wc_id=7)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert CohortSnapshot.objects.get(store=store).customers == 1
    month = {
        (c.dimension, c.value, c.period): (c.customers, c.orders, c.net_minor, c.country)
        for c in CohortCell.objects.filter(store=store, grain="month", cohort=date(2025, 1, 1))
    }
    assert month[("", "", 0)] == (1, 1, 1000, "FR") and month[("", "", 2)] == (1, 1, 500, "FR")
    assert month[("both", "7|spring", 2)] == (1, 1, 500, "FR")

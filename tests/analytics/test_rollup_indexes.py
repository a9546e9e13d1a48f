"""The rollup tables the sync upserts on every page keep no index that another one already covers (analytics 0009):
each index is one more B-tree written per cell, and the import's single writer is CPU-bound (issue 17)."""

from __future__ import annotations

import pytest
from django.db import connection

from storelens.analytics.models import (
    BreakdownDailyRollup,
    CountryDailyRollup,
    CustomerRollup,
    DailyRollup,
    HourlyRollup,
    ProductDailyRollup,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [DailyRollup, CountryDailyRollup, HourlyRollup, BreakdownDailyRollup, ProductDailyRollup, CustomerRollup],
)
def test_no_index_of_a_rollup_table_is_a_prefix_of_another(model: type) -> None:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    keys = {name: c["columns"] for name, c in found.items() if (c["index"] or c["unique"]) and not c["primary_key"]}
    plain = {name for name, c in found.items() if c["index"] and not c["unique"] and not c["primary_key"]}
    covered = [
        (name, other)
        for name in plain
        for other, columns in keys.items()
        if other != name and columns[: len(keys[name])] == keys[name]
    ]
    assert covered == []

"""Migration 0002 on stores saved with the old settings_from_store flag: an owner's choice stays the owner's, a value
other than WooCommerce's default can only have been read from the store, and a default value (read, or silently
assumed by the old reader: it could not tell) shows as assumed until the next key check reads it again."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def _migrate(stores: str | None) -> Any:
    """Every other app at its latest migration, sources at `sources` (its latest when None)."""
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    targets = [n for n in leaves if n[0] != "stores" or stores is None]
    if stores is not None:
        targets.append(("stores", stores))
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_old_flags_become_per_setting_origins_and_back() -> None:
    apps = _migrate("0001_initial")
    try:
        workspace = apps.get_model("accounts", "Workspace").objects.create(name="Old")
        stores = apps.get_model("stores", "Store").objects
        default = ["pending", "failed", "cancelled"]
        owner = stores.create(
            workspace=workspace, date_basis="paid", excluded_statuses=default, settings_from_store=False
        )
        read = stores.create(workspace=workspace, date_basis="created", excluded_statuses=["failed"])
        unknown = stores.create(
            workspace=workspace, date_basis="paid", excluded_statuses=["cancelled", "pending", "failed"]
        )

        apps = _migrate("0002_setting_origins")
        migrated = apps.get_model("stores", "Store").objects
        origins = {s.pk: (s.date_basis_origin, s.excluded_statuses_origin) for s in migrated.all()}
        assert origins == {
            owner.pk: ("owner", "owner"),
            read.pk: ("store", "store"),
            unknown.pk: ("assumed", "assumed"),
        }
        assert migrated.get(pk=read.pk).store_settings == {}

        apps = _migrate("0001_initial")
        flags = dict(apps.get_model("stores", "Store").objects.values_list("pk", "settings_from_store"))
        assert flags == {owner.pk: False, read.pk: True, unknown.pk: True}
    finally:
        _migrate(None)

"""The order search's FTS5 index on SQLite is kept by three triggers on commerce_customer (commerce migration 0003).
A later migration that makes SQLite remake that table (a NOT NULL column with a default, an altered column) drops
them silently and the search stops finding renamed customers: this fails first."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_every_migration_leaves_the_customer_search_triggers_in_place() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 index and its triggers exist on SQLite only (PostgreSQL uses trigram indexes)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'commerce_customer'")
        names = {row[0] for row in cursor.fetchall()}
    assert names >= {"commerce_customer_search_ai", "commerce_customer_search_ad", "commerce_customer_search_au"}

"""PostgreSQL only: what lets the orders list's search use indexes at a million orders (see
analytics.reports.orders); the list's plain indexes are in the models (0001).

Trigram (pg_trgm) GIN indexes on the expressions Django's `icontains` compares
(`UPPER(col::text)`), so a search by part of an e-mail or name is an index lookup instead of reading every order of
the range and every customer. pg_trgm is a trusted extension (PostgreSQL 13+), so a database owner may create it;
where it cannot be created the search still works, only slower, and the migration says so instead of failing.
SQLite scans these small string columns fast enough. Created in the migration's transaction: a lock on a large
table, once.
"""

import sys

from django.db import migrations

TRIGRAM_INDEXES = [
    ("order_list_email_trgm", "commerce_order", "billing_email"),
    ("customer_first_name_trgm", "commerce_customer", "first_name"),
    ("customer_last_name_trgm", "commerce_customer", "last_name"),
    ("customer_email_trgm", "commerce_customer", "email"),
]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.db import DatabaseError, transaction

    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as exc:
        print(
            f"\n  pg_trgm unavailable ({exc}); order search will scan instead of "
            "using an index. To index it later: CREATE EXTENSION pg_trgm (as a superuser), then "
            "`storelens migrate commerce 0001` and `storelens migrate`.",
            file=sys.stderr,
        )
        return
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("commerce", "0001_initial")]

    operations = [migrations.RunPython(create_trigram_indexes, drop_trigram_indexes)]

"""SQLite only: what lets the orders list's search use indexes there (see analytics.reports.order_search); a no-op on
PostgreSQL, which has the trigram indexes of 0002.

- `commerce_customer_search`: an FTS5 table with the trigram tokenizer over each customer's first name, last name
  and e-mail (external content: the text stays in commerce_customer, the table holds only the index), so a part of a
  name or e-mail is found without reading every customer. Triggers keep it in step with every write to customers,
  whatever the path (the customers and orders upserts, merges, bulk inserts); an update re-indexes a row only when
  one of the three columns changed. Filled here for the existing rows.
- `order_search_email`: (store, created_at, billing_email) on orders, so the billing e-mails of a range are read
  from the index alone instead of from every order row of the range.

Where this SQLite lacks FTS5 (it is in every SQLite Python ships since 3.34), the table is skipped with a note and
the search falls back to LIKE over the customers.
"""

import sys

from django.db import migrations

FTS = "commerce_customer_search"
COLUMNS = "first_name, last_name, email"
TRIGGERS = {
    "commerce_customer_search_ai": (
        f"AFTER INSERT ON commerce_customer BEGIN INSERT INTO {FTS}(rowid, {COLUMNS}) "
        f"VALUES (new.id, new.first_name, new.last_name, new.email); END"
    ),
    "commerce_customer_search_ad": (
        f"AFTER DELETE ON commerce_customer BEGIN INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) "
        f"VALUES ('delete', old.id, old.first_name, old.last_name, old.email); END"
    ),
    "commerce_customer_search_au": (
        f"AFTER UPDATE OF {COLUMNS} ON commerce_customer WHEN old.first_name IS NOT new.first_name "
        "OR old.last_name IS NOT new.last_name OR old.email IS NOT new.email BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) VALUES ('delete', old.id, old.first_name, old.last_name, old.email); "
        f"INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES (new.id, new.first_name, new.last_name, new.email); END"
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from django.db import DatabaseError

    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS order_search_email ON commerce_order (store_id, created_at, billing_email)"
    )
    try:
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS} USING fts5({COLUMNS}, content='commerce_customer', content_rowid='id', "
            "tokenize='trigram')"
        )
    except DatabaseError as exc:
        print(f"\n  FTS5 trigram unavailable ({exc}); order search scans the customers instead.", file=sys.stderr)
        return
    for name, body in TRIGGERS.items():
        schema_editor.execute(f"CREATE TRIGGER {name} {body}")
    schema_editor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")
    schema_editor.execute("DROP INDEX IF EXISTS order_search_email")


class Migration(migrations.Migration):
    dependencies = [("commerce", "0002_trigram_indexes")]

    operations = [migrations.RunPython(create, drop)]

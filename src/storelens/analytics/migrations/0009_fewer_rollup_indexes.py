"""Indexes the rollup upserts maintained for nothing: each is a prefix of the cell's unique key (or of another index),
which serves the same lookups and the cascade deletes. Every import page upserts tens of thousands of cells, and each
index is one more B-tree written per cell (issue 17: the single writer is CPU-bound). Measured on SQLite with
ProductDailyRollup's 100k upserts of a 10k-order import: 4 indexes → 2 took the upserts from ~14-17 to ~12 µs a cell.

Django's foreign-key indexes are dropped by name as the database reports them (plain DROP INDEX: an AlterField of
`db_index` would copy every table on SQLite), and the model state says `db_index=False`."""

from django.db import migrations, models
from django.db.models.deletion import CASCADE

# (model, foreign key column) whose single-column index is a prefix of the model's unique key or another index
FOREIGN_KEYS = [
    ("dailyrollup", "store_id"),
    ("countrydailyrollup", "store_id"),
    ("hourlyrollup", "store_id"),
    ("breakdowndailyrollup", "store_id"),
    ("productdailyrollup", "store_id"),
    ("customerrollup", "store_id"),  # (store, basis) index
    ("customerrollup", "customer_id"),  # unique (customer, basis, status, currency)
]


def _single_column_indexes(schema_editor, table: str, column: str) -> list[str]:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, c in found.items()
        if c["index"] and not c["unique"] and not c["primary_key"] and c["columns"] == [column]
    ]


def drop_foreign_key_indexes(apps, schema_editor) -> None:
    for model, column in FOREIGN_KEYS:
        table = f"analytics_{model}"
        for name in _single_column_indexes(schema_editor, table, column):
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def create_foreign_key_indexes(apps, schema_editor) -> None:
    for model, column in FOREIGN_KEYS:
        table = f"analytics_{model}"
        if not _single_column_indexes(schema_editor, table, column):
            name = schema_editor._create_index_name(table, [column])
            schema_editor.execute(
                f"CREATE INDEX {schema_editor.quote_name(name)} ON {schema_editor.quote_name(table)} "
                f"({schema_editor.quote_name(column)})"
            )


def _store(db_index: bool = False) -> models.ForeignKey:
    return models.ForeignKey(on_delete=CASCADE, related_name="+", to="stores.store", db_index=db_index)


class Migration(migrations.Migration):
    dependencies = [("analytics", "0008_product_buyers_pairs"), ("stores", "__first__"), ("commerce", "__first__")]

    operations = [
        migrations.RemoveIndex(model_name="dailyrollup", name="rollup_store_basis_day"),
        migrations.RemoveIndex(model_name="productdailyrollup", name="product_rollup_basis_span"),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_foreign_key_indexes, create_foreign_key_indexes)],
            state_operations=[
                *(
                    migrations.AlterField(model_name=model, name="store", field=_store())
                    for model, column in FOREIGN_KEYS
                    if column == "store_id"
                ),
                migrations.AlterField(
                    model_name="customerrollup",
                    name="customer",
                    field=models.ForeignKey(
                        on_delete=CASCADE, related_name="+", to="commerce.customer", db_index=False
                    ),
                ),
            ],
        ),
    ]

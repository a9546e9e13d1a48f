"""Indexes the analytics range queries need on the commerce tables: orders by paid and completed date (created is
indexed by commerce itself) and refunds by creation date are the WHERE clauses of every raw drill-down, customers and
products query. Plain SQL that SQLite and PostgreSQL both read; `IF NOT EXISTS` so commerce may add its own later."""

from django.db import migrations

INDEXES = [
    ("analytics_order_store_paid", "commerce_order", "store_id, paid_at"),
    ("analytics_order_store_completed", "commerce_order", "store_id, completed_at"),
    ("analytics_lineitem_order_product", "commerce_lineitem", "order_id, product_wc_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_initial"),
        ("commerce", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, table, columns in INDEXES
    ]

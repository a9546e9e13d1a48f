"""The product page reads one product's day cells of `ProductDailyRollup`: without an index led by the product, every
product's cells of the range were scanned (the unique key puts the product after basis, span, day, currency and
status). Plain SQL that SQLite and PostgreSQL both read, like 0002."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("analytics", "0005_breakdown_rollup")]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE INDEX IF NOT EXISTS analytics_product_rollup_product "
                "ON analytics_productdailyrollup (store_id, product_wc_id, basis, span, day)"
            ),
            reverse_sql="DROP INDEX IF EXISTS analytics_product_rollup_product",
        )
    ]

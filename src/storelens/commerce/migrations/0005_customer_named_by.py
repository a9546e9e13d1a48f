"""Which order names a guest identity (its latest), so its name and country do not depend on page order.

Both columns are nullable on purpose: SQLite then adds them in place (ALTER TABLE ADD COLUMN) instead of remaking
the table, which would drop the FTS5 triggers of 0003 that keep the order search's customer index in step."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("commerce", "0004_order_breakdown_columns"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="named_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="customer",
            name="named_by_wc_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
    ]

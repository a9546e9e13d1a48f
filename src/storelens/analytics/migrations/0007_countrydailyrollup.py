"""The per-country daily cells of the Sales page's country filter, filled for the stores already synced (the sync
keeps them in step from then on). The fill uses today's `rollups.daily.fill_country_cells` on the historical models: it
reads the fields `rollups.rows.ORDER_FIELDS` and `REFUND_FIELDS` name, which is why this depends on commerce 0002."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from storelens.analytics.rollups.daily import fill_country_cells

    models_now = (
        apps.get_model("commerce", "Order"),
        apps.get_model("commerce", "Refund"),
        apps.get_model("analytics", "CountryDailyRollup"),
    )
    for store in apps.get_model("stores", "Store").objects.all():
        fill_country_cells(store, models_now)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0006_productdailyrollup"),
        ("stores", "0001_initial"),
        ("commerce", "0002_refund_items_quantity"),  # the fields `rows.ORDER_FIELDS`/`REFUND_FIELDS` read
    ]

    operations = [
        migrations.CreateModel(
            name="CountryDailyRollup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("basis", models.CharField(max_length=10)),
                ("country", models.CharField(max_length=2)),
                ("day", models.DateField()),
                ("currency", models.CharField(max_length=3)),
                ("status", models.CharField(max_length=40)),
                ("orders", models.BigIntegerField(default=0)),
                ("total_sales_minor", models.BigIntegerField(default=0)),
                ("net_sales_minor", models.BigIntegerField(default=0)),
                ("gross_sales_minor", models.BigIntegerField(default=0)),
                ("coupons_minor", models.BigIntegerField(default=0)),
                ("taxes_minor", models.BigIntegerField(default=0)),
                ("shipping_minor", models.BigIntegerField(default=0)),
                ("fees_minor", models.BigIntegerField(default=0)),
                ("refunds_minor", models.BigIntegerField(default=0)),
                ("items_sold", models.BigIntegerField(default=0)),
                (
                    "store",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="stores.store"),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("store", "basis", "country", "day", "currency", "status"),
                        name="country_rollup_cell_unique",
                    )
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

"""The breakdown cells (coupons, payment methods, shipping methods), filled for the stores already copied from their
raw rows (as the rebuild does); new pages keep them in step through the change-feed listener from then on."""

import django.db.models.deletion
from django.db import migrations, models


def fill_breakdown_cells(apps, schema_editor):
    """Today's rebuild code: the cells are a pure function of the raw rows (whose breakdown columns commerce 0004
    filled), and this runs once. Only the store columns the rebuild reads are selected."""
    from storelens.analytics.rollups.rebuild import rebuild_breakdowns
    from storelens.stores.models import Store

    for store in Store.objects.only("pk", "timezone_string", "gmt_offset").iterator():
        rebuild_breakdowns(store)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0004_comparison_choice"),
        ("stores", "0001_initial"),
        ("commerce", "0004_order_breakdown_columns"),
    ]

    operations = [
        migrations.CreateModel(
            name="BreakdownDailyRollup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("basis", models.CharField(max_length=10)),
                ("dimension", models.CharField(max_length=10)),
                ("value", models.CharField(max_length=200)),
                ("day", models.DateField()),
                ("currency", models.CharField(max_length=3)),
                ("status", models.CharField(max_length=40)),
                ("orders", models.BigIntegerField(default=0)),
                ("net_sales_minor", models.BigIntegerField(default=0)),
                ("discount_minor", models.BigIntegerField(default=0)),
                (
                    "store",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="stores.store"),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("store", "basis", "dimension", "day", "currency", "status", "value"),
                        name="breakdown_rollup_cell_unique",
                    )
                ],
            },
        ),
        migrations.RunPython(fill_breakdown_cells, migrations.RunPython.noop),
    ]

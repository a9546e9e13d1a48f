"""The hourly cells behind the Sales heatmap, filled for the stores already copied (from their raw rows, as the
rebuild does); new pages keep them in step through the change-feed listener from then on."""

import django.db.models.deletion
from django.db import migrations, models


def fill_hourly_cells(apps, schema_editor):
    """Today's rebuild code: the cells are a pure function of the raw rows, and this runs once. Only the store
    columns the rebuild reads are selected, so stores fields added by later migrations do not matter here."""
    from storelens.analytics.rollups.rebuild import rebuild_hours
    from storelens.stores.models import Store

    for store in Store.objects.only("pk", "timezone_string", "gmt_offset").iterator():
        rebuild_hours(store)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0002_order_date_indexes"),
        ("stores", "0001_initial"),
        ("commerce", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="HourlyRollup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("basis", models.CharField(max_length=10)),
                ("day", models.DateField()),
                ("hour", models.PositiveSmallIntegerField()),
                ("weekday", models.PositiveSmallIntegerField()),
                ("currency", models.CharField(max_length=3)),
                ("status", models.CharField(max_length=40)),
                ("orders", models.BigIntegerField(default=0)),
                ("net_sales_minor", models.BigIntegerField(default=0)),
                (
                    "store",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="stores.store"),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("store", "basis", "day", "hour", "weekday", "currency", "status"),
                        name="hourly_rollup_cell_unique",
                    )
                ],
            },
        ),
        migrations.RunPython(fill_hourly_cells, migrations.RunPython.noop),
    ]

"""The cohort cells and their snapshot row, computed for the stores already copied (from their raw rows, as the
end of a sync pass does); each pass that moves customers recomputes them from then on."""

import django.db.models.deletion
from django.db import migrations, models


def fill_cohort_cells(apps, schema_editor):
    """Today's refresh code: the cells are a pure function of the raw rows and the store's counting settings, and
    this runs once. Only the store columns the refresh reads are selected."""
    from storelens.analytics.rollups.cohorts import refresh
    from storelens.stores.models import Store

    columns = ("pk", "timezone_string", "gmt_offset", "date_basis", "excluded_statuses")
    for store in Store.objects.only(*columns).iterator():
        refresh(store)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0006_product_page_index"),
        ("stores", "0001_initial"),
        ("commerce", "0005_customer_named_by"),
    ]

    operations = [
        migrations.CreateModel(
            name="CohortSnapshot",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("settings_key", models.CharField(max_length=400)),
                ("computed_at", models.DateTimeField()),
                ("customers", models.BigIntegerField(default=0)),
                (
                    "store",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="stores.store"
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="CohortCell",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("grain", models.CharField(max_length=8)),
                ("dimension", models.CharField(max_length=8)),
                ("value", models.CharField(max_length=220)),
                ("cohort", models.DateField()),
                ("period", models.PositiveIntegerField()),
                ("currency", models.CharField(max_length=3)),
                ("country", models.CharField(max_length=2)),
                ("customers", models.BigIntegerField(default=0)),
                ("orders", models.BigIntegerField(default=0)),
                ("net_minor", models.BigIntegerField(default=0)),
                (
                    "store",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="stores.store"),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["store", "grain", "dimension", "value", "cohort"], name="cohort_cell_lookup")
                ],
            },
        ),
        migrations.RunPython(fill_cohort_cells, migrations.RunPython.noop),
    ]

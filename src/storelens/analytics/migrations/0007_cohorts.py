"""The cohort cells and their snapshot row. They were filled here for the stores already copied; the fill ran
today's refresh code, which writes today's columns, so it moved to the last migration of those tables
(0011_cohort_changed_from): a database that ran it here keeps its cells, a new one is filled there."""

import django.db.models.deletion
from django.db import migrations, models


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
    ]

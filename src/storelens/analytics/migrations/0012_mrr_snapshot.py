"""The Subscriptions page's MRR snapshot (`MrrSnapshot`, `MrrCell`, `MrrEvent`: `rollups.subscription_mrr`).

No fill here: until a store's first refresh (queued by the end of its next sync pass) the page takes the raw path,
which gives the same figures (`reports.mrr_cells.usable`)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0011_cohort_changed_from"),
        ("stores", "0003_store_allow_private_address"),
    ]

    operations = [
        migrations.CreateModel(
            name="MrrSnapshot",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("tz_key", models.CharField(max_length=100)),
                ("computed_at", models.DateTimeField(blank=True, null=True)),
                ("read_from", models.DateTimeField(blank=True, null=True)),
                ("seconds", models.FloatField(default=0)),
                ("first_day", models.DateField(blank=True, null=True)),
                ("last_day", models.DateField(blank=True, null=True)),
                ("active", models.BigIntegerField(default=0)),
                ("mrr_minor", models.BigIntegerField(default=0)),
                ("inverted", models.JSONField(default=list)),
                ("changed", models.BooleanField(default=False)),
                ("changed_from", models.DateTimeField(blank=True, null=True)),
                (
                    "store",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="stores.store"
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="MrrCell",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("grain", models.CharField(max_length=5)),
                ("start", models.DateField()),
                ("mrr_start", models.BigIntegerField(default=0)),
                ("new", models.BigIntegerField(default=0)),
                ("expansion", models.BigIntegerField(default=0)),
                ("contraction", models.BigIntegerField(default=0)),
                ("churned", models.BigIntegerField(default=0)),
                ("reactivated", models.BigIntegerField(default=0)),
                ("mrr_end", models.BigIntegerField(default=0)),
                ("customers_start", models.BigIntegerField(default=0)),
                ("customers_end", models.BigIntegerField(default=0)),
                ("new_customers", models.BigIntegerField(default=0)),
                ("churned_customers", models.BigIntegerField(default=0)),
                ("reactivated_customers", models.BigIntegerField(default=0)),
                ("started", models.BigIntegerField(default=0)),
                ("stopped", models.BigIntegerField(default=0)),
                ("running", models.BigIntegerField(default=0)),
                (
                    "store",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="stores.store",
                    ),
                ),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("store", "grain", "start"), name="mrr_cell_unique")],
            },
        ),
        migrations.CreateModel(
            name="MrrEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField()),
                ("seq", models.BigIntegerField()),
                ("customer", models.CharField(max_length=40)),
                ("first_start", models.DateTimeField()),
                ("before", models.BigIntegerField()),
                ("delta", models.BigIntegerField()),
                (
                    "store",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="stores.store",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["store", "at"], name="mrr_event_at")],
            },
        ),
    ]

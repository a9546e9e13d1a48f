"""The product page's buyers and bought-together rollups (issue 16 #4), filled for the stores already copied from
their raw rows (today's `rollups.product_orders.rebuild`, as 0007 fills the cohorts); the change feed keeps them
from then on."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from storelens.analytics.rollups.product_orders import rebuild
    from storelens.stores.models import Store

    for store in Store.objects.only("pk", "timezone_string", "gmt_offset").iterator():
        rebuild(store)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0007_cohorts"),
        ("stores", "0003_store_allow_private_address"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProductBuyerRollup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("product_wc_id", models.BigIntegerField()),
                ("basis", models.CharField(max_length=10)),
                ("day", models.DateField()),
                ("status", models.CharField(max_length=40)),
                ("currency", models.CharField(max_length=3)),
                ("customer_key", models.CharField(max_length=300)),
                ("orders", models.BigIntegerField(default=0)),
                ("units", models.BigIntegerField(default=0)),
                ("net_minor", models.BigIntegerField(default=0)),
                (
                    "store",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="stores.store"),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("store", "product_wc_id", "basis", "day", "status", "currency", "customer_key"),
                        name="product_buyer_cell_unique",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ProductPairRollup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("product_wc_id", models.BigIntegerField()),
                ("basis", models.CharField(max_length=10)),
                ("day", models.DateField()),
                ("status", models.CharField(max_length=40)),
                ("other_wc_id", models.BigIntegerField()),
                ("orders", models.BigIntegerField(default=0)),
                (
                    "store",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="stores.store"),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("store", "product_wc_id", "basis", "day", "status", "other_wc_id"),
                        name="product_pair_cell_unique",
                    )
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

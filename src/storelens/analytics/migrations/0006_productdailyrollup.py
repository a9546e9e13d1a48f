import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0005_customerrollup"),
        ("stores", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProductDailyRollup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("basis", models.CharField(max_length=10)),
                ("day", models.DateField()),
                ("currency", models.CharField(max_length=3)),
                ("status", models.CharField(max_length=40)),
                ("product_wc_id", models.BigIntegerField()),
                ("variation_wc_id", models.BigIntegerField(default=0)),
                ("net_sales_minor", models.BigIntegerField(default=0)),
                ("gross_sales_minor", models.BigIntegerField(default=0)),
                ("units", models.BigIntegerField(default=0)),
                ("refunds_minor", models.BigIntegerField(default=0)),
                ("refunded_units", models.BigIntegerField(default=0)),
                ("orders", models.BigIntegerField(default=0)),
                ("product_orders", models.BigIntegerField(default=0)),
                (
                    "store",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="stores.store"),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["store", "basis", "day"], name="product_rollup_basis_day")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "store",
                            "basis",
                            "day",
                            "currency",
                            "status",
                            "product_wc_id",
                            "variation_wc_id",
                        ),
                        name="product_rollup_cell_unique",
                    )
                ],
            },
        ),
    ]

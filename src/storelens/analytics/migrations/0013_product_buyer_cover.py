"""A covering index on the product page's buyer cells: the page reads every column of a range's cells
(`reports.product_buyers.ranked_buyers`), so with the figures in the index SQLite and PostgreSQL read the range from
the index alone instead of one table row per cell."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0012_mrr_snapshot"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="productbuyerrollup",
            index=models.Index(
                fields=[
                    "store",
                    "product_wc_id",
                    "basis",
                    "day",
                    "status",
                    "currency",
                    "customer_key",
                    "orders",
                    "units",
                    "net_minor",
                ],
                name="product_buyer_cell_cover",
            ),
        ),
    ]

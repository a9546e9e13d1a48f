"""Per-product cells also summed per aligned block of 2…256 days (`day_blocks`), so the products page reads a few
blocks for any range. Existing day cells become span 0; their blocks are summed from them here."""

from datetime import date, timedelta

from django.db import migrations, models

EPOCH = date(1970, 1, 1)
MAX_SPAN = 8  # day_blocks.MAX_SPAN when this migration was written
VALUES = [
    "net_sales_minor",
    "gross_sales_minor",
    "units",
    "refunds_minor",
    "refunded_units",
    "orders",
    "product_orders",
]
KEYS = ["store_id", "basis", "day", "currency", "status", "product_wc_id", "variation_wc_id"]


def block_start(day: date, span: int) -> date:
    n = (day - EPOCH).days
    return EPOCH + timedelta(days=n - n % (1 << span))


def add_blocks(apps, schema_editor):
    Rollup = apps.get_model("analytics", "ProductDailyRollup")
    for store_id in Rollup.objects.values_list("store_id", flat=True).distinct():
        blocks: dict[tuple, list[int]] = {}
        for row in Rollup.objects.filter(store_id=store_id, span=0).values_list(*KEYS, *VALUES).iterator():
            _, basis, day, *rest = row[: len(KEYS)]
            for span in range(1, MAX_SPAN + 1):
                cell = blocks.setdefault((basis, span, block_start(day, span), *rest), [0] * len(VALUES))
                for i, v in enumerate(row[len(KEYS) :]):
                    cell[i] += v
        Rollup.objects.bulk_create(
            [
                Rollup(
                    store_id=store_id,
                    basis=basis,
                    span=span,
                    day=day,
                    currency=currency,
                    status=status,
                    product_wc_id=product,
                    variation_wc_id=variation,
                    **dict(zip(VALUES, values, strict=True)),
                )
                for (basis, span, day, currency, status, product, variation), values in blocks.items()
            ],
            batch_size=2000,
        )


def drop_blocks(apps, schema_editor):
    """Backwards: only the day cells (span 0) fit the unique constraint without a span; the blocks go first."""
    apps.get_model("analytics", "ProductDailyRollup").objects.exclude(span=0).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0008_customersnapshot"),
    ]

    operations = [
        migrations.AddField(
            model_name="productdailyrollup",
            name="span",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RemoveConstraint(model_name="productdailyrollup", name="product_rollup_cell_unique"),
        migrations.RemoveIndex(model_name="productdailyrollup", name="product_rollup_basis_day"),
        migrations.AddConstraint(
            model_name="productdailyrollup",
            constraint=models.UniqueConstraint(
                fields=("store", "basis", "span", "day", "currency", "status", "product_wc_id", "variation_wc_id"),
                name="product_rollup_block_unique",
            ),
        ),
        migrations.AddIndex(
            model_name="productdailyrollup",
            index=models.Index(fields=["store", "basis", "span", "day"], name="product_rollup_basis_span"),
        ),
        migrations.RunPython(add_blocks, drop_blocks),
    ]

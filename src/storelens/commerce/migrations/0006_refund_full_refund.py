"""Refund.full_refund: the refund that made its order fully refunded (see `commerce.refunds.full_refund_ids`), which
WooCommerce 11 Analytics counts with the order's own figures. Filled for the refunds already copied (their rollup
cells keep the contribution they were counted with until the store's rollups are rebuilt)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    Refund = apps.get_model("commerce", "Refund")
    Order = apps.get_model("commerce", "Order")
    from storelens.commerce.refunds import full_refund_ids

    pairs = Refund.objects.filter(deleted_at__isnull=True).values_list("source_id", "parent_wc_id").distinct()
    by_source: dict[int, set[int]] = {}
    for source_id, parent in pairs:
        by_source.setdefault(source_id, set()).add(parent)
    for source_id, parents in by_source.items():
        parents_list = sorted(parents)
        for i in range(0, len(parents_list), 500):
            chunk = parents_list[i : i + 500]
            totals = dict(
                Order.objects.filter(source_id=source_id, wc_id__in=chunk).values_list("wc_id", "total_minor")
            )
            refunds = Refund.objects.filter(source_id=source_id, parent_wc_id__in=chunk, deleted_at__isnull=True)
            rows = list(refunds.values_list("wc_id", "parent_wc_id", "amount_minor"))
            full = full_refund_ids(rows, totals)
            if full:
                Refund.objects.filter(source_id=source_id, wc_id__in=full).update(full_refund=True)


class Migration(migrations.Migration):
    dependencies = [("commerce", "0005_sqlite_order_search")]

    operations = [
        migrations.AddField(model_name="refund", name="full_refund", field=models.BooleanField(default=False)),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

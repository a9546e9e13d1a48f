"""The breakdown reports' dimensions as columns of their own (shipping methods, per-coupon discounts), filled here
from each order's stored payload (`raw`) with the same parsing the upsert uses from now on."""

from django.db import migrations, models

BATCH = 2000


def fill_from_raw(apps, schema_editor):
    """One pass over the orders that have a payload, in primary-key batches (memory stays flat at a million)."""
    from storelens.commerce.money import MinorUnits
    from storelens.commerce.orders import coupon_discounts, shipping_methods

    Order = apps.get_model("commerce", "Order")
    last = 0
    while True:
        batch = list(Order.objects.filter(pk__gt=last).order_by("pk").only("pk", "currency", "raw")[:BATCH])
        if not batch:
            return
        for order in batch:
            raw = order.raw if isinstance(order.raw, dict) else {}
            order.shipping_methods = shipping_methods(raw)
            order.coupon_discounts = coupon_discounts(raw, MinorUnits(order.currency))
        Order.objects.bulk_update(batch, ["shipping_methods", "coupon_discounts"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("commerce", "0003_sqlite_order_search")]

    operations = [
        migrations.AddField(
            model_name="order", name="shipping_methods", field=models.JSONField(blank=True, default=list)
        ),
        migrations.AddField(
            model_name="order", name="coupon_discounts", field=models.JSONField(blank=True, default=list)
        ),
        migrations.RunPython(fill_from_raw, migrations.RunPython.noop),
    ]

"""Line items and refund lines keep their amounts at the precision the sync asks for (`*_e4`, 10⁻⁴ of the major
unit).

Existing rows: each line's exact amounts are read back from the raw JSON we kept of its order or refund (the store's
own strings, so lines that were rounded before get their precision back); a line missing there is converted from its
rounded minor units (×100 for USD, ×10000 for JPY, ×10 for BHD: the currency's exponent decides). Order- and
refund-level figures are left as they are: they change, if at all, the next time the sync writes the object, and the
change feed moves the rollups by the exact difference then (gross sales is the order's `subtotal_minor`, so the
cells already agree with what the change feed will subtract later: nothing in the rollups needs recomputing).

The helpers used here (`money`) are pure functions, not models, so
running this migration later against an old database stays safe.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

CHUNK = 500
LINE_AMOUNTS = {
    "lineitem": ("subtotal", "subtotal_tax", "total", "total_tax"),
    "refundline": ("subtotal", "total", "total_tax"),
}


def _e4_of(value: Any) -> int:
    from decimal import ROUND_HALF_UP, Decimal

    from storelens.commerce.money import parse_decimal

    return int(parse_decimal(value).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) * 10000)


def _fill_lines(apps: Any, model_name: str, parent_model: str, parent_field: str) -> None:
    from storelens.commerce.money import minor_to_e4

    model = apps.get_model("commerce", model_name)
    parent = apps.get_model("commerce", parent_model)
    names = LINE_AMOUNTS[model_name]
    parent_ids = list(parent.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(parent_ids), CHUNK):
        ids = parent_ids[start : start + CHUNK]
        parents = {p.pk: p for p in parent.objects.filter(pk__in=ids).only("pk", "raw", "currency")}
        changed = []
        for line in model.objects.filter(**{f"{parent_field}__in": ids}):
            owner = parents[getattr(line, f"{parent_field}_id")]
            currency = owner.currency or "USD"
            given = {
                item.get("id"): item
                for item in ((owner.raw or {}).get("line_items") or [])
                if isinstance(item, dict) and item.get("id") is not None
            }.get(line.wc_item_id)
            for name in names:
                if given is not None:  # the store's own string, unrounded
                    setattr(line, f"{name}_e4", _e4_of(given.get(name)))
                else:
                    setattr(line, f"{name}_e4", minor_to_e4(getattr(line, f"{name}_minor"), currency))
            changed.append(line)
        model.objects.bulk_update(changed, [f"{n}_e4" for n in names], batch_size=CHUNK)


def fill_line_amounts(apps: Any, schema_editor: Any) -> None:
    _fill_lines(apps, "lineitem", "Order", "order")
    _fill_lines(apps, "refundline", "Refund", "refund")


class Migration(migrations.Migration):
    dependencies = [
        ("commerce", "0002_refund_items_quantity"),
        ("analytics", "0001_initial"),
        ("stores", "0001_initial"),
    ]

    operations = [
        migrations.AddField(model_name="lineitem", name="subtotal_e4", field=models.BigIntegerField(default=0)),
        migrations.AddField(model_name="lineitem", name="subtotal_tax_e4", field=models.BigIntegerField(default=0)),
        migrations.AddField(model_name="lineitem", name="total_e4", field=models.BigIntegerField(default=0)),
        migrations.AddField(model_name="lineitem", name="total_tax_e4", field=models.BigIntegerField(default=0)),
        migrations.AddField(model_name="refundline", name="subtotal_e4", field=models.BigIntegerField(default=0)),
        migrations.AddField(model_name="refundline", name="total_e4", field=models.BigIntegerField(default=0)),
        migrations.AddField(model_name="refundline", name="total_tax_e4", field=models.BigIntegerField(default=0)),
        migrations.RunPython(fill_line_amounts, migrations.RunPython.noop, elidable=True),
    ]

"""Line items and refund lines keep their amounts at the precision the sync asks for (`*_e4`, 10⁻⁴ of the major
unit), and gross sales becomes WooCommerce Analytics' formula (net + coupons) instead of Σ line subtotals.

Existing rows: each line's exact amounts are read back from the raw JSON we kept of its order or refund (the store's
own strings, so lines that were rounded before get their precision back); a line missing there is converted from its
rounded minor units (×100 for USD, ×10000 for JPY, ×10 for BHD: the currency's exponent decides). Order- and
refund-level figures are left as they are: they change, if at all, the next time the sync writes the object, and the
change feed moves the rollups by the exact difference then. The daily rollups' `gross_sales_minor` is recomputed from
the orders, so cells already built under the old definition agree with what the change feed will subtract later.

The helpers used here (`money`, `timezones`, the date-basis names) are pure functions and constants, not models, so
running this migration later against an old database stays safe.
"""

from __future__ import annotations

from collections import defaultdict
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


def regross_rollups(apps: Any, schema_editor: Any) -> None:
    """gross = total − total_tax − shipping_total + discount_total per order that can count on the basis."""
    from storelens.analytics.definition_types import ALWAYS_EXCLUDED
    from storelens.analytics.timezones import local_day, store_timezone

    rollup = apps.get_model("analytics", "DailyRollup")
    order = apps.get_model("commerce", "Order")
    source = apps.get_model("sources", "Source")
    columns = {"created": "created_at", "paid": "paid_at", "completed": "completed_at"}
    for src in source.objects.filter(pk__in=rollup.objects.values("source_id").distinct()):
        tz = store_timezone(src.timezone_string, src.gmt_offset)
        gross: dict[tuple, int] = defaultdict(int)
        rows = order.objects.filter(source=src, deleted_at__isnull=True).exclude(status__in=ALWAYS_EXCLUDED)
        for o in rows.values(
            "status",
            "currency",
            "total_minor",
            "total_tax_minor",
            "shipping_total_minor",
            "discount_total_minor",
            *columns.values(),
        ).iterator(chunk_size=2000):
            value = o["total_minor"] - o["total_tax_minor"] - o["shipping_total_minor"] + o["discount_total_minor"]
            for basis, column in columns.items():
                if o[column] is not None:
                    gross[(basis, local_day(o[column], tz), o["currency"], o["status"])] += value
        stale = []
        for cell in rollup.objects.filter(source=src).iterator(chunk_size=2000):
            value = gross.get((cell.basis, cell.day, cell.currency, cell.status), 0)
            if cell.gross_sales_minor != value:
                cell.gross_sales_minor = value
                stale.append(cell)
        rollup.objects.bulk_update(stale, ["gross_sales_minor"], batch_size=CHUNK)


class Migration(migrations.Migration):
    dependencies = [
        ("commerce", "0002_refund_items_quantity"),
        ("analytics", "0001_initial"),
        ("sources", "0001_initial"),
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
        migrations.RunPython(regross_rollups, migrations.RunPython.noop, elidable=True),
    ]

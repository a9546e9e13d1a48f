"""The per-product rollup keeps blocks of 1, 8, 64 and 256 days only (spans 0, 3, 6, 8: `day_blocks.SPANS`), no longer
every power of two up to 256: each kept span costs an upsert per cell on every sync page, and the history import's
writer is CPU-bound. The kept spans are a subset of what 0009 filled, so their cells are already exact; the other
spans' cells are deleted (the listener no longer moves them, and the products page never reads them)."""

from django.db import migrations

KEPT_SPANS = (0, 3, 6, 8)  # day_blocks.SPANS when this migration was written


def drop_other_spans(apps, schema_editor):
    Rollup = apps.get_model("analytics", "ProductDailyRollup")
    Rollup.objects.exclude(span__in=KEPT_SPANS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0009_productrollup_spans"),
    ]

    operations = [
        # Backwards the dropped spans stay missing (0009's backwards step deletes every block anyway); a
        # `rollups.rebuild` at that code rebuilds them.
        migrations.RunPython(drop_other_spans, migrations.RunPython.noop),
    ]

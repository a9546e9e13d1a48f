"""How long a store's cohort refresh took and when a paced one is queued (`rollups.cohorts.paced_until`); then the
cells of the stores already copied that have none, from their raw rows, as the end of a sync pass does.

The fill runs today's refresh code, which writes today's columns: it lives in the last migration touching the cohort
tables (moved here from 0007). A migration adding a column to them must take it over."""

from django.db import migrations, models


def fill_cohort_cells(apps, schema_editor):
    """Stores without cells (a database that ran 0007's fill has them). Only the store columns the refresh reads
    are selected."""
    from storelens.analytics.models import CohortSnapshot
    from storelens.analytics.rollups.cohorts import refresh
    from storelens.stores.models import Store

    done = CohortSnapshot.objects.values("store_id")
    columns = ("pk", "timezone_string", "gmt_offset", "date_basis", "excluded_statuses")
    for store in Store.objects.only(*columns).exclude(pk__in=done).iterator():
        refresh(store)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0009_fewer_rollup_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="cohortsnapshot",
            name="deferred_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="cohortsnapshot",
            name="seconds",
            field=models.FloatField(default=0),
        ),
        migrations.RunPython(fill_cohort_cells, migrations.RunPython.noop),
    ]

"""The earliest order date a change touched since a store's cohort cells were read (`rollups.cohorts.exact_before`);
then the cells of the stores already copied that have none, from their raw rows, as the end of a sync pass does.

The fill runs today's refresh code, which writes today's columns: it lives in the last migration touching the cohort
tables (0007, then 0010, now here). A migration adding a column to them must take it over."""

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
        ("analytics", "0010_cohort_refresh_pacing"),
    ]

    operations = [
        migrations.AddField(
            model_name="cohortsnapshot",
            name="changed_from",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(fill_cohort_cells, migrations.RunPython.noop),
    ]

"""How long a store's cohort refresh took and when a paced one is queued (`rollups.cohorts.paced_until`). The fill
of existing stores' cells, moved here from 0007, moved on to 0011 (the last migration of those tables)."""

from django.db import migrations, models


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
    ]

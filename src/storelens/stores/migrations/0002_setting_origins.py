"""Each figure setting (date basis, excluded statuses) says where it came from, instead of one settings_from_store
flag; the store's last answer is kept for "use the store's setting"."""

from typing import Any

from django.db import migrations, models

ORIGINS = [
    ("store", "Read from the store"),
    ("default", "WooCommerce's default (never changed on the store)"),
    ("assumed", "Assumed: the store did not tell"),
    ("owner", "Set by the owner in Storelens"),
]
DEFAULT_EXCLUDED = {"pending", "failed", "cancelled"}


def origins_from_flag(apps: Any, schema_editor: Any) -> None:
    """Owner-set stays owner-set. Otherwise a value other than WooCommerce's default can only have been read from
    the store; a default value may have been read or silently assumed (the old reader could not tell), so it is
    shown as assumed until the next key check reads it again."""
    Store = apps.get_model("stores", "Store")
    for store in Store.objects.all():
        if not store.settings_from_store:
            store.date_basis_origin = store.excluded_statuses_origin = "owner"
        else:
            store.date_basis_origin = "store" if store.date_basis != "paid" else "assumed"
            excluded = set(store.excluded_statuses or [])
            store.excluded_statuses_origin = "store" if excluded != DEFAULT_EXCLUDED else "assumed"
        store.save(update_fields=["date_basis_origin", "excluded_statuses_origin"])


def flag_from_origins(apps: Any, schema_editor: Any) -> None:
    Store = apps.get_model("stores", "Store")
    Store.objects.filter(models.Q(date_basis_origin="owner") | models.Q(excluded_statuses_origin="owner")).update(
        settings_from_store=False
    )


class Migration(migrations.Migration):
    dependencies = [
        ("stores", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="store",
            name="date_basis_origin",
            field=models.CharField(choices=ORIGINS, default="assumed", max_length=16),
        ),
        migrations.AddField(
            model_name="store",
            name="excluded_statuses_origin",
            field=models.CharField(choices=ORIGINS, default="assumed", max_length=16),
        ),
        migrations.AddField(
            model_name="store",
            name="store_settings",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(origins_from_flag, flag_from_origins),
        migrations.RemoveField(
            model_name="store",
            name="settings_from_store",
        ),
    ]

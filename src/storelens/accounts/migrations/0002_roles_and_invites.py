"""Workspace roles (owner, admin, analyst, support) and invite links.

Existing memberships: an owner stays owner; a plain "member" becomes **admin**. Until now a member could do
everything but rename the workspace and change its reporting currency — add and remove stores, revoke anyone's
token, change figure settings — which is the admin role. Mapping them to admin keeps every existing team working
exactly as the day before; moving them to analyst or support would silently take away what they use today. Owners
narrow roles afterwards on Settings → Team. The reverse migration maps every non-owner back to member.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

ROLES = [("owner", "Owner"), ("admin", "Admin"), ("analyst", "Analyst"), ("support", "Support")]


def members_become_admins(apps, schema_editor):
    apps.get_model("accounts", "Membership").objects.filter(role="member").update(role="admin")


def roles_become_members(apps, schema_editor):
    apps.get_model("accounts", "Membership").objects.exclude(role="owner").update(role="member")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(choices=ROLES, default="analyst", max_length=16),
        ),
        migrations.RunPython(members_become_admins, roles_become_members),
        migrations.CreateModel(
            name="Invite",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("role", models.CharField(choices=ROLES, max_length=16)),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("expires_at", models.DateTimeField()),
                ("accepted_at", models.DateTimeField(blank=True, null=True)),
                (
                    "accepted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "workspace",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="invites", to="accounts.workspace"
                    ),
                ),
            ],
            options={
                "ordering": ("pk",),
            },
        ),
    ]

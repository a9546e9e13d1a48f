from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from storelens.accounts import team
from storelens.accounts.models import Membership, Role, User, Workspace

ROLE_HELP = (
    "owner (everything), admin (stores, team, settings), analyst (every report and export, read-only) or "
    "support (orders and customers, no revenue totals or exports). Default: analyst."
)


class Command(BaseCommand):
    help = "Manage users: create, add to a workspace, list, set a password."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,add,list,set-password}")

        create = actions.add_parser(
            "create", help="Create a user; they own a new workspace unless --workspace names one."
        )
        create.add_argument("email")
        create.add_argument("--password", required=True, help="Their password (at least 10 characters).")
        create.add_argument(
            "--workspace",
            metavar="NAME",
            help="Join this workspace (created, with them as owner, when no workspace has this name).",
        )
        create.add_argument("--role", choices=Role.values, help="Role when joining an existing workspace: " + ROLE_HELP)
        create.add_argument("--name", default="", help="Their display name.")

        add = actions.add_parser("add", help="Add an existing user to a workspace, or change their role there.")
        add.add_argument("email")
        add.add_argument("--workspace", metavar="NAME", required=True)
        add.add_argument("--role", choices=Role.values, default=Role.ANALYST, help=ROLE_HELP)

        actions.add_parser("list", help="List users and their workspaces.")

        password = actions.add_parser("set-password", help="Set a user's password (e.g. when they forgot it).")
        password.add_argument("email")
        password.add_argument("--password", required=True)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, "handle_" + action.replace("-", "_"))(**options)

    def _validate_password(self, password: str, user: User) -> None:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("Password refused: " + " ".join(exc.messages)) from None

    def _user(self, email: str) -> User:
        try:
            return User.objects.get_by_natural_key(email)
        except User.DoesNotExist:
            raise CommandError(
                f"No user {email}: create one with `storelens users create {email} --password …`."
            ) from None

    @transaction.atomic
    def handle_create(
        self, email: str, password: str, workspace: str | None, role: str | None, name: str, **_: Any
    ) -> None:
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an e-mail address.") from None
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(
                f"{email} exists already. To add them to a workspace: storelens users add {email} --workspace NAME"
            )
        user = User(email=email, name=name)
        self._validate_password(password, user)
        user.set_password(password)
        user.save()
        existing = Workspace.objects.filter(name=workspace).order_by("pk").first() if workspace else None
        if existing is None:
            ws = Workspace.create_with_owner(workspace or f"{email}'s workspace", user)
            self.stdout.write(f"Created {email}, owner of the new workspace “{ws.name}” (id {ws.pk}).")
        else:
            role = role or Role.ANALYST
            Membership.objects.create(user=user, workspace=existing, role=role)
            self.stdout.write(f"Created {email}, {role} of “{existing.name}” (id {existing.pk}).")

    def handle_add(self, email: str, workspace: str, role: str, **_: Any) -> None:
        user = self._user(email)
        ws = Workspace.objects.filter(name=workspace).order_by("pk").first()
        if ws is None:
            names = ", ".join(Workspace.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f"No workspace named “{workspace}”. Existing: {names}.")
        membership = Membership.objects.filter(user=user, workspace=ws).first()
        if membership is None:
            Membership.objects.create(user=user, workspace=ws, role=role)
            self.stdout.write(f"{user.email} is now {role} of “{ws.name}”.")
            return
        before = membership.role
        try:
            team.change_role(None, membership, role)  # the operator is not limited by a role; the last owner stays
        except team.TeamError as exc:
            raise CommandError(str(exc)) from None
        changed = f"now {role} (was {before})" if before != role else f"still {role}"
        self.stdout.write(f"{user.email} is {changed} of “{ws.name}”.")

    def handle_list(self, **_: Any) -> None:
        for user in User.objects.order_by("email").prefetch_related("memberships__workspace"):
            spaces = ", ".join(f"{m.workspace.name} ({m.role})" for m in user.memberships.all()) or "no workspace"
            self.stdout.write(f"{user.email}\t{spaces}")

    def handle_set_password(self, email: str, password: str, **_: Any) -> None:
        user = self._user(email)
        self._validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        self.stdout.write(f"Password of {user.email} changed.")

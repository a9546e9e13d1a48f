from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from storelens.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Manage API tokens: create (printed once), list, revoke."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = actions.add_parser("create", help="Create an API token for a user; it is printed once, never stored.")
        create.add_argument("--user", required=True, metavar="EMAIL")
        create.add_argument("--workspace", metavar="NAME", help="Workspace the token acts in (default: their first).")
        create.add_argument("--name", default="CLI token", help="A label to recognise the token by.")
        listing = actions.add_parser("list", help="List tokens (never their secrets).")
        listing.add_argument("--user", metavar="EMAIL")
        revoke = actions.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("id", type=int)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"handle_{action}")(**options)

    def _user(self, email: str) -> User:
        try:
            return User.objects.get_by_natural_key(email)
        except User.DoesNotExist:
            raise CommandError(
                f"No user {email}: create one with `storelens users create {email} --password …`."
            ) from None

    def handle_create(self, user: str, workspace: str | None, name: str, **_: Any) -> None:
        account = self._user(user)
        workspaces = account.workspaces()
        chosen = workspaces.filter(name=workspace).first() if workspace else workspaces.first()
        if chosen is None:
            where = f"a member of “{workspace}”" if workspace else "in any workspace"
            raise CommandError(f"{account.email} is not {where}: add them with `storelens users add`.")
        token, raw = ApiToken.issue(account, chosen, name)
        self.stderr.write(
            f"Token {token.pk} for {account.email} in “{chosen.name}”. Copy it now; it cannot be shown again:"
        )
        self.stdout.write(raw)

    def handle_list(self, user: str | None, **_: Any) -> None:
        tokens = ApiToken.objects.select_related("user", "workspace").order_by("pk")
        if user:
            tokens = tokens.filter(user=self._user(user))
        for token in tokens:
            used = token.last_used_at.isoformat(timespec="seconds") if token.last_used_at else "never used"
            self.stdout.write(
                f"{token.pk}\t{token.hint}…\t{token.name}\t{token.user.email}\t{token.workspace.name}\t{used}"
            )

    def handle_revoke(self, id: int, **_: Any) -> None:
        deleted, _ = ApiToken.objects.filter(pk=id).delete()
        if not deleted:
            raise CommandError(f"No token {id}: see `storelens tokens list`.")
        self.stdout.write(f"Token {id} revoked.")

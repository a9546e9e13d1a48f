"""Who may sign up: the very first visitor always (they become the owner), later visitors only with open sign-up."""

from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction

from storelens.accounts.models import User, Workspace

SIGNUP_LOCK_KEY = 0x53746F72  # any constant; "Stor"


def no_users_yet() -> bool:
    return not User.objects.exists()


def signup_open() -> bool:
    return settings.STORELENS_OPEN_SIGNUP or no_users_yet()


class SignupClosed(Exception):
    """Raised when a sign-up races the first one and open sign-up is off."""


@transaction.atomic
def create_account(email: str, password: str, workspace_name: str, name: str = "") -> User:
    """The user and a new workspace they own, together or not at all.

    The check runs again inside the transaction, with writers queued (IMMEDIATE on SQLite, an advisory lock on
    PostgreSQL), so two people racing for the first account cannot both win when sign-up is closed.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SIGNUP_LOCK_KEY])
    if not signup_open():
        raise SignupClosed
    user = User.objects.create_user(email=email, password=password, name=name)
    Workspace.create_with_owner(workspace_name, user)
    return user

"""`storelens users …` and `storelens tokens …`."""

from __future__ import annotations

import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from storelens.accounts.models import ApiToken, Membership, User, Workspace
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_users_create_makes_an_owner_of_a_new_workspace() -> None:
    out, _ = run("users", "create", "New@Example.com", "--password", PASSWORD)
    user = User.objects.get(email="new@example.com")
    assert user.check_password(PASSWORD) and user.password.startswith("argon2$")
    assert Membership.objects.get(user=user).role == "owner"
    assert "owner of the new workspace" in out


def test_users_create_with_a_workspace_name_joins_it_or_creates_it() -> None:
    run("users", "create", "owner@example.com", "--password", PASSWORD, "--workspace", "Shop")
    run("users", "create", "clerk@example.com", "--password", PASSWORD, "--workspace", "Shop")
    shop = Workspace.objects.get(name="Shop")
    assert dict(shop.memberships.values_list("user__email", "role")) == {
        "owner@example.com": "owner",
        "clerk@example.com": "analyst",
    }


def test_users_create_refuses_a_weak_password_or_an_existing_user(alice: Any) -> None:
    with pytest.raises(CommandError, match="Password refused"):
        run("users", "create", "weak@example.com", "--password", "123")
    with pytest.raises(CommandError, match=r"exists already\. To add them to a workspace: storelens users add"):
        run("users", "create", "alice@example.com", "--password", PASSWORD)


def test_users_add_and_list(alice: Any, bob: Any) -> None:
    run("users", "add", "bob@example.com", "--workspace", "Alice's Shop")
    out, _ = run("users", "list")
    assert "bob@example.com\tBob's Boutique (owner), Alice's Shop (analyst)" in out
    with pytest.raises(CommandError, match="No workspace named “Nowhere”"):
        run("users", "add", "bob@example.com", "--workspace", "Nowhere")


def test_users_set_password(alice: Any) -> None:
    run("users", "set-password", "alice@example.com", "--password", "another-long-passphrase")
    alice.refresh_from_db()
    assert alice.check_password("another-long-passphrase")


def test_tokens_create_prints_the_token_once_and_stores_only_its_hash(alice: Any) -> None:
    out, err = run("tokens", "create", "--user", "alice@example.com", "--name", "reporting")
    raw = out.strip()
    token = ApiToken.objects.get()
    assert raw.startswith("sl_") and len(raw) > 40
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.hint, token.name, token.token_hash}
    assert "cannot be shown again" in err
    listing, _ = run("tokens", "list")
    assert raw not in listing and token.hint in listing


def test_tokens_revoke(alice: Any) -> None:
    token, _ = ApiToken.issue(alice, alice.workspaces().get())
    run("tokens", "revoke", str(token.pk))
    assert not ApiToken.objects.exists()
    with pytest.raises(CommandError, match="No token"):
        run("tokens", "revoke", str(token.pk))


def test_tokens_create_for_an_unknown_user_says_how_to_create_one() -> None:
    with pytest.raises(CommandError, match=r"storelens users create nobody@example\.com"):
        run("tokens", "create", "--user", "nobody@example.com")

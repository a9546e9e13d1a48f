"""Settings → Team: invite links (single use, 7 days), accepting them signed in or by signing up, role changes,
removal, ownership transfer, the last owner; the same rules through `storelens users`; the roles migration."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client, override_settings
from django.utils import timezone

from storelens.accounts.models import ApiToken, Invite, Membership, User, Workspace
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def shop() -> Workspace:
    return Workspace.objects.get(name="Alice's Shop")


def invite_link(client: Client, role: str) -> str:
    html = client.post("/accounts/team/invite/", {"role": role}).content.decode()
    match = re.search(r'id="invite-link">http://testserver(/accounts/invite/[^<]+/)</code>', html)
    assert match, html[-2000:]
    return match.group(1)


def test_an_invite_link_signs_up_a_new_person_with_its_role_once(alice: Any, client_for: Any) -> None:
    link = invite_link(client_for(alice), "support")
    assert Invite.objects.get().token_hash not in link  # only the hash is stored; the link carries the secret
    visitor = Client()
    assert "Join “Alice&#x27;s Shop”" in visitor.get(link).content.decode()
    form = {"email": "Sam@Example.com", "name": "Sam", "password1": PASSWORD, "password2": PASSWORD}
    response = visitor.post(link, form)
    assert (response.status_code, response["Location"]) == (302, "/orders/")  # support lands on orders
    sam = User.objects.get(email="sam@example.com")
    assert Membership.objects.get(user=sam).role == "support" and sam.workspaces().get() == shop()
    assert visitor.get("/api/v1/me").json()["workspace"]["role"] == "support"
    again = Client().get(link)
    assert again.status_code == 410 and "used already" in again.content.decode()


def test_a_signed_in_person_accepts_and_switches_to_the_workspace(alice: Any, bob: Any, client_for: Any) -> None:
    link = invite_link(client_for(alice), "analyst")
    bobs = client_for(bob)
    assert "Join as Analyst" in bobs.get(link).content.decode()
    assert bobs.post(link)["Location"] == "/"
    assert bobs.get("/api/v1/me").json()["workspace"] == {"id": shop().pk, "name": "Alice's Shop", "role": "analyst"}


def test_an_expired_or_unknown_link_says_to_ask_for_a_new_one(alice: Any, client_for: Any) -> None:
    link = invite_link(client_for(alice), "analyst")
    Invite.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Client().post(link, {"email": "x@example.com", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 410 and "expired (links last 7 days)" in response.content.decode()
    assert not User.objects.filter(email="x@example.com").exists()
    assert Client().get("/accounts/invite/nonsense/").status_code == 404


def test_the_link_uses_the_public_address_when_one_is_set(alice: Any, client_for: Any) -> None:
    with override_settings(STORELENS_PUBLIC_URL="https://lens.example.com"):
        html = client_for(alice).post("/accounts/team/invite/", {"role": "analyst"}).content.decode()
    assert 'id="invite-link">https://lens.example.com/accounts/invite/' in html


def test_a_revoked_invite_link_stops_working(alice: Any, client_for: Any) -> None:
    client = client_for(alice)
    link = invite_link(client, "analyst")
    client.post(f"/accounts/team/invites/{Invite.objects.get().pk}/revoke/")
    assert Client().get(link).status_code == 404 and not Invite.objects.exists()


def test_invites_expire_after_seven_days(alice: Any, client_for: Any) -> None:
    invite_link(client_for(alice), "admin")
    invite = Invite.objects.get()
    assert abs((invite.expires_at - invite.created_at) - timedelta(days=7)) < timedelta(seconds=1)


def test_a_member_already_in_the_workspace_leaves_the_link_unused(alice: Any, client_for: Any) -> None:
    client = client_for(alice)
    link = invite_link(client, "analyst")
    client.post(link)
    assert Invite.objects.get().accepted_at is None and Membership.objects.get(user=alice).role == "owner"


def test_an_admin_cannot_invite_an_owner_or_touch_one(alice: Any, make_member: Any, client_for: Any) -> None:
    admin = client_for(make_member("admin@example.com", "Alice's Shop", role="admin"))
    assert admin.post("/accounts/team/invite/", {"role": "owner"}).status_code == 403
    owner = Membership.objects.get(user=alice)
    assert admin.post(f"/accounts/team/{owner.pk}/role/", {"role": "analyst"}).status_code == 403
    assert admin.post(f"/accounts/team/{owner.pk}/remove/").status_code == 403
    assert Membership.objects.get(pk=owner.pk).role == "owner" and not Invite.objects.exists()


def test_the_last_owner_cannot_be_demoted_or_removed(alice: Any, client_for: Any) -> None:
    client = client_for(alice)
    me = Membership.objects.get(user=alice)
    for url, data in ((f"/accounts/team/{me.pk}/role/", {"role": "admin"}), (f"/accounts/team/{me.pk}/remove/", {})):
        page = client.post(url, data, follow=True).content.decode()
        assert "is the last owner of “Alice&#x27;s Shop”" in page and "Transfer ownership" in page
    assert Membership.objects.get(pk=me.pk).role == "owner"


def test_transfer_ownership_makes_them_owner_and_me_admin(alice: Any, make_member: Any, client_for: Any) -> None:
    carol = make_member("carol@example.com", "Alice's Shop", role="analyst")
    target = Membership.objects.get(user=carol)
    client_for(alice).post(f"/accounts/team/{target.pk}/transfer/")
    roles = dict(Membership.objects.filter(workspace=shop()).values_list("user__email", "role"))
    assert roles == {"alice@example.com": "admin", "carol@example.com": "owner"}


def test_removing_a_member_revokes_their_tokens_here(alice: Any, make_member: Any, client_for: Any) -> None:
    carol = make_member("carol@example.com", "Alice's Shop", role="admin")
    _, raw = ApiToken.issue(carol, shop(), "carol's")
    client_for(alice).post(f"/accounts/team/{Membership.objects.get(user=carol).pk}/remove/")
    assert not Membership.objects.filter(user=carol).exists() and not ApiToken.objects.filter(user=carol).exists()
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me").status_code == 401


def test_a_changed_role_applies_at_once_to_pages(alice: Any, make_member: Any, client_for: Any) -> None:
    carol = make_member("carol@example.com", "Alice's Shop", role="analyst")
    carols = client_for(carol)
    assert carols.get("/sales/").status_code == 200
    client_for(alice).post(f"/accounts/team/{Membership.objects.get(user=carol).pk}/role/", {"role": "support"})
    assert carols.get("/sales/").status_code == 403


# --- storelens users … --role ---------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.parametrize("role", ["owner", "admin", "analyst", "support"])
def test_users_create_and_add_take_every_role(alice: Any, bob: Any, role: str) -> None:
    run("users", "create", f"{role}@example.com", "--password", PASSWORD, "--workspace", "Alice's Shop", "--role", role)
    run("users", "add", "bob@example.com", "--workspace", "Alice's Shop", "--role", role)
    assert set(Membership.objects.filter(workspace=shop()).exclude(user=alice).values_list("role", flat=True)) == {role}
    assert f"Alice's Shop ({role})" in run("users", "list")


def test_users_add_without_a_role_gives_analyst_and_refuses_an_unknown_one(alice: Any, bob: Any) -> None:
    assert "is now analyst of “Alice's Shop”" in run("users", "add", "bob@example.com", "--workspace", "Alice's Shop")
    with pytest.raises(CommandError, match="invalid choice: 'member'"):
        run("users", "add", "bob@example.com", "--workspace", "Alice's Shop", "--role", "member")


def test_users_add_changes_a_role_but_keeps_the_last_owner(alice: Any, bob: Any) -> None:
    with pytest.raises(CommandError, match=r"alice@example\.com is the last owner"):
        run("users", "add", "alice@example.com", "--workspace", "Alice's Shop", "--role", "admin")
    run("users", "add", "bob@example.com", "--workspace", "Alice's Shop", "--role", "owner")
    out = run("users", "add", "alice@example.com", "--workspace", "Alice's Shop", "--role", "admin")
    assert "now admin (was owner)" in out


@pytest.mark.parametrize(("role", "sees_revenue"), [("analyst", True), ("support", False)])
def test_a_cli_token_acts_with_its_users_role(alice: Any, role: str, sees_revenue: bool) -> None:
    run("users", "create", "carol@example.com", "--password", PASSWORD, "--workspace", "Alice's Shop", "--role", role)
    raw = run("tokens", "create", "--user", "carol@example.com").strip()
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    revenue = api.get("/api/v1/metrics/summary?date_from=2025-03-01&date_to=2025-03-31")
    assert (revenue.status_code != 403) is sees_revenue  # 409 when allowed: the workspace has no store yet
    assert api.get("/api/v1/orders?date_from=2025-03-01&date_to=2025-03-31").status_code != 403
    assert api.delete(f"/api/v1/tokens/{ApiToken.objects.get(user__email='carol@example.com').pk}").status_code == 403


# --- the migration ----------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_owners_and_makes_members_admins() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0001_initial")])
    old = executor.loader.project_state([("accounts", "0001_initial")]).apps
    workspace = old.get_model("accounts", "Workspace").objects.create(name="Old")
    users = old.get_model("accounts", "User").objects
    membership = old.get_model("accounts", "Membership").objects
    membership.create(workspace=workspace, user=users.create(email="o@example.com"), role="owner")
    membership.create(workspace=workspace, user=users.create(email="m@example.com"), role="member")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    roles = dict(Membership.objects.values_list("user__email", "role"))
    assert roles == {"o@example.com": "owner", "m@example.com": "admin"}

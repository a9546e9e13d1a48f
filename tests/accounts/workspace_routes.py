"""Team routes with path parameters, for the workspace-scoping audit (tests/scoping.py)."""

from __future__ import annotations

from typing import Any

from storelens.accounts.models import Invite, Membership, User
from tests.scoping import ScopedRoute


def a_member(workspace: Any) -> dict[str, int]:
    user = User.objects.create_user(f"member-{User.objects.count()}@example.com", "correct-horse-battery-staple")
    membership = Membership.objects.create(user=user, workspace=workspace, role="analyst")
    return {"membership_id": membership.pk}


def an_invite(workspace: Any) -> dict[str, int]:
    invite, _ = Invite.issue(workspace, "analyst", None)
    return {"invite_id": invite.pk}


SCOPED = {
    "accounts:change_role": ScopedRoute(a_member, methods=("POST",)),
    "accounts:remove_member": ScopedRoute(a_member, methods=("POST",)),
    "accounts:transfer_ownership": ScopedRoute(a_member, methods=("POST",)),
    "accounts:revoke_invite": ScopedRoute(an_invite, methods=("POST",)),
}
UNSCOPED = {
    "accounts:accept_invite": "the link's secret is the credential; it names no object of the visitor's workspace",
}

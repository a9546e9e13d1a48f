"""Changing a workspace's team: roles, removal, ownership transfer, invites. Shared by the Team page and the CLI.

`actor` is the membership of whoever asks, checked against the permission table; None is the machine's operator
(the CLI), who is not limited by a role. Whoever asks, a workspace always keeps at least one owner: the owner rows
are locked while a change is decided, so two owners demoting each other at once cannot both win.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from storelens.accounts.models import ApiToken, Invite, Membership, Role, User, Workspace
from storelens.accounts.permissions import Action, allows, refusal


class TeamError(Exception):
    """A change refused, with a sentence saying why and what to do instead."""


class RoleRefusedError(TeamError):
    """Refused because of the asker's role (the page answers 403), not because of the team's state."""

    def __init__(self, role: str, action: Action) -> None:
        super().__init__(refusal(role, action))
        self.action = action


def _require(actor: Membership | None, action: Action) -> None:
    if actor is not None and not allows(actor.role, action):
        raise RoleRefusedError(actor.role, action)


def grantable_roles(actor: Membership | None) -> list[Role]:
    """The roles `actor` may give (invite with, or change a member to): owner only by an owner."""
    return [r for r in Role if r != Role.OWNER or actor is None or allows(actor.role, Action.MANAGE_OWNERS)]


def _lock_owners(workspace: Workspace) -> list[int]:
    return list(
        Membership.objects.select_for_update().filter(workspace=workspace, role=Role.OWNER).values_list("pk", flat=True)
    )


def _keep_an_owner(membership: Membership, doing: str) -> None:
    owners = _lock_owners(membership.workspace)
    if owners == [membership.pk]:
        raise TeamError(
            f"{membership.user.email} is the last owner of “{membership.workspace.name}”, so you cannot {doing}. "
            "Make someone else owner first: Settings → Team → Transfer ownership, or "
            f'`storelens users add EMAIL --workspace "{membership.workspace.name}" --role owner`.'
        )


def _may_touch(actor: Membership | None, membership: Membership) -> None:
    _require(actor, Action.MANAGE_TEAM)
    if membership.role == Role.OWNER:
        _require(actor, Action.MANAGE_OWNERS)


@transaction.atomic
def change_role(actor: Membership | None, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise TeamError(f"“{role}” is not a role: choose one of {', '.join(Role.values)}.")
    _may_touch(actor, membership)
    if role == Role.OWNER:
        _require(actor, Action.MANAGE_OWNERS)
    if membership.role == Role.OWNER and role != Role.OWNER:
        _keep_an_owner(membership, "demote them")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(actor: Membership | None, membership: Membership) -> None:
    """Remove the member and their tokens in this workspace (the tokens would stop working anyway)."""
    _may_touch(actor, membership)
    if membership.role == Role.OWNER:
        _keep_an_owner(membership, "remove them")
    ApiToken.objects.filter(workspace=membership.workspace, user=membership.user).delete()
    membership.delete()


@transaction.atomic
def transfer_ownership(actor: Membership, to: Membership) -> None:
    """`to` becomes owner and `actor` (an owner) becomes admin, in one step."""
    _require(actor, Action.MANAGE_OWNERS)
    if to.pk == actor.pk:
        raise TeamError("You own this workspace already: choose another member to transfer it to.")
    _lock_owners(actor.workspace)
    Membership.objects.filter(pk=to.pk).update(role=Role.OWNER)
    Membership.objects.filter(pk=actor.pk).update(role=Role.ADMIN)


def invite(actor: Membership | None, workspace: Workspace, role: str, by: User | None) -> tuple[Invite, str]:
    if role not in Role.values:
        raise TeamError(f"“{role}” is not a role: choose one of {', '.join(Role.values)}.")
    _require(actor, Action.MANAGE_TEAM)
    if role == Role.OWNER:
        _require(actor, Action.MANAGE_OWNERS)
    return Invite.issue(workspace, role, by)


def check_invite(invite: Invite | None) -> Invite:
    if invite is None:
        raise TeamError("This invite link is not valid: ask for a new one (Settings → Team → Invite).")
    if invite.accepted_at is not None:
        raise TeamError("This invite link was used already: each link works once. Ask for a new one.")
    if invite.expires_at <= timezone.now():
        raise TeamError("This invite link has expired (links last 7 days): ask for a new one.")
    return invite


@transaction.atomic
def accept(invite: Invite, user: User) -> Membership:
    """Join the invite's workspace with its role, using the link up: of two people racing, one joins."""
    check_invite(invite)
    if Membership.objects.filter(workspace=invite.workspace, user=user).exists():
        raise TeamError(f"You are a member of “{invite.workspace.name}” already; the link stays unused.")
    now = timezone.now()
    used = Invite.objects.filter(pk=invite.pk, accepted_at__isnull=True, expires_at__gt=now).update(
        accepted_at=now, accepted_by=user
    )
    if not used:
        raise TeamError("This invite link was used already: each link works once. Ask for a new one.")
    return Membership.objects.create(workspace=invite.workspace, user=user, role=invite.role)

"""Settings → Team: members and their roles, invite links, and accepting an invite (signed in or signing up).

Who may use each view is `ROUTE_ACTIONS` (checked by WorkspaceMiddleware before the view runs); the rules that
depend on the member concerned — owners, the last owner — live in storelens.accounts.team.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from storelens.accounts import team
from storelens.accounts.forms import InviteSignUpForm, RoleForm
from storelens.accounts.middleware import SESSION_KEY, forbidden
from storelens.accounts.models import Invite, Membership, Role, User
from storelens.accounts.permissions import landing_route
from storelens.accounts.scoping import get_workspace_object_or_404, workspace_required


def _team_context(request: HttpRequest, **extra: object) -> dict[str, object]:
    workspace = request.workspace  # type: ignore[attr-defined]
    actor = request.membership  # type: ignore[attr-defined]
    grantable = team.grantable_roles(actor)
    members = list(Membership.objects.filter(workspace=workspace).select_related("user").order_by("pk"))
    return {
        "members": members,
        "owners": sum(m.role == Role.OWNER for m in members),  # the last owner's row offers no demotion or removal
        "invites": Invite.objects.filter(
            workspace=workspace, accepted_at__isnull=True, expires_at__gt=timezone.now()
        ).select_related("created_by"),
        "me": actor,
        "grantable": [(r.value, r.label) for r in grantable],
        **extra,
    }


@workspace_required
def team_page(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/team.html", _team_context(request))


@workspace_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    form = RoleForm(request.POST)
    role = form.cleaned_data["role"] if form.is_valid() else request.POST.get("role", "")
    try:
        made, raw = team.invite(request.membership, request.workspace, role, request.user)  # type: ignore[attr-defined]
    except team.RoleRefusedError as exc:
        return forbidden(request, exc.action)
    except team.TeamError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:team")
    # The public address when one is set: the person invited opens the link from outside, not through our proxy.
    base = settings.STORELENS_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
    link = base + reverse("accounts:accept_invite", kwargs={"token": raw})
    # Rendered, not redirected: like a new API token, the link's secret is shown once and stored nowhere.
    return render(request, "accounts/team.html", _team_context(request, new_link=link, new_invite=made))


@workspace_required
@require_POST
def revoke_invite(request: HttpRequest, invite_id: int) -> HttpResponse:
    get_workspace_object_or_404(request, Invite, pk=invite_id).delete()
    messages.success(request, "Invite revoked: its link no longer works.")
    return redirect("accounts:team")


def _member(request: HttpRequest, membership_id: int) -> Membership:
    members = Membership.objects.select_related("user", "workspace")
    return get_workspace_object_or_404(request, members, pk=membership_id)


@workspace_required
@require_POST
def change_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    member = _member(request, membership_id)
    try:
        team.change_role(request.membership, member, request.POST.get("role", ""))  # type: ignore[attr-defined]
    except team.RoleRefusedError as exc:
        return forbidden(request, exc.action)
    except team.TeamError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:team")
    messages.success(request, f"{member.user.email} is now {member.get_role_display()}.")
    return redirect("accounts:team")


@workspace_required
@require_POST
def remove_member(request: HttpRequest, membership_id: int) -> HttpResponse:
    member = _member(request, membership_id)
    try:
        team.remove_member(request.membership, member)  # type: ignore[attr-defined]
    except team.RoleRefusedError as exc:
        return forbidden(request, exc.action)
    except team.TeamError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:team")
    messages.success(request, f"{member.user.email} is no longer a member; their API tokens here are revoked.")
    if member.user_id == request.user.pk:
        return redirect("dashboard:home")
    return redirect("accounts:team")


@workspace_required
@require_POST
def transfer_ownership(request: HttpRequest, membership_id: int) -> HttpResponse:
    member = _member(request, membership_id)
    try:
        team.transfer_ownership(request.membership, member)  # type: ignore[attr-defined]
    except team.RoleRefusedError as exc:
        return forbidden(request, exc.action)
    except team.TeamError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:team")
    messages.success(request, f"{member.user.email} now owns “{member.workspace.name}”; you are an admin.")
    return redirect("accounts:team")


def accept_invite(request: HttpRequest, token: str) -> HttpResponse:
    """GET: what the link offers. POST: join (signed in) or create an account and join (signed out)."""
    found = Invite.find(token)
    try:
        found = team.check_invite(found)
    except team.TeamError as exc:
        return render(request, "accounts/invite.html", {"problem": str(exc)}, status=410 if found else 404)
    signed_in = request.user.is_authenticated
    form = None if signed_in else InviteSignUpForm(request.POST or None)
    if request.method == "POST" and (signed_in or (form is not None and form.is_valid())):
        try:
            # One transaction: a new account exists only if it joined (a link used up meanwhile leaves no orphan).
            with transaction.atomic():
                if signed_in:
                    user: User = request.user  # type: ignore[assignment]
                else:
                    data = form.cleaned_data  # type: ignore[union-attr]
                    user = User.objects.create_user(email=data["email"], password=data["password1"], name=data["name"])
                membership = team.accept(found, user)
        except team.TeamError as exc:
            messages.error(request, str(exc))
            return redirect("dashboard:home" if signed_in else "accounts:login")
        if not signed_in:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session[SESSION_KEY] = membership.workspace_id
        messages.success(
            request, f"Welcome to “{membership.workspace.name}”: you joined as {membership.get_role_display()}."
        )
        return redirect(landing_route(membership.role))
    context = {"invite": found, "form": form, "login_url": f"{reverse('accounts:login')}?next={request.path}"}
    return render(request, "accounts/invite.html", context, status=400 if form is not None and form.errors else 200)

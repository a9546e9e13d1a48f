"""The dashboard home and the settings page."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from storelens.accounts.forms import NewTokenForm, WorkspaceForm
from storelens.accounts.middleware import forbidden
from storelens.accounts.models import ApiToken
from storelens.accounts.permissions import Action, allows
from storelens.accounts.scoping import get_workspace_object_or_404, scoped, workspace_required
from storelens.accounts.signup import no_users_yet
from storelens.dashboard.context import optional_url
from storelens.dashboard.digest_views import digest_context
from storelens.dashboard.insights_common import has_stores
from storelens.dashboard.insights_home import home as analytics_home
from storelens.stores import figure_settings
from storelens.stores.models import Store
from storelens.stores.reporting import ORDER_STATUSES


def home(request: HttpRequest) -> HttpResponse:
    if no_users_yet():
        return redirect("accounts:signup")
    return _dashboard(request)


@workspace_required
def _dashboard(request: HttpRequest) -> HttpResponse:
    if has_stores(request):
        return analytics_home(request)
    context = {"connect_url": optional_url("stores:add") or optional_url("stores:list")}
    return render(request, "dashboard/home.html", context)


def _figure_stores(request: HttpRequest) -> list[dict[str, object]]:
    """Each connected store's figure settings, with where each came from (an assumed one says so)."""
    stores = scoped(request, Store).filter(keys_verified_at__isnull=False)
    return [{"store": s, "figures": figure_settings.shown_all(s)} for s in stores]


def _visible_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    """Every member's tokens for an owner or admin; one's own for anyone else."""
    tokens = scoped(request, ApiToken).select_related("user")
    if allows(request.membership.role, Action.ALL_TOKENS):  # type: ignore[attr-defined]
        return tokens
    return tokens.filter(user=request.user)


def _settings_context(request: HttpRequest, **extra: object) -> dict[str, object]:
    workspace = request.workspace  # type: ignore[attr-defined]
    return {
        "figure_stores": _figure_stores(request),
        "figure_statuses": ORDER_STATUSES,
        "workspace_form": WorkspaceForm(initial={"name": workspace.name}),
        "token_form": NewTokenForm(),
        "tokens": _visible_tokens(request),
        "role": request.membership.get_role_display(),  # type: ignore[attr-defined]
        **digest_context(request),
        **extra,
    }


@workspace_required
def settings_page(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/settings.html", _settings_context(request))


@workspace_required
@require_POST
def rename_workspace(request: HttpRequest) -> HttpResponse:
    # Owners only (MANAGE_WORKSPACE): WorkspaceMiddleware refuses everyone else before this runs.
    form = WorkspaceForm(request.POST)
    if form.is_valid():
        request.workspace.name = form.cleaned_data["name"]  # type: ignore[attr-defined]
        request.workspace.save(update_fields=["name"])  # type: ignore[attr-defined]
        messages.success(request, "Workspace renamed.")
        return redirect("dashboard:settings")
    return render(request, "dashboard/settings.html", _settings_context(request, workspace_form=form), status=400)


@workspace_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    form = NewTokenForm(request.POST)
    if not form.is_valid():
        return render(request, "dashboard/settings.html", _settings_context(request, token_form=form), status=400)
    token, raw = ApiToken.issue(request.user, request.workspace, form.cleaned_data["name"])  # type: ignore[arg-type,attr-defined]
    # Rendered, not redirected: the secret must never land in the session or a URL.
    context = _settings_context(request, new_token=raw, new_token_name=token.name)
    return render(request, "dashboard/settings.html", context)


@workspace_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_workspace_object_or_404(request, ApiToken, pk=token_id)
    if token.user_id != request.user.pk and not allows(request.membership.role, Action.ALL_TOKENS):  # type: ignore[attr-defined]
        return forbidden(request, Action.ALL_TOKENS)
    token.delete()
    messages.success(request, f"Token “{token.name}” revoked: requests that use it are refused from now on.")
    return redirect("dashboard:settings")

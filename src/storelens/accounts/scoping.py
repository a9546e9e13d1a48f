"""Workspace scoping: the one way views and API routes read workspace data.

Every model that holds workspace data either has a `workspace` foreign key (inherit `WorkspaceOwned`) or says how to
reach its workspace with a `workspace_lookup` class attribute (e.g. `workspace_lookup = "store__workspace"` on an
order). Views then read through `scoped()` / `get_workspace_object_or_404()`, so an id from another workspace
answers 404 exactly like an id that does not exist — it never reveals that the object is there.

tests/accounts/test_workspace_scoping.py requests every URL with a path parameter as a member of another workspace
and expects 404: when you add such a route, register it in tests/<your app>/workspace_routes.py (how: tests/scoping.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.http import Http404, HttpRequest

from storelens.accounts.models import Workspace

if TYPE_CHECKING:
    from collections.abc import Callable

M = TypeVar("M", bound=models.Model)


def workspace_lookup_of(model: type[models.Model]) -> str:
    return getattr(model, "workspace_lookup", "workspace")


class WorkspaceQuerySet(models.QuerySet[M]):
    def for_workspace(self, workspace: Workspace) -> WorkspaceQuerySet[M]:
        return self.filter(**{workspace_lookup_of(self.model): workspace})


class WorkspaceOwned(models.Model):
    """Abstract base for models that belong directly to a workspace."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        abstract = True


def _workspace_of(request_or_workspace: HttpRequest | Workspace) -> Workspace:
    if isinstance(request_or_workspace, Workspace):
        return request_or_workspace
    workspace = getattr(request_or_workspace, "workspace", None)
    if workspace is None:
        # No workspace means no data: better a 404 than a query that forgets its filter.
        raise Http404("No workspace selected.")
    return workspace


def scoped(request_or_workspace: HttpRequest | Workspace, model_or_queryset: type[M] | models.QuerySet[M]) -> Any:
    """`model_or_queryset` filtered to the request's workspace (or the given workspace)."""
    workspace = _workspace_of(request_or_workspace)
    if isinstance(model_or_queryset, models.QuerySet):
        queryset = model_or_queryset
    else:
        queryset = model_or_queryset._default_manager.all()
    return queryset.filter(**{workspace_lookup_of(queryset.model): workspace})


def get_workspace_object_or_404(
    request_or_workspace: HttpRequest | Workspace, model_or_queryset: type[M] | models.QuerySet[M], **lookup: Any
) -> M:
    try:
        return scoped(request_or_workspace, model_or_queryset).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("Not found in this workspace.") from None


def workspace_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Signed in and in a workspace; otherwise to the sign-in page or a page saying how to join one."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login
    from django.shortcuts import render

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request, "workspace", None) is None:
            return render(request, "accounts/no_workspace.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper

"""A URL map with deliberate mistakes, to prove the scoping audit catches them."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from storelens.accounts.models import ApiToken
from storelens.accounts.scoping import get_workspace_object_or_404


def leaky(request: HttpRequest, token_id: int) -> HttpResponse:
    # The mistake the audit exists for: a lookup that forgets the workspace.
    return HttpResponse(get_object_or_404(ApiToken, pk=token_id).name)


def scoped(request: HttpRequest, token_id: int) -> HttpResponse:
    return HttpResponse(get_workspace_object_or_404(request, ApiToken, pk=token_id).name)


def forgotten(request: HttpRequest, token_id: int) -> HttpResponse:
    return HttpResponse("nobody registered me")


urlpatterns = [
    path("leaky/<int:token_id>/", leaky, name="leaky"),
    path("scoped/<int:token_id>/", scoped, name="scoped"),
    path("forgotten/<int:token_id>/", forgotten, name="forgotten"),
]

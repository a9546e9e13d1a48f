"""The one NinjaAPI instance; routers from every app are mounted on it in routers.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from storelens import __version__
from storelens.accounts.permissions import API_ACTIONS, UNLISTED_ROUTE_ACTION
from storelens.api.auth import AUTH, RoleRefused, auth_for
from storelens.api.docs import VendoredSwagger
from storelens.api.routers import ROUTERS

api = NinjaAPI(
    title="Storelens API",
    version=__version__,
    description="Exact analytics for WooCommerce stores. Authenticate with `Authorization: Bearer <token>`; "
    "create a token on the Settings page or with `storelens tokens create --user EMAIL`.",
    urls_namespace="api",
    auth=AUTH,
    docs_url="/docs",
    docs=VendoredSwagger(),
)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": "Authentication required: send `Authorization: Bearer <token>`. Create a token on the "
            "Settings page or with `storelens tokens create --user EMAIL`."
        },
        status=401,
    )


@api.exception_handler(RoleRefused)
def refused(request: HttpRequest, exc: RoleRefused) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=403)


for prefix, router in ROUTERS:
    # A router missing from API_ACTIONS is closed to support until listed; tests/api/test_roles_api.py asks for it.
    api.add_router(prefix, router, auth=auth_for(API_ACTIONS.get(prefix, UNLISTED_ROUTE_ACTION)))

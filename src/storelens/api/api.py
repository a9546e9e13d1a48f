"""The one NinjaAPI instance; routers from every app are mounted on it in routers.py, each with its role check."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from storelens import __version__
from storelens.accounts.permissions import API_ACTIONS, UNLISTED_ROUTE_ACTION
from storelens.api.auth import AUTH, RoleRefused, auth_for
from storelens.api.docs import VendoredSwagger
from storelens.api.routers import ROUTERS

REFUSED = {
    "description": "Your role in this workspace may not do this (owners and admins change roles on Settings → Team); "
    "`detail` says what the role cannot do.",
    "content": {
        "application/json": {
            "schema": {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
        }
    },
}


class StorelensAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Every operation may answer 403 when the caller's role does not allow it (storelens.api.auth), so the
        document says so: clients and schemathesis then know the answer a read-only or support token gets."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if isinstance(operation, dict) and "responses" in operation:
                    operation["responses"].setdefault(403, REFUSED)
        return schema


api = StorelensAPI(
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

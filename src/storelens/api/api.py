"""The one NinjaAPI instance; routers from every app are mounted on it in routers.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from storelens import __version__
from storelens.api.auth import AUTH
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


for prefix, router in ROUTERS:
    api.add_router(prefix, router)

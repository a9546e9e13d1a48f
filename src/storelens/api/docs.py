"""The API reference page (/api/v1/docs): Swagger UI from Storelens's own vendored, pinned copy.

django-ninja's default page loads Swagger UI from a CDN unless "ninja" is an installed app, and even then it ships
its own unpinned copy with a foreign favicon. A self-hosted install behind a firewall cannot reach a CDN, and the
page would leak every visit to a third party, so this renderer serves static/vendor/swagger-ui/ (version, hash and
licence in static/vendor/README.md) and turns off Swagger UI's online validator badge, which calls
validator.swagger.io.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

SWAGGER_SETTINGS: dict[str, Any] = {
    "layout": "BaseLayout",
    "deepLinking": True,
    # None turns the validator badge off; its default is https://validator.swagger.io.
    "validatorUrl": None,
    "tryItOutEnabled": False,
}


class VendoredSwagger(DocsBase):
    """Renders api/docs.html with the OpenAPI document's URL; the page's script lives in api/docs.js (no inline JS)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        swagger_settings = {**SWAGGER_SETTINGS, "url": self.get_openapi_url(api, kwargs)}
        return render(request, "api/docs.html", {"api": api, "swagger_settings": swagger_settings})

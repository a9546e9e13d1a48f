"""Requests no page or route can use, refused before any view reads them: a NUL character in the path, the query
or a form field.

No field of Storelens means a NUL (Django's own form fields already refuse it), yet views and the API read query
parameters as plain strings and pass them on: PostgreSQL refuses NUL in text ("PostgreSQL text fields cannot contain
NUL (0x00) bytes") and SQLite's full-text search read it as an unterminated string, both answering 500 (found by the
fuzzing pass, tests/test_fuzz_pages.py). One check here covers every page and route, today's and tomorrow's. JSON
bodies are not inspected: webhook and callback bodies are read as bytes and JSON escapes a NUL anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

MESSAGE = "remove the NUL character (\\x00): no field of Storelens accepts one."


FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _nul_parameter(request: HttpRequest, read_form: bool) -> tuple[str, str] | None:
    """(where, name) of the first NUL found: ("path", ""), ("query", name) or ("form", name)."""
    if "\x00" in request.path:
        return "path", ""
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in v for v in values):
            return "query", name
    if read_form and request.method == "POST" and request.content_type in FORMS:
        for name, values in request.POST.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                return "form", name
    return None


class RejectNulMiddleware:
    """Answers 400 (pages) or 422 in the API's validation format (the status every API route documents for a bad
    parameter) when the path, a query parameter or a form field holds a NUL character.

    Like Django's CSRF check it reads form fields only for views that are not `csrf_exempt`: those (the webhook
    intake, the key callback, the Connector) read the raw body, which a parsed multipart form would no longer give.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        found = _nul_parameter(request, read_form=not getattr(view, "csrf_exempt", False))
        if found is None:
            return None
        where, name = found
        label = f"The {where}" + (f" parameter {name!r}" if name else "")
        if request.path.startswith("/api/"):
            problem = {"loc": [where, name.replace("\x00", "")], "msg": f"{label}: {MESSAGE}", "type": "nul_character"}
            return JsonResponse({"detail": [problem]}, status=422)
        return HttpResponse(f"{label.replace(chr(0), '')}: {MESSAGE}\n", status=400, content_type="text/plain")

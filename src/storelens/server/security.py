"""Headers that make a browser enforce what Storelens's pages never need: Content-Security-Policy, Secure cookies.

The pages load every script from Storelens itself (htmx, ECharts, `static/storelens/*.js`) and carry their chart data
in `<script type="application/json">` blocks, which a CSP does not execute, so scripts need nothing but `'self'`: no
inline script, no `eval`, no other origin. Styles allow inline `style` attributes (progress bars, ECharts' SVG); an
injected style can restyle a page but run nothing. The browser tests fail on any CSP violation Chromium reports
(tests/browser/conftest.py), so a new inline `<script>` or `onclick=` is caught before it ships.

The API reference (`/api/v1/docs`) runs the vendored Swagger UI from static files under the same policy.

HSTS is Django's (`SECURE_HSTS_SECONDS`, sent on HTTPS answers only). Session and CSRF cookies are `Secure` whenever
the request came over HTTPS: `serve --tls-cert` (no public URL needed), or a trusted proxy's `X-Forwarded-Proto`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)


class SecurityHeadersMiddleware:
    """Adds the CSP to every answer and marks the session and CSRF cookies Secure on HTTPS requests.

    It sits above the session and CSRF middleware, so it sees the cookies they set on the way out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        if request.is_secure():
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
                if name in response.cookies:
                    response.cookies[name]["secure"] = True
        return response

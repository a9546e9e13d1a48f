"""Requests and answers of the REST server, with WordPress's headers and WooCommerce's error bodies.

Header rules were read off the captures: every JSON answer carries X-Robots-Tag, nosniff and the CORS headers;
a logged-in request (a key that authenticated, even one refused for its permissions) gets WordPress's no-cache
headers, an anonymous one `Vary: Origin`; `Allow` lists the matched route's methods the user may use; a
pagination `Link` replaces the `rel="https://api.w.org/"` one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from ..phpquery import PhpValue
from ..restauth import AuthResult
from ..serializers import View

if TYPE_CHECKING:
    from ..store import FakeStore

EXPIRES = "Wed, 11 Jan 1984 05:00:00 GMT"
NO_CACHE = "no-cache, must-revalidate, max-age=0, no-store, private"
EXPOSE = "X-WP-Total, X-WP-TotalPages, Link"
ALLOW_HEADERS = "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type"
NO_ROUTE = "No route was found matching the URL and request method."


def php_json(payload: Any) -> bytes:
    """wp_json_encode(): compact, `/` escaped, non-ASCII as \\u escapes."""
    return json.dumps(payload, separators=(",", ":")).replace("/", "\\/").encode()


@dataclass
class RestRequest:
    store: FakeStore
    method: str  # after _method / X-HTTP-Method-Override, as WP_REST_Server dispatches it
    http_method: str
    route: str  # "/wc/v3/orders/12"
    get: dict[str, PhpValue]
    post: dict[str, PhpValue]
    body: dict[str, Any]  # JSON body (or form body)
    ssl: bool
    raw_uri: str
    view: View
    auth: AuthResult
    api_root: str  # <…/wp-json/> for the discovery Link header
    url_args: dict[str, str] = field(default_factory=dict)

    def param(self, name: str, default: Any = None) -> Any:
        """WP_REST_Request::get_param for a write: JSON body, then POST, then GET."""
        if name in self.body:
            return self.body[name]
        if name in self.post:
            return self.post[name]
        return self.get.get(name, default)

    @property
    def user(self) -> Any:
        return self.auth.user


@dataclass
class Reply:
    status: int
    data: Any
    headers: dict[str, str] = field(default_factory=dict)


class RestError(Exception):
    def __init__(self, status: int, code: str, message: str, data_extra: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.data_extra = status, code, message, data_extra

    def body(self) -> dict:
        data: dict[str, Any] = {"status": self.status}
        if self.data_extra:
            data.update(self.data_extra)
        return {"code": self.code, "message": self.message, "data": data}


def invalid_params(problems: dict[str, tuple[str, str]]) -> RestError:
    """400 rest_invalid_param with params and details, as rest_validate_request_arg reports them."""
    names = ", ".join(problems)
    return RestError(
        400,
        "rest_invalid_param",
        f"Invalid parameter(s): {names}",
        {
            "params": {k: msg for k, (_, msg) in problems.items()},
            "details": {k: {"code": code, "message": msg, "data": None} for k, (code, msg) in problems.items()},
        },
    )


def render(
    req_or_none: RestRequest | None,
    status: int,
    data: Any,
    *,
    headers: dict[str, str] | None = None,
    logged_in: bool = False,
    allow: list[str] | None = None,
    api_root: str = "",
) -> Response:
    out: dict[str, str] = {"Content-Type": "application/json; charset=UTF-8", "X-Robots-Tag": "noindex"}
    extra = dict(headers or {})
    if "Link" not in extra and api_root:
        out["Link"] = f'<{api_root}>; rel="https://api.w.org/"'
    out["X-Content-Type-Options"] = "nosniff"
    out["Access-Control-Expose-Headers"] = EXPOSE
    out["Access-Control-Allow-Headers"] = ALLOW_HEADERS
    if not logged_in:
        out["Vary"] = "Origin"
    for k in ("X-WP-Total", "X-WP-TotalPages", "Link", "Location"):
        if k in extra:
            out[k] = extra.pop(k)
    if allow:
        out["Allow"] = ", ".join(allow)
    if logged_in:
        out["Expires"] = EXPIRES
        out["Cache-Control"] = NO_CACHE
    out.update(extra)
    body = php_json(data)
    return Response(content=body, status_code=status, headers=out, media_type=None)

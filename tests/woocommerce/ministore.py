"""A few-rule WooCommerce stand-in for httpx.MockTransport: just enough REST authentication to drive the ladder.

It follows `WC_REST_Authentication` (Basic/query keys only when is_ssl(), then OAuth; 401 for key permission
errors, 403 for a user without rights) and answers with captured bodies. The fake store is the full stand-in; this
one lets the client's unit tests flip one server behaviour at a time.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx

from storelens.woocommerce import oauth

from . import captures

AUTH_ERROR = "woocommerce_rest_authentication_error"
ORDERS_BODY = captures.body_bytes(captures.load("orders/orders-page1-default.json"))


def wc_error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> httpx.Response:
    body = {"code": code, "message": message, "data": {"status": status}}
    return httpx.Response(status, json=body, headers=headers or {})


@dataclass
class MiniStore:
    home_url: str = "https://shop.example.com"
    keys: dict[str, tuple[str, str]] = field(default_factory=dict)  # ck -> (cs, permissions)
    is_ssl: bool | None = None  # None: from the request scheme
    strip_auth: bool = False
    user_can: bool = True
    requests: list[httpx.Request] = field(default_factory=list)
    handler: Callable[[httpx.Request, dict[str, str]], httpx.Response] | None = None

    def add_key(self, ck: str, cs: str, permissions: str = "read_write") -> None:
        self.keys[ck] = (cs, permissions)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        raw_target = request.url.raw_path.decode("ascii")
        query = dict(parse_qsl(urlsplit(raw_target).query, keep_blank_values=True))
        if "wp-json/wc/" not in raw_target:
            return self._route(request, query, user=None)
        ssl = request.url.scheme == "https" if self.is_ssl is None else self.is_ssl
        user: str | None = None
        if ssl:
            ck, cs = query.get("consumer_key"), query.get("consumer_secret")
            if not (ck and cs):
                header = request.headers.get("authorization", "")
                if header.startswith("Basic ") and not self.strip_auth:
                    ck, _, cs = base64.b64decode(header[6:]).decode().partition(":")
            if ck and cs and ck in self.keys:
                if self.keys[ck][0] != cs:
                    return wc_error(401, "woocommerce_rest_authentication_error", "Consumer secret is invalid.")
                user = ck
        if user is None and "oauth_signature" in query:
            ck = query["oauth_consumer_key"]
            if ck not in self.keys:
                return wc_error(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.")
            params = {k: v for k, v in query.items() if k != "oauth_signature"}
            base = oauth.signature_base_url(self.home_url, unquote(request.url.path), "https" if ssl else "http")
            expected = oauth.sign(request.method, base, params, self.keys[ck][0], params["oauth_signature_method"])
            if expected != query["oauth_signature"]:
                return wc_error(
                    401,
                    "woocommerce_rest_authentication_error",
                    "Invalid signature - provided signature does not match.",
                )
            user = ck
        if user is not None:
            permissions = self.keys[user][1]
            if request.method == "GET" and permissions == "write":
                return wc_error(401, AUTH_ERROR, "The API key provided does not have read permissions.")
            if request.method in ("POST", "PUT", "DELETE") and permissions == "read":
                return wc_error(
                    401,
                    "woocommerce_rest_authentication_error",
                    "The API key provided does not have write permissions.",
                )
        if user is None:
            return wc_error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
        if not self.user_can:
            return wc_error(403, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
        return self._route(request, query, user)

    def _route(self, request: httpx.Request, query: dict[str, str], user: str | None) -> httpx.Response:
        if self.handler is not None:
            return self.handler(request, query)
        return httpx.Response(
            200,
            content=ORDERS_BODY,
            headers={"content-type": "application/json; charset=UTF-8", "x-wp-total": "10", "x-wp-totalpages": "1"},
        )


def list_handler(
    items: list[dict[str, int]], fail: Callable[[httpx.Request, dict[str, str]], httpx.Response | None] | None = None
) -> Callable[[httpx.Request, dict[str, str]], httpx.Response]:
    """Serve `items` with WordPress paging semantics (X-WP-Total/TotalPages, [] with totals 0 past the end)."""

    def handle(request: httpx.Request, query: dict[str, str]) -> httpx.Response:
        if fail is not None:
            failure = fail(request, query)
            if failure is not None:
                return failure
        per_page = int(query.get("per_page", 10))
        page = int(query.get("page", 1))
        if not 1 <= per_page <= 100:
            return wc_error(400, "rest_invalid_param", "Invalid parameter(s): per_page")
        total = len(items)
        pages = -(-total // per_page)
        chunk = items[(page - 1) * per_page : page * per_page]
        if not chunk:
            total = pages = 0
        return httpx.Response(
            200,
            content=json.dumps(chunk).encode(),
            headers={"content-type": "application/json", "x-wp-total": str(total), "x-wp-totalpages": str(pages)},
        )

    return handle

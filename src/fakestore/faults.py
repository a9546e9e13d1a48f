"""Misbehaviour on demand: what stands between a client and a real WooCommerce store when things go wrong.

`wrap(app, store)` returns ASGI middleware meant to be the outermost layer. It reads `store.config` on every
request, so a test or the admin endpoint can switch a mode or a fault rate while the server runs, and the next
request sees it. The fake's own admin endpoint (`/__fakestore/...`) is never touched.

What it can do, in the order a request meets it:

1. latency: `faults.latency_ms` plus a uniform jitter in `[0, faults.jitter_ms]`, before anything else.
2. site-wide modes that answer instead of WordPress (first one set wins, in this order):
   `maintenance` (503, `Retry-After: 600`, WordPress's maintenance text; JSON when the client asks for JSON, as
   `wp_die` does), `waf-cloudflare` (403 "Just a moment..." challenge, `cf-mitigated: challenge`), `waf-siteground`
   (202 meta-refresh to `/.well-known/sgcaptcha/`, `SG-Captcha: challenge`), `not-wordpress` (a plain web site:
   `/` without the `api.w.org` Link header, every other path a 404 HTML page).
3. random faults, one draw per request from an RNG seeded with `config.seed`: 429 with `Retry-After`, a JSON 500
   (WordPress's "critical error"), a proxy's 502 HTML page, a timeout (hang `timeout_s`, then drop the connection),
   a connection reset (close without an answer).
4. `cache` mode: a page cache (Varnish-like) in front of WordPress. GET answers with status 200 are stored under
   their path and query *without* the credentials (`consumer_key`, `consumer_secret`, `oauth_*`), and replayed
   with `X-Cache: HIT` and `Age` to any later request, whatever its key, or with none: the data leak and the
   staleness a real cache in front of `/wp-json/` causes. Writes go through and purge nothing.
5. `php-notices` mode: a PHP warning printed before the JSON of every REST answer, status and content type kept.

Dropping a connection: on a real socket (uvicorn) the transport is reached through the bound `receive` method of
uvicorn's request cycle, the socket gets `SO_LINGER 0` and is aborted, so the client sees a reset, not a 500.
In-process (httpx's ASGITransport) there is no socket: the middleware raises `httpx.RemoteProtocolError` (reset)
or `httpx.ReadTimeout` (timeout, after sleeping `timeout_s`), the errors a client would get from a real server.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import secrets
import socket
import struct
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fakestore.error_pages import (
    CLOUDFLARE_CHALLENGE,
    CRITICAL_ERROR_HTML,
    NGINX_404,
    PLAIN_HOME,
    nginx_page,
    wp_die_html,
)
from fakestore.rest.http import php_json

__all__ = ["FaultState", "state", "wp_die_html", "wrap"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ADMIN_PREFIX = "/__fakestore"
MAINTENANCE_TEXT = "Briefly unavailable for scheduled maintenance. Check back in a minute."
CREDENTIAL_PARAMS = ("consumer_key", "consumer_secret")

PHP_NOTICE = (
    '<br />\n<b>Warning</b>:  Undefined array key "shipping_phone" in '
    "<b>/var/www/html/wp-content/plugins/wc-order-export-helper/includes/class-rest-hooks.php</b> "
    "on line <b>42</b><br />\n"
)


@dataclass
class CachedAnswer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    stored_at: float
    hits: int = 0


@dataclass
class FaultState:
    """Per-store state of the middleware: its RNG, the page cache and counters (shown by the admin endpoint)."""

    seed: int
    rng: random.Random = field(init=False)
    cache: dict[str, CachedAnswer] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def reseed(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)

    def count(self, what: str) -> None:
        self.stats[what] = self.stats.get(what, 0) + 1


def state(store: Any) -> FaultState:
    """The middleware state kept on the store object, so the admin endpoint can read and reset it."""
    existing = getattr(store, "_fault_state", None)
    if existing is None:
        existing = FaultState(seed=store.config.seed)
        store._fault_state = existing
    return existing


def wrap(app: ASGIApp, store: Any) -> ASGIApp:
    fault_state = state(store)

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith(ADMIN_PREFIX):
            await app(scope, receive, send)
            return
        config = store.config
        faults = config.faults
        fault_state.count("requests")

        delay_ms = faults.latency_ms + (fault_state.rng.uniform(0, faults.jitter_ms) if faults.jitter_ms > 0 else 0)
        if delay_ms > 0:
            await asyncio.sleep(delay_ms / 1000)

        page = _site_mode_answer(config, scope)
        if page is not None:
            fault_state.count(page.kind)
            await page.send(send)
            return

        kind = _draw_fault(fault_state.rng, faults)
        if kind is not None:
            fault_state.count(kind)
            if kind == "reset":
                await _drop_connection(receive, "Server disconnected without sending a response.")
                return
            if kind == "timeout":
                await asyncio.sleep(faults.timeout_s)
                await _drop_connection(receive, "timed out", timeout=True)
                return
            await _fault_answer(kind, faults, scope).send(send)
            return

        cache_key = None
        if config.has("cache") and scope["method"] in ("GET", "HEAD") and _cacheable_path(scope):
            cache_key = _cache_key(scope)
            cached = fault_state.cache.get(cache_key)
            if cached is not None:
                cached.hits += 1
                fault_state.count("cache_hit")
                await _send_cached(send, cached)
                return
            fault_state.count("cache_miss")

        rewrite_json = config.has("php-notices") and _is_rest(scope)
        if cache_key is None and not rewrite_json:
            await app(scope, receive, send)
            return

        status, headers, body = await _buffered(app, scope, receive)
        if rewrite_json and _header(headers, b"content-type").startswith(b"application/json"):
            body = PHP_NOTICE.encode() + body
            fault_state.count("php_notice")
        if cache_key is not None and status == 200:
            fault_state.cache[cache_key] = CachedAnswer(status, headers, body, time.monotonic())
            headers = [*headers, (b"x-cache", b"MISS")]
        await _send_whole(send, status, headers, body)

    return middleware


# --- what the site answers instead of WordPress ------------------------------------------------------------------


@dataclass
class Page:
    kind: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    async def send(self, send: Send) -> None:
        raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in self.headers]
        await _send_whole(send, self.status, raw, self.body)


def _site_mode_answer(config: Any, scope: Scope) -> Page | None:
    if config.has("maintenance"):
        return _maintenance(scope)
    if config.has("waf-cloudflare"):
        return _cloudflare_challenge(scope)
    if config.has("waf-siteground"):
        return _siteground_captcha(scope)
    if config.has("not-wordpress"):
        return _plain_site(scope)
    return None


def _maintenance(scope: Scope) -> Page:
    """wp_maintenance(): `Retry-After: 600` then wp_die(..., 503), JSON for clients that ask for JSON."""
    headers = {k.lower(): v for k, v in _headers(scope)}
    wants_json = "application/json" in headers.get(b"accept", b"").decode("latin-1") or "json" in headers.get(
        b"content-type", b""
    ).decode("latin-1")
    if wants_json:
        body = php_json(
            {"code": "wp_die", "message": MAINTENANCE_TEXT, "data": {"status": 503}, "additional_errors": []}
        )
        ctype = "application/json; charset=UTF-8"
    else:
        body = wp_die_html(MAINTENANCE_TEXT, "Maintenance").encode()
        ctype = "text/html; charset=utf-8"
    return Page("maintenance", 503, [("Server", "nginx"), ("Retry-After", "600"), ("Content-Type", ctype)], body)


def _cloudflare_challenge(scope: Scope) -> Page:
    ray = secrets.token_hex(8) + "-IAD"
    body = CLOUDFLARE_CHALLENGE.replace("{ray}", ray).encode()
    return Page(
        "waf_cloudflare",
        403,
        [
            ("Content-Type", "text/html; charset=UTF-8"),
            ("Server", "cloudflare"),
            ("cf-mitigated", "challenge"),
            ("cf-ray", ray),
            ("Cache-Control", "private, max-age=0, no-store, no-cache, must-revalidate, post-check=0, pre-check=0"),
            ("Expires", "Thu, 01 Jan 1970 00:00:01 GMT"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Referrer-Policy", "same-origin"),
            ("X-Frame-Options", "SAMEORIGIN"),
        ],
        body,
    )


def _siteground_captcha(scope: Scope) -> Page:
    target = scope.get("path", "/")
    if scope.get("query_string"):
        target += "?" + scope["query_string"].decode("latin-1")
    client = (scope.get("client") or ("127.0.0.1", 0))[0]
    refresh = "/.well-known/sgcaptcha/?" + urlencode({"r": target, "y": f"ipc:{client}:{time.time():.3f}"})
    body = (
        '<html><head><link rel="icon" href="data:;"><meta http-equiv="refresh" '
        f'content="0;{refresh}"></meta></head></html>'
    ).encode()
    return Page(
        "waf_siteground",
        202,
        [
            ("Server", "nginx"),
            ("Content-Type", "text/html"),
            ("SG-Captcha", "challenge"),
            ("Cache-Control", "no-cache, no-store, must-revalidate"),
            ("X-Proxy-Cache-Info", "DT:1"),
        ],
        body,
    )


def _plain_site(scope: Scope) -> Page:
    if scope.get("path", "/") in ("/", "/index.html"):
        return Page("not_wordpress", 200, [("Server", "nginx"), ("Content-Type", "text/html")], PLAIN_HOME)
    return Page("not_wordpress", 404, [("Server", "nginx"), ("Content-Type", "text/html")], NGINX_404)


def _draw_fault(rng: random.Random, faults: Any) -> str | None:
    """One draw per request: the rates are cumulative slices of [0, 1)."""
    slices = (
        ("rate_limited", faults.rate_limit_rate),
        ("error_500", faults.error_5xx_rate),
        ("html_502", faults.html_502_rate),
        ("timeout", faults.timeout_rate),
        ("reset", faults.reset_rate),
    )
    if not any(rate > 0 for _, rate in slices):
        return None
    draw = rng.random()
    edge = 0.0
    for kind, rate in slices:
        edge += max(rate, 0.0)
        if draw < edge:
            return kind
    return None


def _fault_answer(kind: str, faults: Any, scope: Scope) -> Page:
    if kind == "rate_limited":
        return Page(
            kind,
            429,
            [("Server", "nginx"), ("Content-Type", "text/html"), ("Retry-After", str(faults.retry_after_s))],
            nginx_page("429 Too Many Requests"),
        )
    if kind == "html_502":
        return Page(kind, 502, [("Server", "nginx"), ("Content-Type", "text/html")], nginx_page("502 Bad Gateway"))
    # A PHP fatal error: WordPress's fatal error handler answers REST requests with JSON, pages with HTML.
    if _is_rest(scope):
        body = php_json(
            {
                "code": "internal_server_error",
                "message": CRITICAL_ERROR_HTML,
                "data": {"status": 500},
                "additional_errors": [],
            }
        )
        return Page(kind, 500, [("Server", "nginx"), ("Content-Type", "application/json; charset=UTF-8")], body)
    return Page(
        kind,
        500,
        [("Server", "nginx"), ("Content-Type", "text/html; charset=UTF-8")],
        wp_die_html(CRITICAL_ERROR_HTML, "WordPress &rsaquo; Error").encode(),
    )


async def _drop_connection(receive: Receive, message: str, timeout: bool = False) -> None:
    """Close the client's connection without an answer: an RST on a real socket, an httpx error in-process."""
    cycle = getattr(receive, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        import httpx  # only in-process: the client is httpx over ASGITransport

        if timeout:
            raise httpx.ReadTimeout(message)
        raise httpx.RemoteProtocolError(message)
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    cycle.disconnected = True  # uvicorn must not send its own 500 afterwards
    transport.abort()
    await asyncio.sleep(0)


# --- response plumbing ------------------------------------------------------------------------------------------


async def _buffered(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    status = 500
    headers: list[tuple[bytes, bytes]] = []
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, capture)
    return status, headers, b"".join(chunks)


async def _send_whole(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _send_cached(send: Send, cached: CachedAnswer) -> None:
    age = int(time.monotonic() - cached.stored_at)
    extra = [
        (b"x-cache", b"HIT"),
        (b"x-cache-hits", str(cached.hits).encode()),
        (b"age", str(age).encode()),
        (b"via", b"1.1 varnish (Varnish/7.1)"),
    ]
    await _send_whole(send, cached.status, [*cached.headers, *extra], cached.body)


def _headers(scope: Scope) -> list[tuple[bytes, bytes]]:
    return list(scope.get("headers", []))


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes:
    return next((v for k, v in headers if k.lower() == name), b"")


def _is_rest(scope: Scope) -> bool:
    if scope.get("path", "").startswith("/wp-json"):
        return True
    return b"rest_route=" in scope.get("query_string", b"")


def _cacheable_path(scope: Scope) -> bool:
    """Page caches skip the login and wc-auth screens (they set cookies); everything else is fair game."""
    path = scope.get("path", "")
    return not (path.startswith("/wc-auth/") or path.startswith("/wp-login.php") or path.startswith("/wp-admin"))


def _cache_key(scope: Scope) -> str:
    query = scope.get("query_string", b"").decode("latin-1")
    kept = [
        (k, v)
        for k, v in parse_qsl(query, keep_blank_values=True)
        if k not in CREDENTIAL_PARAMS and not k.startswith("oauth_")
    ]
    return scope.get("path", "") + "?" + urlencode(sorted(kept))

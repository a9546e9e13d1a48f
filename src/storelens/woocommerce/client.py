"""`StoreClient`: the one way Storelens talks to a WooCommerce store.

Everything that makes real stores hard lives here once, so the sync, the connect flow and the doctor never build a
store URL or read a raw answer themselves: the auth ladder (Basic → query keys → OAuth signed against the home URL,
either scheme), plain-permalink addressing, an honest User-Agent, timeouts, bounded retries with backoff, adaptive page
sizes, JSON tolerant of PHP noise, HTML answers turned into typed errors, the private-address guard, and a cap on
concurrent requests per store.
"""

from __future__ import annotations

import asyncio
import logging
import re
import socket
import ssl
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from storelens import __version__

from . import oauth
from .auth import (
    AuthAttempt,
    AuthMethod,
    Credentials,
    Outcome,
    classify_refusal,
    error_body,
    ladder_exhausted_error,
    ladder_for,
)
from .body import classify_non_json, is_maintenance, maintenance_error, parse_json_lenient
from .errors import (
    DataError,
    Misconfigured,
    NeedsReauth,
    NotFound,
    Retriable,
    StoreError,
    StoreWarning,
    auth_header_stripped_warning,
    caching_warning,
    php_notices_warning,
    proxy_no_ssl_warning,
)
from .guard import GuardedTransport
from .paging import Page, PageSizer
from .retry import RetryPolicy, Sleep, parse_retry_after, real_sleep
from .urls import RestRoot, build_query, format_param

USER_AGENT = f"Storelens/{__version__} (+https://github.com/storelens/storelens)"
# WooCommerce authenticates only when the raw request URI contains `wp-json/wc/` (or `wp-json/wc-`); with plain
# permalinks the route is in `?rest_route=`, so this literal, unencoded marker is added (FINDINGS §2).
PLAIN_MARKER = ("_wcauth", "/wp-json/wc/")
_RAW_KEYS = frozenset({"rest_route", PLAIN_MARKER[0]})
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8"
_SHRINK_STATUSES = frozenset({500, 502, 504})
_SECRET_IN_URL = re.compile(r"(consumer_secret|oauth_signature)=[^&\s\"']*")


class _RedactSecrets(logging.Filter):
    """httpx logs every request URL at INFO; query-string keys must not end up in anyone's logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(
                _SECRET_IN_URL.sub(r"\1=[redacted]", str(a)) if "=" in str(a) else a for a in record.args
            )
        elif isinstance(record.msg, str) and "=" in record.msg:
            record.msg = _SECRET_IN_URL.sub(r"\1=[redacted]", record.msg)
        return True


logging.getLogger("httpx").addFilter(_RedactSecrets())


@dataclass
class ClientConfig:
    """Settings a caller (Django settings, CLI flags, a benchmark) passes in; nothing here reads the environment."""

    concurrency: int = 4
    connect_timeout: float = 10.0
    read_timeout: float = 90.0
    user_agent: str = USER_AGENT
    allow_private: bool = False
    verify: bool | str | ssl.SSLContext = True  # True, False, a CA bundle path, or an SSLContext
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    page_grow_after: int = 10


@dataclass
class StoreResponse:
    status: int
    data: Any
    headers: httpx.Headers
    url: str
    elapsed: float  # seconds, for the doctor's `slow` check

    @property
    def total(self) -> int | None:
        return _int_header(self.headers, "x-wp-total")

    @property
    def total_pages(self) -> int | None:
        return _int_header(self.headers, "x-wp-totalpages")


@dataclass
class ClientStats:
    requests: int = 0
    retries: int = 0
    shrinks: int = 0


def _int_header(headers: httpx.Headers, name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _is_wc_route(route: str) -> bool:
    r = route.strip("/")
    return r.startswith("wc/") or r.startswith("wc-")


def _walk_causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in seen:
        seen.append(cur)
        cur = cur.__cause__ or cur.__context__
    return seen


def transport_error(exc: Exception, url: str) -> StoreError:
    """A typed error for a request that got no HTTP answer."""
    host = urlsplit(url).hostname or url
    if isinstance(exc, StoreError):
        return exc
    chain = _walk_causes(exc)
    if any(isinstance(c, ssl.SSLError) for c in chain) or any(
        "CERTIFICATE_VERIFY_FAILED" in str(c) or "SSL" in str(c) for c in chain
    ):
        detail = next((str(c) for c in chain if isinstance(c, ssl.SSLError)), str(exc))
        low = detail.lower()
        if "expired" in low:
            why = "its certificate has expired"
        elif "self-signed" in low or "self signed" in low:
            why = "its certificate is self-signed"
        elif "hostname" in low or "ip address mismatch" in low or "doesn't match" in low:
            why = f"its certificate is for a different name than {host}"
        elif "unable to get local issuer" in low or "unknown ca" in low:
            why = "its certificate is not signed by an authority Storelens trusts"
        else:
            why = "the secure (HTTPS) connection could not be set up"
        return Misconfigured(
            f"Storelens could not connect securely to {host}: {why}.",
            code="tls_error",
            fix=(
                "Renew or fix the store's HTTPS certificate (most hosts offer free Let's Encrypt certificates), "
                "making sure it covers this exact address."
            ),
            url=url,
        )
    if isinstance(exc, httpx.ConnectTimeout):
        return Retriable(
            f"{host} did not answer: the connection timed out.",
            code="unreachable",
            fix="Check that the store is online and that its firewall lets Storelens connect.",
            url=url,
        )
    if isinstance(exc, httpx.TimeoutException):
        return Retriable(
            f"{host} took too long to answer.",
            code="timeout",
            fix="Storelens retries with smaller pages. If it persists, your hosting plan may be too slow for the API.",
            url=url,
        )
    if isinstance(exc, httpx.ConnectError):
        text = " ".join(str(c) for c in chain).lower()
        if any(isinstance(c, socket.gaierror) for c in chain) or "resolve" in text or "name or service" in text:
            why = f"the name {host} could not be found (DNS)"
            fix = "Check the spelling of the store's address, and that its domain has not expired."
        elif any(isinstance(c, ConnectionRefusedError) for c in chain) or "refused" in text:
            why = "the connection was refused"
            fix = "Check that the store is online and serves this address and port."
        else:
            why = "no connection could be made"
            fix = "Check that the store is online and that its firewall lets Storelens connect."
        return Retriable(f"Storelens could not reach {host}: {why}.", code="unreachable", fix=fix, url=url)
    return Retriable(
        f"The connection to {host} was cut before it answered.",
        code="connection_reset",
        fix="Storelens retries by itself. If it persists, your host may be dropping connections under load.",
        url=url,
    )


class StoreClient:
    """One store, one httpx client, one concurrency cap.

    `home_url` is the WordPress home from discovery (OAuth signatures are built from it). `rest_root` says where the
    API lives (default `<home>/wp-json/`). `auth_method` is the method that last worked (persisted by the caller);
    None runs the ladder on the first authenticated call. `transport` is for tests (ASGITransport/MockTransport);
    without it a real transport that refuses private addresses (unless `config.allow_private`) is used.
    `sleep` is awaited for every backoff (tests pass a fake that records delays).
    """

    def __init__(
        self,
        home_url: str,
        *,
        rest_root: RestRoot | None = None,
        credentials: Credentials | None = None,
        auth_method: AuthMethod | str | None = None,
        config: ClientConfig | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self.home_url = home_url.rstrip("/")
        self.rest_root = rest_root or RestRoot.pretty_for(self.home_url)
        self.credentials = credentials
        self.auth_method: AuthMethod | None = AuthMethod(auth_method) if auth_method else None
        self.config = config or ClientConfig()
        self.auth_attempts: list[AuthAttempt] = []
        self.warnings: dict[str, StoreWarning] = {}
        self.stats = ClientStats()
        self._sleep = sleep or real_sleep
        self._semaphore = asyncio.Semaphore(self.config.concurrency)
        self._auth_lock = asyncio.Lock()
        self._sizers: dict[str, PageSizer] = {}
        timeout = httpx.Timeout(
            connect=self.config.connect_timeout,
            read=self.config.read_timeout,
            write=self.config.read_timeout,
            pool=None,
        )
        if transport is None:
            transport = GuardedTransport(
                allow_private=self.config.allow_private,
                verify=self.config.verify,
                limits=httpx.Limits(
                    max_connections=self.config.concurrency + 2,
                    max_keepalive_connections=self.config.concurrency + 2,
                ),
            )
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": self.config.user_agent, "Accept": "application/json, */*;q=0.1"},
        )

    async def __aenter__(self) -> StoreClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def scheme(self) -> str:
        return urlsplit(self.rest_root.url).scheme

    @property
    def auth_findings(self) -> set[str]:
        """Doctor codes the last ladder run proved: `auth_header_stripped`, `proxy_no_ssl`."""
        return {w for w in self.warnings if w in ("auth_header_stripped", "proxy_no_ssl")}

    # ------------------------------------------------------------------ public calls

    async def request(
        self,
        method: str,
        route: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        authenticate: bool = True,
    ) -> StoreResponse:
        """Call a REST route (`/wc/v3/orders`), with retries. Raises a `StoreError` subclass on failure."""
        fixed = dict(params or {})
        return await self._execute(method.upper(), route, lambda: fixed, json, authenticate)

    async def get(self, route: str, params: Mapping[str, Any] | None = None, **kw: Any) -> StoreResponse:
        return await self.request("GET", route, params=params, **kw)

    async def post(self, route: str, json: Any = None, params: Mapping[str, Any] | None = None) -> StoreResponse:
        return await self.request("POST", route, params=params, json=json)

    async def put(self, route: str, json: Any = None, params: Mapping[str, Any] | None = None) -> StoreResponse:
        return await self.request("PUT", route, params=params, json=json)

    async def delete(self, route: str, params: Mapping[str, Any] | None = None) -> StoreResponse:
        return await self.request("DELETE", route, params=params)

    async def get_page(
        self, route: str, params: Mapping[str, Any] | None = None, *, page: int = 1, per_page: int = 100
    ) -> Page:
        """One page at a fixed size (no adaptation): for windows known to fit and for id look-ups."""
        fixed = {**(params or {}), "page": page, "per_page": per_page}
        resp = await self._execute("GET", route, lambda: fixed, None, True)
        return self._page(resp, page=page, per_page=per_page, offset=(page - 1) * per_page)

    async def iter_pages(
        self, route: str, params: Mapping[str, Any] | None = None, *, max_per_page: int = 100
    ) -> AsyncIterator[Page]:
        """Every page of a listing, with the page size adapting to what the store can serve.

        Ends on an empty page or when X-WP-TotalPages says so (never because a page was short). Pages are only
        yielded when they hold items.
        """
        base = dict(params or {})
        sizer = self._sizers.setdefault(route, PageSizer(grow_after=self.config.page_grow_after))
        offset = 0
        while True:
            current: dict[str, int] = {}

            def build(offset: int = offset, current: dict[str, int] = current) -> dict[str, Any]:
                size = sizer.size_at(offset, cap=max_per_page)
                current["size"] = size
                return {**base, "page": offset // size + 1, "per_page": size}

            def on_failure(err: Retriable) -> None:
                overloaded = err.code == "timeout" or (err.code == "server_error" and err.status in _SHRINK_STATUSES)
                if overloaded and sizer.shrink():
                    self.stats.shrinks += 1

            resp = await self._execute("GET", route, build, None, True, on_failure)
            sizer.success()
            size = current["size"]
            page = self._page(resp, page=offset // size + 1, per_page=size, offset=offset)
            if page.items:
                yield page
            if page.is_last():
                return
            offset += size

    async def fetch_all(
        self, route: str, params: Mapping[str, Any] | None = None, *, max_per_page: int = 100
    ) -> list[Any]:
        items: list[Any] = []
        async for page in self.iter_pages(route, params, max_per_page=max_per_page):
            items.extend(page.items)
        return items

    async def fetch_url(self, url: str, *, method: str = "GET") -> httpx.Response:
        """A raw, unauthenticated request to any URL of the store (discovery: home page, redirects). No retries.

        Asks for HTML like a browser: the home page then carries its `<link rel="https://api.w.org/">` tag and
        WordPress errors come as the pages their owners see.
        """
        async with self._semaphore:
            self.stats.requests += 1
            try:
                return await self._http.request(method, url, headers={"Accept": BROWSER_ACCEPT})
            except httpx.HTTPError as exc:
                raise transport_error(exc, url) from exc

    async def check_keys(self) -> StoreResponse:
        """Run the auth ladder now with a cheap read (one order id, all statuses); raises when the keys don't work.

        The answer's `total` is the number of orders (trash excluded). `auth_method` is set afterwards.
        """
        if self.credentials is None:
            raise NeedsReauth("Storelens has no keys for this store.", code="keys_invalid")
        return await self.get("/wc/v3/orders", {"per_page": 1, "_fields": "id", "status": "any"})

    # ------------------------------------------------------------------ core

    def _page(self, resp: StoreResponse, *, page: int, per_page: int, offset: int) -> Page:
        if not isinstance(resp.data, list):
            raise DataError(
                "Your store answered a list request with something that is not a list.",
                code="bad_data",
                status=resp.status,
                url=resp.url,
            )
        return Page(
            items=resp.data,
            page=page,
            per_page=per_page,
            offset=offset,
            total=resp.total,
            total_pages=resp.total_pages,
        )

    async def _execute(
        self,
        method: str,
        route: str,
        params_fn: Callable[[], Mapping[str, Any]],
        json: Any,
        authenticate: bool,
        on_failure: Callable[[Retriable], None] | None = None,
    ) -> StoreResponse:
        policy = self.config.retry
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._attempt(method, route, params_fn(), json, authenticate)
            except Retriable as err:
                if on_failure is not None:
                    on_failure(err)
                delay = policy.delay_for(attempt, err.retry_after)
                if delay is None:
                    raise
                self.stats.retries += 1
                await self._sleep(delay)

    def _url_and_params(self, route: str, params: Mapping[str, Any]) -> tuple[str, list[tuple[str, str]]]:
        base, route_params = self.rest_root.route_url(route)
        items = list(route_params)
        if self.rest_root.plain and _is_wc_route(route):
            items.append(PLAIN_MARKER)
        items.extend((k, format_param(v)) for k, v in params.items() if v is not None)
        return base, items

    async def _attempt(
        self, method: str, route: str, params: Mapping[str, Any], json: Any, authenticate: bool
    ) -> StoreResponse:
        base, items = self._url_and_params(route, params)
        if not authenticate or self.credentials is None:
            resp, url, elapsed = await self._send(method, base, items, json, None)
            return self._finish(resp, url, elapsed, authenticated=False)
        known = self.auth_method
        if known is not None and known not in ladder_for(urlsplit(base).scheme):
            known = None  # e.g. Basic remembered but the store is now reached over http: relearn
        if known is not None:
            resp, url, elapsed, outcome = await self._send_with(known, method, base, items, json)
            if outcome is not Outcome.ANONYMOUS and outcome is not Outcome.BAD_SIGNATURE:
                return self._finish(resp, url, elapsed)
        async with self._auth_lock:
            if self.auth_method is not None and self.auth_method != known:
                # another call re-learned the method while we waited
                resp, url, elapsed, _ = await self._send_with(self.auth_method, method, base, items, json)
                return self._finish(resp, url, elapsed)
            return await self._run_ladder(method, base, items, json, skip=known)

    async def _run_ladder(
        self, method: str, base: str, items: list[tuple[str, str]], json: Any, skip: AuthMethod | None
    ) -> StoreResponse:
        attempts: list[AuthAttempt] = []
        url = base
        for rung in ladder_for(urlsplit(base).scheme):
            if rung == skip:
                continue
            resp, url, elapsed, outcome = await self._send_with(rung, method, base, items, json)
            data = parse_json_lenient(resp.content) if resp.status_code in (401, 403) else None
            wc_code, message = error_body(data.data if data else None)
            attempts.append(AuthAttempt(rung, outcome, resp.status_code, wc_code, message))
            if outcome is Outcome.ACCEPTED:
                self.auth_attempts = attempts
                if 200 <= resp.status_code < 300 or _proves_auth(resp, url):
                    self._learned(rung, attempts)
                return self._finish(resp, url, elapsed)
        self.auth_attempts = attempts
        raise ladder_exhausted_error(attempts, url)

    def _learned(self, method: AuthMethod, attempts: list[AuthAttempt]) -> None:
        self.auth_method = method
        # Only a 401 "you are nobody" proves the header was dropped; a 403 from a plugin that claims the
        # Authorization header for itself (JWT auth plugins) is another story.
        failed = {a.method for a in attempts if a.outcome is Outcome.ANONYMOUS and a.status == 401}
        self.warnings.pop("auth_header_stripped", None)
        self.warnings.pop("proxy_no_ssl", None)
        if method is AuthMethod.QUERY and AuthMethod.BASIC in failed:
            self.warnings["auth_header_stripped"] = auth_header_stripped_warning()
        if method is AuthMethod.OAUTH_OTHER_SCHEME and self.scheme == "https":
            self.warnings["proxy_no_ssl"] = proxy_no_ssl_warning()

    async def _send_with(
        self, auth: AuthMethod, method: str, base: str, items: list[tuple[str, str]], json: Any
    ) -> tuple[httpx.Response, str, float, Outcome]:
        assert self.credentials is not None
        creds = self.credentials
        headers: dict[str, str] = {}
        scheme = urlsplit(base).scheme
        if auth in (AuthMethod.BASIC, AuthMethod.QUERY) and scheme != "https":
            raise Misconfigured(
                "Storelens will not send the store's keys over plain HTTP.",
                code="auth_ignored",
                fix="Use Check connection so Storelens signs its requests (OAuth) instead.",
                url=base,
            )
        if auth is AuthMethod.BASIC:
            headers["Authorization"] = creds.basic_header()
        elif auth is AuthMethod.QUERY:
            items = [*items, ("consumer_key", creds.key), ("consumer_secret", creds.secret)]
        else:
            sign_scheme = scheme if auth is AuthMethod.OAUTH else ("http" if scheme == "https" else "https")
            items = oauth.signed_params(
                method=method,
                home_url=self.home_url,
                request_path=urlsplit(base).path or "/",
                scheme=sign_scheme,
                params=items,
                consumer_key=creds.key,
                consumer_secret=creds.secret,
            )
        resp, url, elapsed = await self._send(method, base, items, json, headers)
        if resp.status_code in (401, 403):
            parsed = parse_json_lenient(resp.content)
            if parsed is None:
                return resp, url, elapsed, Outcome.ACCEPTED  # an HTML refusal: _finish classifies it
            outcome, _ = classify_refusal(resp.status_code, parsed.data, url)
            return resp, url, elapsed, outcome
        return resp, url, elapsed, Outcome.ACCEPTED

    async def _send(
        self,
        method: str,
        base: str,
        items: list[tuple[str, str]],
        json: Any,
        headers: dict[str, str] | None,
    ) -> tuple[httpx.Response, str, float]:
        url = base + ("?" + build_query(items, raw=_RAW_KEYS) if items else "")
        hdrs = {"Cache-Control": "no-cache", **(headers or {})}
        async with self._semaphore:
            self.stats.requests += 1
            started = time.monotonic()
            try:
                resp = await self._http.request(method, url, json=json, headers=hdrs)
            except httpx.HTTPError as exc:
                raise transport_error(exc, url) from exc
            return resp, url, time.monotonic() - started

    def _finish(self, resp: httpx.Response, url: str, elapsed: float, authenticated: bool = True) -> StoreResponse:
        """Turn a final answer into data or the typed error it means."""
        status = resp.status_code
        display_url = _redact(url)
        if 200 <= status < 300:
            parsed = parse_json_lenient(resp.content)
            if parsed is None:
                raise classify_non_json(status, resp.headers, resp.content, display_url)
            if parsed.noisy:
                self.warnings.setdefault("php_notices", php_notices_warning())
            if authenticated and served_from_cache(resp.headers):
                self.warnings.setdefault("caching", caching_warning())
            return StoreResponse(status, parsed.data, resp.headers, display_url, elapsed)
        if 300 <= status < 400:
            location = resp.headers.get("location", "")
            raise Misconfigured(
                f"Your store redirected Storelens's API request to {location or 'another address'}.",
                code="redirected",
                fix=(
                    "Use Check connection so Storelens learns the store's current address (this happens after a move "
                    "to HTTPS or www, or when Settings → Permalinks changed)."
                ),
                status=status,
                url=display_url,
            )
        parsed = parse_json_lenient(resp.content)
        retry_after = parse_retry_after(resp.headers.get("retry-after"))
        if status == 503 and is_maintenance(resp.content):
            err = maintenance_error(status, display_url)
            err.retry_after = retry_after
            raise err
        challenged = resp.headers.get("cf-mitigated", "").lower() == "challenge"
        if not challenged and (status in (429, 508) or (status == 503 and retry_after is not None and parsed)):
            raise Retriable(
                "Your store (or its host) asked Storelens to slow down.",
                code="rate_limited",
                fix="Storelens waits and retries by itself. If it keeps happening, lower the store's concurrency.",
                status=status,
                url=display_url,
                retry_after=retry_after,
            )
        if parsed is None:
            err = classify_non_json(status, resp.headers, resp.content, display_url)
            err.retry_after = retry_after
            raise err
        wc_code, message = error_body(parsed.data)
        if status in (401, 403):
            _, err = classify_refusal(status, parsed.data, display_url)
            if err is not None:
                raise err
            if self.credentials is None:
                raise NeedsReauth(
                    f"Your store requires keys for this request ({message or status}).",
                    code="keys_invalid",
                    fix="Connect the store (or paste its keys) first.",
                    status=status,
                    url=display_url,
                    wc_code=wc_code,
                )
            raise ladder_exhausted_error(self.auth_attempts, display_url)
        if status >= 500:
            raise Retriable(
                f"Your store's server failed (HTTP {status}{': ' + message if message else ''}).",
                code="server_error",
                fix="Storelens retries by itself. If it keeps happening, check your hosting's PHP error log.",
                status=status,
                url=display_url,
                wc_code=wc_code,
                retry_after=retry_after,
            )
        if status == 404:
            raise NotFound(
                message or "Not found.",
                code="no_route" if wc_code == "rest_no_route" else "not_found",
                status=status,
                url=display_url,
                wc_code=wc_code,
            )
        if status == 410:
            raise DataError(message or "Gone.", code="gone", status=status, url=display_url, wc_code=wc_code)
        if status == 400:
            details = parsed.data.get("data", {}).get("params") if isinstance(parsed.data, dict) else None
            text = message or "Bad request."
            if isinstance(details, dict) and details:
                text += " " + "; ".join(f"{k}: {v}" for k, v in details.items())
            raise DataError(text, code="bad_request", status=status, url=display_url, wc_code=wc_code)
        raise DataError(message or f"HTTP {status}", code="http_error", status=status, url=display_url, wc_code=wc_code)


def served_from_cache(headers: httpx.Headers) -> bool:
    """A page cache or CDN answered: authenticated API data must never come from one (stale, or someone else's)."""
    for name in ("x-cache", "cf-cache-status", "x-litespeed-cache", "x-proxy-cache", "x-sg-cache", "x-wp-super-cache"):
        if "hit" in headers.get(name, "").lower():
            return True
    age = headers.get("age", "").strip()
    return age.isdigit() and int(age) > 0


def _proves_auth(resp: httpx.Response, url: str) -> bool:
    """A refusal only possible after WooCommerce accepted the key (read-only key writing, user without rights)."""
    parsed = parse_json_lenient(resp.content)
    if parsed is None:
        return False
    _, err = classify_refusal(resp.status_code, parsed.data, url)
    return isinstance(err, NeedsReauth) and err.code in ("keys_read_only", "permission_denied")


def _redact(url: str) -> str:
    """The URL with secrets removed, for error messages and logs."""
    if "consumer_secret=" not in url and "oauth_signature=" not in url:
        return url
    base, _, query = url.partition("?")
    kept = [p for p in query.split("&") if not p.startswith(("consumer_secret=", "oauth_"))]
    return base + ("?" + "&".join(kept) if kept else "")

"""`StoreClient`: the one way Storelens talks to a WooCommerce store.

Everything that makes real stores hard lives here once, so the sync, the connect flow and the doctor never build a
store URL or read a raw answer themselves: the auth ladder (Basic → query keys → OAuth signed against the home URL,
either scheme), plain-permalink addressing, an honest User-Agent, timeouts, bounded retries with backoff, adaptive page
sizes, JSON tolerant of PHP noise, HTML answers turned into typed errors, the private-address guard, and a cap on
concurrent requests per store.

Reading a final answer lives in `answers`, errors without an answer in `transport_errors`, and keeping keys out
of logs and messages in `redaction`.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from storelens import __version__

from . import oauth
from . import redaction as _redaction  # noqa: F401  (importing it keeps keys out of httpx's request logs)
from .addresses import RestRoot, build_query, format_param
from .answers import StoreResponse, proves_auth, read_answer, served_from_cache
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
from .body import parse_json_lenient
from .errors import (
    DataError,
    Misconfigured,
    NeedsReauth,
    Retriable,
    StoreWarning,
    auth_header_stripped_warning,
    proxy_no_ssl_warning,
)
from .guard import GuardedTransport
from .paging import Page, PageSizer
from .retry import RetryPolicy, Sleep, real_sleep
from .transport_errors import transport_error

__all__ = [
    "USER_AGENT",
    "ClientConfig",
    "ClientStats",
    "StoreClient",
    "StoreResponse",
    "served_from_cache",
    "transport_error",
]

USER_AGENT = f"Storelens/{__version__} (+https://github.com/storelens/storelens)"
# WooCommerce authenticates only when the raw request URI contains `wp-json/wc/` (or `wp-json/wc-`); with plain
# permalinks the route is in `?rest_route=`, so this literal, unencoded marker is added (FINDINGS §2).
PLAIN_MARKER = ("_wcauth", "/wp-json/wc/")
_RAW_KEYS = frozenset({"rest_route", PLAIN_MARKER[0]})
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8"
_SHRINK_STATUSES = frozenset({500, 502, 504})


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
    headers: dict[str, str] = field(default_factory=dict)  # sent with every request (the sync names its pass)


@dataclass
class ClientStats:
    requests: int = 0
    retries: int = 0
    shrinks: int = 0


def _is_wc_route(route: str) -> bool:
    r = route.strip("/")
    return r.startswith("wc/") or r.startswith("wc-")


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
            headers={
                "User-Agent": self.config.user_agent,
                "Accept": "application/json, */*;q=0.1",
                **self.config.headers,
            },
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
            except (httpx.HTTPError, httpx.InvalidURL) as exc:  # InvalidURL is no HTTPError
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
                if 200 <= resp.status_code < 300 or proves_auth(resp, url):
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
            except (httpx.HTTPError, httpx.InvalidURL) as exc:  # InvalidURL is no HTTPError
                raise transport_error(exc, url) from exc
            return resp, url, time.monotonic() - started

    def _finish(self, resp: httpx.Response, url: str, elapsed: float, authenticated: bool = True) -> StoreResponse:
        """Turn a final answer into data or the typed error it means."""
        return read_answer(
            resp,
            url,
            elapsed,
            authenticated=authenticated,
            has_keys=self.credentials is not None,
            auth_attempts=self.auth_attempts,
            warnings=self.warnings,
        )

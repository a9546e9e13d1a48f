"""Requests the store makes itself (the wc-auth callback, webhook pings and deliveries), as `wp_safe_remote_post`.

WordPress refuses unsafe URLs before connecting (`wp_http_validate_url`: no private or loopback address unless it
is the store's own host, ports 80, 443, 8080 or the home URL's own port), verifies TLS against its own CA bundle
(`config.ca_file` here; without it, certifi's bundle), and reports transport failures as cURL does. The messages
returned here are the `WP_Error` messages the merchant reads after "Error: ", so they copy cURL's wording.

Tests that keep everything in-process can set `store.outbound_transport` to an httpx transport (for example
`httpx.ASGITransport(app=receiver)`); the URL rules still apply, TLS and cURL errors then do not.
"""

from __future__ import annotations

import asyncio
import errno
import functools
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from fakestore.wpurls import parse_url

WP_VERSION = "6.8.3"
WC_VERSION = "9.9.5"
SAFE_PORTS = (80, 443, 8080)
INVALID_URL = "A valid URL was not provided."


@dataclass
class Outcome:
    """Either an answer (status, headers, body) or the WP_Error message of a failed request."""

    url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None
    elapsed_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None


async def validate_url(url: str, home_url: str, safe_ports: tuple[int, ...] = SAFE_PORTS) -> bool:
    """wp_http_validate_url() as in WordPress 6.8 (`safe_ports` is its `http_allowed_safe_ports` filter)."""
    if not url or url.strip().isdigit():
        return False
    if not url.lower().startswith(("http://", "https://")):
        return False
    parts = parse_url(url)
    if not parts or not parts.get("host"):
        return False
    if "user" in parts or "pass" in parts:
        return False
    host = str(parts["host"])
    if any(ch in host for ch in ":#?[]"):
        return False
    home = parse_url(home_url) or {}
    same_host = str(home.get("host", "")).lower() == host.lower()
    host = host.strip(".")
    if not same_host:
        ip = await _resolve(host)
        if ip is None:
            return False
        first, second = (int(p) for p in ip.split(".")[:2])
        if first in (127, 10, 0) or (first == 172 and 16 <= second <= 31) or (first == 192 and second == 168):
            return False
    port = parts.get("port")
    if not port:
        return True
    if port in safe_ports:
        return True
    return bool(same_host and home.get("port") == port)


async def _resolve(host: str) -> str | None:
    """gethostbyname(): an IPv4 literal as is, otherwise the first A record (None when it does not resolve)."""
    try:
        return str(ipaddress.IPv4Address(host))
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(loop.getaddrinfo(host, None, family=socket.AF_INET), timeout=5)
    except (OSError, TimeoutError):
        return None
    return str(infos[0][4][0]) if infos else None


@functools.lru_cache(maxsize=8)
def _tls_context(ca_file: str | None) -> ssl.SSLContext:
    if ca_file:
        return ssl.create_default_context(cafile=ca_file)
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


async def safe_remote_post(
    store: Any,
    url: str,
    body: bytes,
    headers: dict[str, str],
    timeout: float = 60.0,
    max_redirects: int = 5,
) -> Outcome:
    """wp_safe_remote_post(): validate, connect (TLS verified), follow up to `max_redirects` redirects."""
    config = store.config
    if not await validate_url(url, config.home_url, tuple(config.http_allowed_safe_ports)):
        return Outcome(url, error=INVALID_URL)
    base_headers = {
        "Accept": "*/*",
        "Accept-Encoding": "deflate, gzip, br, zstd",
        "Connection": "close",
    }
    transport = getattr(store, "outbound_transport", None)
    client_args: dict[str, Any] = {
        "timeout": httpx.Timeout(timeout),
        "follow_redirects": max_redirects > 0,
        "max_redirects": max_redirects,
    }
    if transport is not None:
        client_args["transport"] = transport
    else:
        client_args["verify"] = _tls_context(config.ca_file)
    started = time.monotonic()
    try:
        async with httpx.AsyncClient(**client_args) as client:
            response = await client.post(url, content=body, headers={**base_headers, **headers})
    except httpx.HTTPError as exc:
        elapsed = int((time.monotonic() - started) * 1000)
        return Outcome(url, error=curl_message(exc, url, elapsed, timeout), elapsed_ms=elapsed)
    elapsed = int((time.monotonic() - started) * 1000)
    return Outcome(url, response.status_code, dict(response.headers), response.content, elapsed_ms=elapsed)


def curl_message(exc: httpx.HTTPError, url: str, elapsed_ms: int, timeout: float) -> str:
    """The cURL error WordPress would report for the same failure."""
    parts = parse_url(url) or {}
    host = str(parts.get("host", ""))
    port = int(parts.get("port") or (443 if str(parts.get("scheme", "")).lower() == "https" else 80))
    chain = _chain(exc)
    cause = next((e for e in chain if isinstance(e, ssl.SSLError | socket.gaierror)), chain[-1])
    if isinstance(exc, httpx.TooManyRedirects):
        return "cURL error 47: Maximum (5) redirects followed"
    if isinstance(cause, ssl.SSLCertVerificationError):
        reason = cause.verify_message or str(cause)
        if reason.startswith("Hostname mismatch"):
            return f"cURL error 60: SSL: no alternative certificate subject name matches target host name '{host}'"
        return f"cURL error 60: SSL certificate problem: {reason}"
    if isinstance(cause, ssl.SSLError):
        return f"cURL error 35: OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to {host}:{port} "
    if isinstance(exc, httpx.ConnectTimeout):
        return f"cURL error 28: Failed to connect to {host} port {port} after {elapsed_ms} ms: Timeout was reached"
    if isinstance(exc, httpx.TimeoutException):
        return f"cURL error 28: Operation timed out after {int(timeout * 1000) + 1} milliseconds with 0 bytes received"
    if isinstance(exc, httpx.ConnectError):
        if isinstance(cause, socket.gaierror):
            return f"cURL error 6: Could not resolve host: {host}"
        return (
            f"cURL error 7: Failed to connect to {host} port {port} after {elapsed_ms} ms: Couldn't connect to server"
        )
    if isinstance(exc, httpx.RemoteProtocolError):
        return "cURL error 52: Empty reply from server"
    if isinstance(cause, OSError) and cause.errno == errno.ECONNRESET:
        return "cURL error 56: Recv failure: Connection reset by peer"
    if isinstance(exc, httpx.ReadError):
        return "cURL error 56: Recv failure: Connection reset by peer"
    return f"cURL error 56: {exc}"


def _chain(exc: BaseException) -> list[BaseException]:
    chain = [exc]
    while len(chain) < 10:
        nxt = chain[-1].__cause__ or chain[-1].__context__
        if nxt is None or nxt in chain:
            break
        chain.append(nxt)
    return chain

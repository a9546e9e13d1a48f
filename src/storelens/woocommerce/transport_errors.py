"""Requests that got no HTTP answer at all (TLS, DNS, refused, timed out, cut), as typed errors with a fix."""

from __future__ import annotations

import socket
import ssl
from urllib.parse import urlsplit

import httpx

from .errors import (
    Misconfigured,
    Retriable,
    StoreError,
)


def _walk_causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in seen:
        seen.append(cur)
        cur = cur.__cause__ or cur.__context__
    return seen


def transport_error(exc: Exception, url: str) -> StoreError:
    """A typed error for a request that got no HTTP answer."""
    if isinstance(exc, httpx.InvalidURL):  # an address httpx cannot use (it is not an HTTPError: caught apart)
        return Misconfigured(
            f"{url[:200]} is not an address Storelens can request: {exc}.",
            code="invalid_url",
            fix="Enter your store's address as you open it in a browser, for example https://shop.example.com.",
            url=url,
        )
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

"""Reading a store's final HTTP answer: the data, or the typed error it means (and the warnings it proves)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from .auth import (
    AuthAttempt,
    classify_refusal,
    error_body,
    ladder_exhausted_error,
)
from .body import classify_non_json, is_maintenance, maintenance_error, parse_json_lenient
from .errors import (
    DataError,
    Misconfigured,
    NeedsReauth,
    NotFound,
    Retriable,
    StoreWarning,
    caching_warning,
    php_notices_warning,
)
from .redaction import redact
from .retry import parse_retry_after


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


def _int_header(headers: httpx.Headers, name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def read_answer(
    resp: httpx.Response,
    url: str,
    elapsed: float,
    *,
    authenticated: bool,
    has_keys: bool,
    auth_attempts: list[AuthAttempt],
    warnings: dict[str, StoreWarning],
) -> StoreResponse:
    """Turn a final answer into data or the typed error it means."""
    status = resp.status_code
    display_url = redact(url)
    if 200 <= status < 300:
        parsed = parse_json_lenient(resp.content)
        if parsed is None:
            raise classify_non_json(status, resp.headers, resp.content, display_url)
        if parsed.noisy:
            warnings.setdefault("php_notices", php_notices_warning())
        if authenticated and served_from_cache(resp.headers):
            warnings.setdefault("caching", caching_warning())
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
        if not has_keys:
            raise NeedsReauth(
                f"Your store requires keys for this request ({message or status}).",
                code="keys_invalid",
                fix="Connect the store (or paste its keys) first.",
                status=status,
                url=display_url,
                wc_code=wc_code,
            )
        raise ladder_exhausted_error(auth_attempts, display_url)
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


def proves_auth(resp: httpx.Response, url: str) -> bool:
    """A refusal only possible after WooCommerce accepted the key (read-only key writing, user without rights)."""
    parsed = parse_json_lenient(resp.content)
    if parsed is None:
        return False
    _, err = classify_refusal(resp.status_code, parsed.data, url)
    return isinstance(err, NeedsReauth) and err.code in ("keys_read_only", "permission_denied")

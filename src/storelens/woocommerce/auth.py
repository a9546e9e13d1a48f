"""The ways a WooCommerce key can be presented, and what a refusal means.

WooCommerce tries Basic/query keys only when `is_ssl()` is true, then falls back to OAuth 1.0a; a key it ignored
looks exactly like no key at all (401 `woocommerce_rest_cannot_view`). So "anonymous" answers move the ladder on to
the next method, while answers that prove WooCommerce read our key (wrong secret, unknown key, read-only key, user
without rights) stop it with the error the owner must act on.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .errors import DataError, Misconfigured, NeedsReauth, Retriable, StoreError


class AuthMethod(StrEnum):
    """Stable values: the caller persists the one that worked (`StoreClient.auth_method`)."""

    BASIC = "basic"  # Authorization: Basic ck:cs (HTTPS only)
    QUERY = "query"  # ?consumer_key=…&consumer_secret=… (HTTPS only; the Authorization header is being stripped)
    OAUTH = "oauth"  # OAuth 1.0a in the query string, signed with the scheme we connect with
    OAUTH_OTHER_SCHEME = "oauth-other-scheme"  # signed with the other scheme: HTTPS ends at a proxy (is_ssl() false)


def ladder_for(scheme: str) -> list[AuthMethod]:
    """Methods to try, in order. Over plain HTTP only OAuth: WooCommerce ignores clear keys (and they would leak)."""
    if scheme == "https":
        return [AuthMethod.BASIC, AuthMethod.QUERY, AuthMethod.OAUTH, AuthMethod.OAUTH_OTHER_SCHEME]
    return [AuthMethod.OAUTH, AuthMethod.OAUTH_OTHER_SCHEME]


@dataclass(frozen=True)
class Credentials:
    key: str
    secret: str = field(repr=False)

    def basic_header(self) -> str:
        token = base64.b64encode(f"{self.key}:{self.secret}".encode()).decode("ascii")
        return f"Basic {token}"


class Outcome(StrEnum):
    ACCEPTED = "accepted"  # WooCommerce read the key (success, or an error that proves it did)
    ANONYMOUS = "anonymous"  # treated as no key at all: the method didn't get through
    BAD_SIGNATURE = "bad_signature"  # OAuth signature didn't match (wrong scheme/home, or wrong secret)


@dataclass(frozen=True)
class AuthAttempt:
    """One rung of the ladder as it went: kept so the doctor can say `auth_header_stripped` or `proxy_no_ssl`."""

    method: AuthMethod
    outcome: Outcome
    status: int | None
    wc_code: str | None
    message: str | None


# 401 answers that mean "you are nobody": WooCommerce's own, WordPress core's, and REST-restricting plugins'.
REST_DISABLED_CODES = frozenset(
    {"rest_cannot_access", "rest_disabled", "rest_login_required", "rest_not_logged_in", "rest_api_disabled"}
)

KEYS_INVALID_FIX = (
    "Click Reconnect Store in Storelens and approve again on your store (or paste a new key under WooCommerce → "
    "Settings → Advanced → REST API)."
)


def error_body(data: Any) -> tuple[str | None, str | None]:
    if isinstance(data, dict):
        code = data.get("code")
        message = data.get("message")
        return (code if isinstance(code, str) else None, message if isinstance(message, str) else None)
    return None, None


def classify_refusal(status: int, data: Any, url: str) -> tuple[Outcome, StoreError | None]:
    """What a 401/403 JSON answer means for the ladder, and the error to raise if the ladder must stop here."""
    wc_code, message = error_body(data)
    msg = message or ""
    low = msg.lower()

    def stop(error: type[StoreError], text: str, *, code: str, fix: str = "") -> tuple[Outcome, StoreError]:
        """WooCommerce read the key and refused for this reason: the ladder stops here with the owner's fix."""
        return Outcome.ACCEPTED, error(text, code=code, fix=fix, status=status, url=url, wc_code=wc_code)

    if status == 403:
        if wc_code and wc_code.startswith("woocommerce_rest_"):
            return stop(
                NeedsReauth,
                "The WordPress user who approved Storelens no longer has the rights to read this store's data "
                f"(WooCommerce said: “{msg}”).",
                code="permission_denied",
                fix=(
                    "Reconnect Store while logged in as a shop manager or administrator, or give that user back its "
                    "role under Users in WordPress."
                ),
            )
        return Outcome.ANONYMOUS, None
    if status != 401:
        return Outcome.ACCEPTED, None
    if wc_code == "woocommerce_rest_authentication_error":
        if "consumer secret is invalid" in low:
            return stop(
                NeedsReauth,
                "Your store does not accept Storelens's key: the consumer secret does not match the key.",
                code="keys_invalid",
                fix=KEYS_INVALID_FIX,
            )
        if "consumer key is invalid" in low:
            return stop(
                NeedsReauth,
                "Your store does not know Storelens's key any more: it was revoked or deleted (WooCommerce calls "
                "this “Auth Failed”).",
                code="keys_invalid",
                fix=KEYS_INVALID_FIX,
            )
        if "does not have write permissions" in low:
            return stop(
                NeedsReauth,
                "Storelens's key on your store is read-only, so Storelens cannot register webhooks or make changes.",
                code="keys_read_only",
                fix=(
                    "Reconnect Store and approve Read/Write access to get live updates; read-only keys work with "
                    "polling only."
                ),
            )
        if "does not have read permissions" in low:
            return stop(
                NeedsReauth,
                "Storelens's key on your store is write-only, so it cannot read orders.",
                code="keys_invalid",
                fix=KEYS_INVALID_FIX,
            )
        if "invalid signature" in low:
            return Outcome.BAD_SIGNATURE, None
        if "invalid timestamp" in low:
            return stop(
                Misconfigured,
                "Your store refused Storelens's signed request because the two clocks disagree by more than 15 "
                "minutes.",
                code="clock_skew",
                fix="Make sure the clocks of the Storelens server and of your store's server are set correctly (NTP).",
            )
        if "invalid nonce" in low:
            return stop(
                Retriable,
                "Your store saw the same signed request twice.",
                code="server_error",
                fix="Storelens retries with a new signature by itself.",
            )
        if "cannot be used to access this endpoint" in low or "unknown request method" in low:
            return stop(DataError, msg, code="bad_request")
        return Outcome.BAD_SIGNATURE, None
    if wc_code == "woocommerce_rest_authentication_missing_parameter":
        return Outcome.BAD_SIGNATURE, None  # something between us and PHP dropped query parameters
    return Outcome.ANONYMOUS, None


def ladder_exhausted_error(attempts: list[AuthAttempt], url: str) -> StoreError:
    """The error when no method got through: which one depends on how the rungs failed."""
    if any(a.outcome is Outcome.BAD_SIGNATURE for a in attempts) and all(
        a.outcome is not Outcome.ANONYMOUS or a.method in (AuthMethod.BASIC, AuthMethod.QUERY) for a in attempts
    ):
        return NeedsReauth(
            "Your store rejected Storelens's signed requests: the consumer secret is wrong, or the store's address "
            "changed since it was connected.",
            code="keys_invalid",
            fix="Use Check connection to refresh the store's address; if that doesn't help, Reconnect Store.",
            status=401,
            url=url,
            wc_code="woocommerce_rest_authentication_error",
        )
    codes = {a.wc_code for a in attempts}
    if codes & REST_DISABLED_CODES:
        return Misconfigured(
            "A security plugin on your store turns off the REST API for apps, so WooCommerce never sees "
            "Storelens's key.",
            code="rest_disabled",
            fix=(
                "In your security plugin (for example Disable REST API, iThemes/Solid Security, WP Cerber), allow "
                "the REST API for /wp-json/wc/ routes."
            ),
            status=401,
            url=url,
            wc_code=next(iter(codes & REST_DISABLED_CODES)),
        )
    return Misconfigured(
        "Your store ignored Storelens's key in every form it was sent (header, address, signed), answering as if "
        "no key had been given.",
        code="auth_ignored",
        fix=(
            "Check that Settings → Permalinks is not set to Plain, and that no security or caching plugin handles "
            "/wp-json/wc/ requests; then use Check connection."
        ),
        status=401,
        url=url,
    )

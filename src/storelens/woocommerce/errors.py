"""What can go wrong when talking to a store, sorted by what the caller should do about it.

The sync maps the class onto a source status (retry later / needs re-authorization / blocked by firewall /
misconfigured / skip this object); the doctor and the source page show `code`, `message` and `fix`. Codes are stable
strings: other packages and the help pages key on them, so never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass


class StoreError(Exception):
    """Base of every failure the store seam raises.

    `message` says what happened in words a store owner understands; `fix` says the one thing to do next.
    `status` is the HTTP status when there was an answer, `wc_code` the `code` of WooCommerce's JSON error body.
    """

    retriable: bool = False
    default_code: str = "store_error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fix: str = "",
        status: int | None = None,
        url: str | None = None,
        vendor: str | None = None,
        wc_code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.fix = fix
        self.status = status
        self.url = url
        self.vendor = vendor
        self.wc_code = wc_code
        self.retry_after = retry_after

    def __str__(self) -> str:
        parts = [f"[{self.code}] {self.message}"]
        if self.status is not None:
            parts.append(f"(HTTP {self.status})")
        if self.fix:
            parts.append(f"Fix: {self.fix}")
        return " ".join(parts)

    def as_dict(self) -> dict[str, object]:
        """The shape the doctor's JSON and the source status store."""
        return {
            "code": self.code,
            "kind": type(self).__name__,
            "retriable": self.retriable,
            "message": self.message,
            "fix": self.fix,
            "status": self.status,
            "url": self.url,
            "vendor": self.vendor,
            "wc_code": self.wc_code,
        }


class Retriable(StoreError):
    """Temporary: try again later (the client already retried with backoff before raising this).

    Codes: `unreachable`, `timeout`, `connection_reset`, `rate_limited`, `server_error`, `maintenance`, `bad_response`.
    """

    retriable = True
    default_code = "server_error"


class NeedsReauth(StoreError):
    """The keys no longer do what we need: the owner must Reconnect Store (new keys).

    Codes: `keys_invalid` (revoked, unknown, wrong secret, write-only key), `keys_read_only` (a write was refused),
    `permission_denied` (the key's WordPress user lost its rights).
    """

    default_code = "keys_invalid"


class Blocked(StoreError):
    """A firewall, WAF or security plugin answered instead of WordPress. `vendor` names it when recognisable."""

    default_code = "waf_challenge"


class Misconfigured(StoreError):
    """The store (or the address given) needs a change before Storelens can work with it.

    Codes: `invalid_url`, `private_address`, `tls_error`, `not_wordpress`, `rest_disabled`, `not_woocommerce`,
    `plain_permalinks`, `redirected`, `not_found`, `auth_ignored`, `clock_skew`.
    """

    default_code = "misconfigured"


class DataError(StoreError):
    """This one request or object cannot be used (bad answer, rejected parameter): skip or fix the call, keep going.

    Codes: `bad_data` (not the JSON expected), `unexpected_html`, `bad_request` (400), `not_found`/`no_route` (404),
    `gone` (410), `http_error`.
    """

    default_code = "bad_data"


class NotFound(DataError):
    """The object or route does not exist (404). `code` is `not_found` for an object, `no_route` for a route."""

    default_code = "not_found"


@dataclass(frozen=True)
class StoreWarning:
    """Something the store does that works but deserves the owner's attention (e.g. PHP notices in API answers)."""

    code: str
    message: str
    fix: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "severity": "warning", "message": self.message, "fix": self.fix}


def php_notices_warning() -> StoreWarning:
    return StoreWarning(
        code="php_notices",
        message=(
            "Your store prints PHP warnings or stray characters in front of its API answers. Storelens can still "
            "read them, but other apps may fail and the warnings can reveal details about your server."
        ),
        fix=(
            "Turn off on-screen PHP errors: in wp-config.php set WP_DEBUG_DISPLAY to false (and display_errors off "
            "in PHP), then update or replace the plugin named in the warning."
        ),
    )


def plain_permalinks_warning() -> StoreWarning:
    return StoreWarning(
        code="plain_permalinks",
        message=(
            "Your store uses plain permalinks, so its API is only reachable at ?rest_route= addresses and "
            "WooCommerce's approval screen cannot send keys to Storelens."
        ),
        fix="In WordPress go to Settings → Permalinks, choose Post name and click Save Changes.",
    )


def auth_header_stripped_warning() -> StoreWarning:
    return StoreWarning(
        code="auth_header_stripped",
        message=(
            "Your web server removes the Authorization header before WordPress sees it, so Storelens has to send "
            "its keys in the address instead, where they can end up in server logs."
        ),
        fix=(
            "Ask your host to pass the Authorization header to PHP: on Apache add `CGIPassAuth On`, or in .htaccess "
            "`RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]`; on nginx add "
            "`fastcgi_param HTTP_AUTHORIZATION $http_authorization;` to the PHP location."
        ),
    )


def proxy_no_ssl_warning() -> StoreWarning:
    return StoreWarning(
        code="proxy_no_ssl",
        message=(
            "HTTPS ends at a proxy or CDN in front of your store, and WordPress believes it is served over plain "
            "HTTP. Storelens signs its requests (OAuth) to work around it, but other apps using keys will fail."
        ),
        fix=(
            "Make WordPress see HTTPS: have the proxy send X-Forwarded-Proto: https and add to wp-config.php "
            "`if ($_SERVER['HTTP_X_FORWARDED_PROTO'] === 'https') $_SERVER['HTTPS'] = 'on';` (or ask your host)."
        ),
    )


def caching_warning() -> StoreWarning:
    return StoreWarning(
        code="caching",
        message=(
            "A cache in front of your store answers API requests with stored copies, so Storelens may see old data "
            "(and a cached answer to one app can be served to another)."
        ),
        fix=(
            "Exclude /wp-json/ and /wc-auth/ from WP Rocket, LiteSpeed Cache, your host's or CDN's page cache, "
            "or pause caching while connecting."
        ),
    )


def legacy_woocommerce_warning() -> StoreWarning:
    return StoreWarning(
        code="legacy_woocommerce",
        message=(
            "Your WooCommerce is older than 5.8, so it cannot list only recently changed orders: every sync has to "
            "re-read more of your store and takes longer."
        ),
        fix="Update WooCommerce under Plugins (back up first).",
    )

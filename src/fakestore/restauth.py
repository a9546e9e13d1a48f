"""REST authentication exactly as `WC_REST_Authentication` does it (WooCommerce 9.9).

Key authentication only runs when the raw request URI contains `wp-json/wc/` or `wp-json/wc-`. Basic and
query-string keys are only looked at when `is_ssl()`; otherwise (or when they found nobody) OAuth 1.0a is tried
with the base URL rebuilt from the WordPress home URL and is_ssl(). Errors are WooCommerce's, word for word;
no 401 carries WWW-Authenticate because the last method tried is always OAuth.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from .accounts import ApiKey, WPUser
from .phpquery import PhpValue

if TYPE_CHECKING:
    from .store import FakeStore

OAUTH_PARAMS = ("oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_signature_method")
NONCE_WINDOW = 15 * 60


@dataclass
class AuthError:
    status: int
    code: str
    message: str


@dataclass
class AuthResult:
    user: WPUser | None = None
    key: ApiKey | None = None
    error: AuthError | None = None
    method: str | None = None  # basic, query, oauth1

    @property
    def logged_in(self) -> bool:
        return self.user is not None


def is_request_to_wc_api(raw_uri: str) -> bool:
    """WooCommerce's is_request_to_rest_api(): a plain substring test on REQUEST_URI."""
    return "wp-json/wc/" in raw_uri or "wp-json/wc-" in raw_uri


def rfc3986(value: str) -> str:
    """wc_rest_urlencode_rfc3986 = PHP rawurlencode (which leaves ~ alone)."""
    return quote(value, safe="~")


def _normalize(params: dict[str, PhpValue]) -> dict[str, PhpValue]:
    out: dict[str, PhpValue] = {}
    for k, v in params.items():
        out[rfc3986(k)] = _normalize(v) if isinstance(v, dict) else rfc3986(v)
    return out


def _join(params: dict[str, PhpValue], prefix: str = "") -> list[str]:
    out: list[str] = []
    for k, v in params.items():
        key = f"{prefix}%5B{k}%5D" if prefix else k
        if isinstance(v, dict):
            out.extend(_join(v, key))
        else:
            out.append(rfc3986(f"{key}={v}"))
    return out


def _php_strcmp_key(key: str) -> bytes:
    return key.encode("utf-8")


def signature_base_string(method: str, base_url: str, params: dict[str, PhpValue]) -> str:
    """METHOD & rawurlencode(base) & double-encoded sorted params (oauth_signature excluded by the caller)."""
    ordered = dict(sorted(params.items(), key=lambda kv: _php_strcmp_key(kv[0])))
    return method.upper() + "&" + rfc3986(base_url) + "&" + "%26".join(_join(_normalize(ordered)))


def sign(method: str, base_url: str, params: dict[str, PhpValue], consumer_secret: str, algorithm: str) -> str:
    digest = hashlib.sha1 if algorithm.upper() == "HMAC-SHA1" else hashlib.sha256
    base = signature_base_string(method, base_url, {k: v for k, v in params.items() if k != "oauth_signature"})
    mac = hmac.new((consumer_secret + "&").encode(), base.encode(), digest).digest()
    return base64.b64encode(mac).decode()


def oauth_base_url(home_url: str, request_path: str, ssl: bool) -> str:
    """get_home_url(null, path, is_ssl() ? 'https' : 'http') after stripping the home's own path prefix.

    A request to the home itself (`/?rest_route=…`) leaves an empty path, and home_url('') has no trailing slash.
    """
    home = urlsplit(home_url)
    home_path = home.path.rstrip("/")
    path = request_path
    if path.startswith(home_path + "/"):
        path = path[len(home_path) + 1 :]
    base = f"{'https' if ssl else 'http'}://{home.netloc}{home_path}"
    return base + "/" + path.lstrip("/") if path else base


def parse_oauth_header(header: str) -> dict[str, str]:
    header = header.strip()
    if not header.startswith("OAuth "):
        return {}
    out: dict[str, str] = {}
    for part in header[6:].split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            continue
        out[key.strip()] = unquote(value.strip().strip('"'))
    return out


def check_permissions(key: ApiKey, method: str) -> AuthError | None:
    m = method.upper()
    if m in ("HEAD", "GET"):
        if key.permissions not in ("read", "read_write"):
            return AuthError(
                401, "woocommerce_rest_authentication_error", "The API key provided does not have read permissions."
            )
        return None
    if m in ("POST", "PUT", "PATCH", "DELETE"):
        if key.permissions not in ("write", "read_write"):
            return AuthError(
                401, "woocommerce_rest_authentication_error", "The API key provided does not have write permissions."
            )
        return None
    if m == "OPTIONS":
        return None
    return AuthError(401, "woocommerce_rest_authentication_error", "Unknown request method.")


def authenticate(
    store: FakeStore,
    *,
    method: str,
    raw_uri: str,
    path: str,
    get: dict[str, PhpValue],
    post: dict[str, PhpValue],
    authorization: str | None,
    ssl: bool,
) -> AuthResult:
    """The user a request acts as, and the error WooCommerce would answer instead (if any)."""
    result = AuthResult()
    # The Storelens Connector adds its namespace to WooCommerce's authentication (woocommerce_rest_is_request_to_…).
    connector = store.config.has("storelens-connector") and "storelens/v1/" in unquote(raw_uri)
    if not is_request_to_wc_api(raw_uri) and not connector:
        return result
    accounts = store.accounts
    key: ApiKey | None = None

    if ssl:
        result.method = "basic"
        ck = cs = None
        if (
            isinstance(get.get("consumer_key"), str)
            and isinstance(get.get("consumer_secret"), str)
            and get["consumer_key"]
            and get["consumer_secret"]
        ):
            ck, cs = str(get["consumer_key"]), str(get["consumer_secret"])
            result.method = "query"
        elif authorization and authorization[:6].lower() == "basic ":
            try:
                decoded = base64.b64decode(authorization[6:].strip()).decode("utf-8", "replace")
            except (ValueError, UnicodeDecodeError):
                decoded = ""
            if ":" in decoded:
                ck, cs = decoded.split(":", 1)
        if ck and cs:
            found = accounts.find(ck)
            if found is not None:
                if hmac.compare_digest(found.consumer_secret, cs):
                    key = found
                else:
                    result.error = AuthError(
                        401, "woocommerce_rest_authentication_error", "Consumer secret is invalid."
                    )

    if key is None:
        params: dict[str, PhpValue] = {**get, **post}
        if authorization:
            header_params = parse_oauth_header(authorization)
            if header_params:
                params.update(header_params)
        missing = [p for p in OAUTH_PARAMS if not params.get(p)]
        if len(missing) < len(OAUTH_PARAMS):
            result.method = "oauth1"
            if missing:
                noun = "parameter" if len(missing) == 1 else "parameters"
                result.error = AuthError(
                    401,
                    "woocommerce_rest_authentication_missing_parameter",
                    f"Missing OAuth {noun} {', '.join(missing)}",
                )
            else:
                key, error = _oauth(store, method, path, params, ssl)
                if error is not None:
                    result.error = error

    if key is not None:
        user = accounts.user_of(key)
        result.key = key
        result.user = user
        accounts.touch(key)
        if result.error is None:
            result.error = check_permissions(key, method)
    return result


def _oauth(
    store: FakeStore, method: str, path: str, params: dict[str, PhpValue], ssl: bool
) -> tuple[ApiKey | None, AuthError | None]:
    key = store.accounts.find(str(params["oauth_consumer_key"]))
    if key is None:
        return None, AuthError(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.")
    algorithm = str(params["oauth_signature_method"])
    consumer_signature = unquote(str(params["oauth_signature"]).replace(" ", "+"))
    if algorithm not in ("HMAC-SHA1", "HMAC-SHA256"):
        return None, AuthError(
            401, "woocommerce_rest_authentication_error", "Invalid signature - signature method is invalid."
        )
    base_url = oauth_base_url(store.config.home_url, path, ssl)
    expected = sign(method, base_url, params, key.consumer_secret, algorithm)
    if not hmac.compare_digest(expected, consumer_signature):
        return None, AuthError(
            401, "woocommerce_rest_authentication_error", "Invalid signature - provided signature does not match."
        )
    try:
        timestamp = int(str(params["oauth_timestamp"]))
    except ValueError:
        timestamp = 0
    now = store.now()
    if timestamp < now - NONCE_WINDOW or timestamp > now + NONCE_WINDOW:
        return None, AuthError(401, "woocommerce_rest_authentication_error", "Invalid timestamp.")
    if not store.accounts.use_nonce(key, str(params["oauth_nonce"]), timestamp, now=now):
        return None, AuthError(
            401, "woocommerce_rest_authentication_error", "Invalid nonce - nonce has already been used."
        )
    return key, None

"""OAuth 1.0a one-legged signing, exactly as WooCommerce checks it (`WC_REST_Authentication::check_oauth_signature`).

Generic OAuth libraries disagree with WooCommerce on details that break the signature: the base URL is rebuilt from
the store's *home URL* and `is_ssl()` (not from the URL we called), pairs are encoded twice, and PHP's `rawurlencode`
escapes `/` where Python's `quote` does not by default. Verified against every captured OAuth request of a real store.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from .addresses import encode_component

ALGORITHMS = {"HMAC-SHA256": hashlib.sha256, "HMAC-SHA1": hashlib.sha1}


def signature_base_url(home_url: str, request_path: str, scheme: str) -> str:
    """`get_home_url(null, $path, is_ssl() ? 'https' : 'http')` for the path of the request we send.

    WooCommerce strips the home's own path prefix (`/shop/`) from the request path and re-appends the rest to the
    home URL, with the scheme it believes the request came in on. A request to the home itself (`/?rest_route=…`)
    signs the bare home URL, without a trailing slash.
    """
    home = urlsplit(home_url)
    home_path = home.path.rstrip("/")
    wp_base = home_path + "/"
    path = request_path
    if path.startswith(wp_base):
        path = path[len(wp_base) :]
    url = f"{scheme}://{home.netloc}{home_path}"
    if path:
        url += "/" + path.lstrip("/")
    return url


def _check_flat(params: Mapping[str, str]) -> None:
    for key in params:
        if "[" in key:
            raise ValueError(f"array parameter {key!r}: send a comma list instead (WooCommerce signs arrays oddly)")


def string_to_sign(method: str, base_url: str, params: Mapping[str, str]) -> str:
    """`METHOD&rawurlencode(base)&` + pairs sorted by raw key (strcmp), each `k=v` encoded once more, joined by %26."""
    _check_flat(params)
    pairs = []
    for key in sorted((k for k in params if k != "oauth_signature"), key=lambda k: k.encode("utf-8")):
        pairs.append(encode_component(f"{encode_component(key)}={encode_component(str(params[key]))}"))
    return f"{method.upper()}&{encode_component(base_url)}&{'%26'.join(pairs)}"


def sign(
    method: str, base_url: str, params: Mapping[str, str], consumer_secret: str, algorithm: str = "HMAC-SHA256"
) -> str:
    """Base64 HMAC of the string to sign with key `consumer_secret + "&"` (one-legged: no token secret)."""
    digest = ALGORITHMS[algorithm]
    text = string_to_sign(method, base_url, params)
    mac = hmac.new(f"{consumer_secret}&".encode(), text.encode("utf-8"), digest)
    return base64.b64encode(mac.digest()).decode("ascii")


def new_nonce() -> str:
    return secrets.token_hex(16)


def signed_params(
    *,
    method: str,
    home_url: str,
    request_path: str,
    scheme: str,
    params: Iterable[tuple[str, str]],
    consumer_key: str,
    consumer_secret: str,
    algorithm: str = "HMAC-SHA256",
    nonce: str | None = None,
    timestamp: int | None = None,
) -> list[tuple[str, str]]:
    """The query parameters to send: the request's own, the oauth_* ones, and `oauth_signature` last.

    Every query parameter is signed (WooCommerce signs all of `$_GET`); a JSON body is not. Each call makes a new
    nonce: WooCommerce refuses a nonce seen in the last 15 minutes, so a retried request must be signed again.
    """
    items = list(params)
    flat = dict(items)
    if len(flat) != len(items):
        raise ValueError("duplicate query parameters cannot be signed (PHP keeps only the last)")
    oauth = {
        "oauth_consumer_key": consumer_key,
        "oauth_nonce": nonce or new_nonce(),
        "oauth_signature_method": algorithm,
        "oauth_timestamp": str(int(time.time()) if timestamp is None else timestamp),
    }
    all_params = {**flat, **oauth}
    base = signature_base_url(home_url, request_path, scheme)
    signature = sign(method, base, all_params, consumer_secret, algorithm)
    return [*items, *oauth.items(), ("oauth_signature", signature)]

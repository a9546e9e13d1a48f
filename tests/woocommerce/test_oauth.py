"""The signer must reproduce, bit for bit, the signatures a real WooCommerce store accepted."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from storelens.woocommerce import oauth

from . import captures

# Captured OAuth requests that a real store accepted (200) or rejected for a reason other than the signature.
SIGNED_OK = [
    "authmodes/orders-oauth1-hmac-sha256-http.json",
    "authmodes/orders-oauth1-hmac-sha1-http.json",
    "authmodes/orders-oauth1-http-modified_after-offset.json",
    "authmodes/orders-oauth1-http-search-non-ascii.json",
    "authmodes/orders-oauth1-over-https.json",
    "authmodes/orders-key-from-http-authorization.json",
    "index/wc-v3-index-oauth1-http.json",
    "errors/oauth1-nonce-reused.json",  # signature fine, nonce replayed
    "errors/oauth1-timestamp-16min-old.json",  # signature fine, too old
]
# Rejected with "Invalid signature": our signer must NOT reproduce their signatures for the origin they were sent to.
SIGNED_WRONG = [
    "errors/oauth1-bad-signature.json",
    "errors/oauth1-signed-for-other-origin.json",
    "errors/oauth1-unsigned-extra-param.json",
]


def _split(name: str) -> tuple[str, str, str, dict[str, str], str]:
    capture = captures.load(name)
    request = capture["request"]
    parts = urlsplit(request["url"])
    params = dict(parse_qsl(parts.query, keep_blank_values=True))  # what PHP's $_GET holds
    signature = params.pop("oauth_signature")
    # The lab store's home URL was the origin each request was sent to (FINDINGS: webhook source, callback UA).
    home = f"{parts.scheme}://{parts.netloc}"
    return request["method"], home, parts.path, params, signature


@pytest.mark.parametrize("name", SIGNED_OK)
def test_recomputes_the_signature_of_every_accepted_captured_request(name: str) -> None:
    method, home, path, params, signature = _split(name)
    secret = captures.keys()[params["oauth_consumer_key"]]
    base = oauth.signature_base_url(home, path, urlsplit(home).scheme)
    assert oauth.sign(method, base, params, secret, params["oauth_signature_method"]) == signature


@pytest.mark.parametrize("name", SIGNED_WRONG)
def test_does_not_reproduce_signatures_the_store_rejected(name: str) -> None:
    method, home, path, params, signature = _split(name)
    secret = captures.keys()[params["oauth_consumer_key"]]
    base = oauth.signature_base_url(home, path, urlsplit(home).scheme)
    assert oauth.sign(method, base, params, secret, params["oauth_signature_method"]) != signature


def test_signed_for_other_origin_matches_the_https_base_it_was_signed_with() -> None:
    """The capture note says it was signed for https://127.0.0.1:8443 but sent to http://127.0.0.1:8080."""
    method, _home, path, params, signature = _split("errors/oauth1-signed-for-other-origin.json")
    secret = captures.keys()[params["oauth_consumer_key"]]
    base = oauth.signature_base_url("https://127.0.0.1:8443", path, "https")
    assert oauth.sign(method, base, params, secret) == signature


def test_signed_params_end_with_a_signature_a_server_would_accept() -> None:
    ck, cs = captures.key("read_write")
    items = oauth.signed_params(
        method="GET",
        home_url="http://127.0.0.1:8080",
        request_path="/wp-json/wc/v3/orders",
        scheme="http",
        params=[("per_page", "5")],
        consumer_key=ck,
        consumer_secret=cs,
        nonce="9b17bd9532d97c0b07bbef2a13f2caf0",
        timestamp=1795909765,
    )
    # Same request as the captured, accepted orders-oauth1-hmac-sha256-http.json.
    assert items[-1] == ("oauth_signature", "WxiDWK46/yIosLNTWoQrHiJ/D7RBniXf2CSa/Izd0tw=")
    assert [k for k, _ in items] == [
        "per_page",
        "oauth_consumer_key",
        "oauth_nonce",
        "oauth_signature_method",
        "oauth_timestamp",
        "oauth_signature",
    ]


def test_each_signing_uses_a_fresh_nonce() -> None:
    kwargs = dict(
        method="GET",
        home_url="http://h",
        request_path="/wp-json/wc/v3/orders",
        scheme="http",
        params=[],
        consumer_key="ck",
        consumer_secret="cs",
    )
    first = dict(oauth.signed_params(**kwargs))
    second = dict(oauth.signed_params(**kwargs))
    assert first["oauth_nonce"] != second["oauth_nonce"]


@pytest.mark.parametrize(
    ("home", "path", "scheme", "expected"),
    [
        ("https://example.com", "/wp-json/wc/v3/orders", "https", "https://example.com/wp-json/wc/v3/orders"),
        ("https://example.com", "/wp-json/wc/v3/orders", "http", "http://example.com/wp-json/wc/v3/orders"),
        ("https://example.com/shop", "/shop/wp-json/wc/v3", "https", "https://example.com/shop/wp-json/wc/v3"),
        ("http://127.0.0.1:8080", "/", "http", "http://127.0.0.1:8080"),  # ?rest_route= on the home itself
        ("https://example.com/shop", "/shop/", "https", "https://example.com/shop"),
        ("https://example.com", "/index.php", "https", "https://example.com/index.php"),
    ],
)
def test_base_url_is_rebuilt_from_the_home_url_like_get_home_url(
    home: str, path: str, scheme: str, expected: str
) -> None:
    assert oauth.signature_base_url(home, path, scheme) == expected


def test_slash_and_plus_in_values_are_encoded_like_rawurlencode() -> None:
    text = oauth.string_to_sign("GET", "http://h/x", {"a": "1/2+3 4~", "b": "é"})
    # each pair is encoded twice: '/' → %2F → %252F; '~' stays; space → %20 → %2520
    assert text == "GET&http%3A%2F%2Fh%2Fx&a%3D1%252F2%252B3%25204~%26b%3D%25C3%25A9"


def test_array_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="comma list"):
        oauth.string_to_sign("GET", "http://h", {"status[]": "any"})

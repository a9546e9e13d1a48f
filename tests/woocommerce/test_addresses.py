from __future__ import annotations

import pytest

from storelens.woocommerce.addresses import RestRoot, build_query, candidate_urls, normalize_store_url
from storelens.woocommerce.errors import Misconfigured


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("example.com", "https://example.com"),
        ("  example.com  ", "https://example.com"),
        ("www.example.com/", "https://www.example.com"),
        ("EXAMPLE.COM", "https://example.com"),
        ("Example.Com.", "https://example.com"),
        ("http://example.com", "http://example.com"),
        ("HTTPS://Example.com/", "https://example.com"),
        ("https://example.com/shop/", "https://example.com/shop"),
        ("example.com/store", "https://example.com/store"),
        ("https://example.com/wp-admin/", "https://example.com"),
        ("https://example.com/wp-admin/admin.php?page=wc-settings&tab=advanced", "https://example.com"),
        ("https://example.com/blog/wp-admin/index.php", "https://example.com/blog"),
        ("https://example.com/wp-login.php?redirect_to=x", "https://example.com"),
        ("https://example.com/wp-json/", "https://example.com"),
        ("https://example.com/wp-json/wc/v3/orders?per_page=5", "https://example.com"),
        ("https://example.com/shop/wp-json/wc/v3", "https://example.com/shop"),
        ("https://example.com/?rest_route=/wc/v3/orders", "https://example.com"),
        ("https://example.com/index.php?rest_route=%2F", "https://example.com"),
        ("https://example.com/wc-auth/v1/authorize?app_name=x", "https://example.com"),
        ("https://example.com/#top", "https://example.com"),
        ("https://example.com:443/", "https://example.com"),
        ("http://example.com:80", "http://example.com"),
        ("https://example.com:8443/", "https://example.com:8443"),
        ("127.0.0.1:8080", "https://127.0.0.1:8080"),
        ("http://127.0.0.1:8080/wp-json/", "http://127.0.0.1:8080"),
        ("localhost:8000", "https://localhost:8000"),
        ("bücher.example", "https://xn--bcher-kva.example"),
        ("https://BÜCHER.example/Shop", "https://xn--bcher-kva.example/Shop"),
        ("//example.com/x", "https://example.com/x"),
        ("http://[2001:db8::1]:8080/", "http://[2001:db8::1]:8080"),
    ],
)
def test_normalizes_what_people_type(typed: str, expected: str) -> None:
    assert normalize_store_url(typed) == expected


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   ",
        "not a url",
        "ftp://example.com",
        "mailto:shop@example.com",
        "https://",
        "https://exa_mple.com",
        "https://-bad-.com",
        "https://user:pass@example.com",
        "https://example.com:99999",
        "https://999.1.1.1",
        "shop",
        "javascript:alert(1)",
    ],
)
def test_garbage_is_a_clear_invalid_url_error(garbage: str) -> None:
    with pytest.raises(Misconfigured) as info:
        normalize_store_url(garbage)
    assert info.value.code == "invalid_url"
    assert info.value.fix  # says what to type instead


def test_without_a_scheme_https_is_tried_before_http() -> None:
    assert candidate_urls("example.com/shop") == ["https://example.com/shop", "http://example.com/shop"]
    assert candidate_urls("http://example.com") == ["http://example.com"]
    assert candidate_urls("https://example.com") == ["https://example.com"]


def test_rest_root_from_pretty_and_plain_link_headers() -> None:
    pretty = RestRoot.from_link("https://example.com/wp-json/")
    assert not pretty.plain
    assert pretty.route_url("/wc/v3/orders") == ("https://example.com/wp-json/wc/v3/orders", [])
    plain = RestRoot.from_link("https://127.0.0.1:8443/index.php?rest_route=/")
    assert plain.plain
    assert plain.route_url("/wc/v3/orders") == ("https://127.0.0.1:8443/index.php", [("rest_route", "/wc/v3/orders")])
    assert RestRoot.plain_for("https://example.com/shop").route_url("wc/v3") == (
        "https://example.com/shop/",
        [("rest_route", "/wc/v3")],
    )


def test_query_is_encoded_the_way_php_decodes_it() -> None:
    query = build_query(
        [("search", "Zoë 東京 a+b/c"), ("rest_route", "/wc/v3/orders"), ("_wcauth", "/wp-json/wc/")],
        raw=frozenset({"rest_route", "_wcauth"}),
    )
    assert query == ("search=Zo%C3%AB%20%E6%9D%B1%E4%BA%AC%20a%2Bb%2Fc&rest_route=/wc/v3/orders&_wcauth=/wp-json/wc/")


def test_datetimes_must_go_through_gmt_filter() -> None:
    from datetime import UTC, datetime

    from storelens.woocommerce.addresses import format_param

    with pytest.raises(TypeError, match="gmt_filter"):
        format_param(datetime(2026, 1, 1, tzinfo=UTC))
    assert format_param([1, 2, 3]) == "1,2,3"
    assert format_param(True) == "true"

from __future__ import annotations

import json

import pytest

from storelens.woocommerce.body import classify_non_json, parse_json_lenient
from storelens.woocommerce.errors import Blocked, DataError, Misconfigured, Retriable

from . import captures, waf_pages

ORDERS = captures.body_bytes(captures.load("orders/orders-page1-default.json"))


def test_clean_json_is_not_flagged() -> None:
    body = parse_json_lenient(ORDERS)
    assert body is not None and not body.noisy
    assert len(body.data) == 10


@pytest.mark.parametrize(
    "noisy",
    [
        waf_pages.PHP_NOTICE_PREFIX + ORDERS,
        b"\xef\xbb\xbf" + ORDERS,
        b"\n\n  " + ORDERS,
        b"\xef\xbb\xbf\xef\xbb\xbf\n" + ORDERS,
        b"Notice: Undefined index: x in /var/www/html/wp-content/themes/t/functions.php on line 3\n" + ORDERS,
        ORDERS + b"\n<br />\n<b>Warning</b>:  Cannot modify header information in <b>x.php</b> on line <b>9</b>",
    ],
)
def test_php_notices_bom_and_whitespace_around_json_keep_the_data_and_flag_it(noisy: bytes) -> None:
    body = parse_json_lenient(noisy)
    assert body is not None and body.noisy
    assert body.data == json.loads(ORDERS)


def test_a_bracket_inside_the_notice_is_not_taken_for_the_data() -> None:
    notice = b"<br />\n<b>Warning</b>:  Undefined array key [0] in <b>/x.php</b> on line <b>3</b><br />\n"
    body = parse_json_lenient(notice + b'{"id": 7}')
    assert body is not None and body.data == {"id": 7}


@pytest.mark.parametrize(
    "page",
    [
        waf_pages.CLOUDFLARE_CHALLENGE,
        waf_pages.SITEGROUND_CAPTCHA,
        waf_pages.THEME_404,
        waf_pages.COMING_SOON,
        waf_pages.MAINTENANCE,
    ],
)
def test_html_pages_are_never_data(page: tuple[int, dict[str, str], bytes]) -> None:
    assert parse_json_lenient(page[2]) is None


def test_html_page_with_script_json_is_not_data() -> None:
    page = b'<!DOCTYPE html><html><head><script>var wc = {"a": 1};</script></head><body>Warning: x</body></html>'
    assert parse_json_lenient(page) is None


@pytest.mark.parametrize(
    ("page", "vendor"),
    [
        (waf_pages.CLOUDFLARE_CHALLENGE, "Cloudflare"),
        (waf_pages.CLOUDFLARE_BLOCK_NO_HEADER, "Cloudflare"),
        (waf_pages.SITEGROUND_CAPTCHA, "SiteGround"),
        (waf_pages.SUCURI_BLOCK, "Sucuri"),
        (waf_pages.MODSECURITY_406, "ModSecurity"),
        (waf_pages.WORDFENCE_BLOCK, "Wordfence"),
    ],
)
def test_firewall_pages_are_blocked_with_their_vendor(page: tuple[int, dict[str, str], bytes], vendor: str) -> None:
    status, headers, content = page
    err = classify_non_json(status, headers, content, "https://shop.example.com/wp-json/wc/v3/orders")
    assert isinstance(err, Blocked)
    assert err.code == "waf_challenge" and err.vendor == vendor and not err.retriable
    assert "/wp-json/" in err.fix and "Storelens/" in err.fix  # what to allow


def test_siteground_202_challenge_is_an_error_although_2xx() -> None:
    status, headers, content = waf_pages.SITEGROUND_CAPTCHA
    assert status == 202
    assert isinstance(classify_non_json(status, headers, content, "u"), Blocked)


def test_maintenance_page_is_retriable_maintenance() -> None:
    err = classify_non_json(*waf_pages.MAINTENANCE, url="u")
    assert isinstance(err, Retriable) and err.code == "maintenance"


@pytest.mark.parametrize("page", [waf_pages.CRITICAL_ERROR, waf_pages.NGINX_502])
def test_server_error_pages_are_retriable(page: tuple[int, dict[str, str], bytes]) -> None:
    err = classify_non_json(*page, url="u")
    assert isinstance(err, Retriable) and err.code == "server_error"


def test_theme_404_says_the_api_is_not_where_expected() -> None:
    err = classify_non_json(*waf_pages.THEME_404, url="u")
    assert isinstance(err, Misconfigured) and err.code == "not_found"


def test_home_page_served_for_wp_json_is_unexpected_html() -> None:
    """Plain permalinks: /wp-json/ answers the theme's home page with 200 (captured)."""
    capture = captures.load("permalinks-plain/wp-json-index.json")
    err = classify_non_json(200, capture["response"]["headers"], captures.body_bytes(capture), "u")
    assert isinstance(err, DataError) and err.code == "unexpected_html"


def test_empty_2xx_is_a_retriable_bad_response() -> None:
    err = classify_non_json(200, {"content-type": "application/json"}, b"", "u")
    assert isinstance(err, Retriable) and err.code == "bad_response"

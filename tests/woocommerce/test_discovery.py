"""discover() and describe_store() against captured WordPress answers and realistic failures."""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from storelens.woocommerce.analytics_settings import Origin
from storelens.woocommerce.auth import AuthMethod, Credentials
from storelens.woocommerce.client import ClientConfig, StoreClient
from storelens.woocommerce.discovery import discover, find_api_root
from storelens.woocommerce.errors import Blocked, Misconfigured, NeedsReauth, Retriable
from storelens.woocommerce.retry import RetryPolicy
from storelens.woocommerce.store_details import describe_store

from . import captures, waf_pages
from .conftest import FakeSleep
from .ministore import MiniStore, wc_error

pytestmark = pytest.mark.anyio

HOME = "https://shop.example.com"


@functools.cache
def _json(name: str) -> Any:
    return captures.load(name)["response"]["body"]


def wp_index(home: str = HOME, namespaces: list[str] | None = None) -> dict[str, Any]:
    index = {k: v for k, v in _json("index/wp-json-index.json").items() if k not in ("routes", "_links")}
    index.update(home=home, url=home)
    if namespaces is not None:
        index["namespaces"] = namespaces
    return index


def home_page(link: str | None, *, tag: bool = False) -> httpx.Response:
    body = "<!DOCTYPE html><html><head><link rel='stylesheet' href='/wp-content/themes/x/style.css'>"
    if tag and link:
        body += f'<link rel="https://api.w.org/" href="{link}" />'
    body += "</head><body>Shop</body></html>"
    headers = {"content-type": "text/html; charset=UTF-8"}
    if link and not tag:
        headers["link"] = f'<{link}>; rel="https://api.w.org/"'
    return httpx.Response(200, text=body, headers=headers)


def json_response(data: Any, status: int = 200) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(data).encode(), headers={"content-type": "application/json"})


def no_route() -> httpx.Response:
    return wc_error(404, "rest_no_route", "No route was found matching the URL and request method.")


def theme_404() -> httpx.Response:
    status, headers, content = waf_pages.THEME_404
    return httpx.Response(status, headers=headers, content=content)


Routes = dict[str, Callable[[], httpx.Response]]


def site(routes: Routes, seen: list[str] | None = None) -> httpx.MockTransport:
    """Answer by `path` or `?rest_route=` value; anything else is the theme's 404."""

    def handle(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(str(request.url))
        rest_route = request.url.params.get("rest_route")
        key = str(request.url).split("?", 1)[0]
        if rest_route is not None:
            key += f"?rest_route={rest_route}"
        for candidate in (key, key.split("://", 1)[1].split("/", 1)[-1]):
            if candidate in routes:
                return routes[candidate]()
        return theme_404()

    return httpx.MockTransport(handle)


def postname_store(home: str = HOME, **extra: Callable[[], httpx.Response]) -> Routes:
    routes: Routes = {
        f"{home}/": lambda: home_page(f"{home}/wp-json/"),
        f"{home}/wp-json/": lambda: json_response(wp_index(home)),
        f"{home}/wp-json/wc/v3": lambda: json_response(_json("index/wc-v3-index-noauth.json")),
        f"{home}/wp-json/wc/v3/subscriptions/statuses": no_route,
    }
    routes.update({(k if "://" in k else f"{home}{k}"): v for k, v in extra.items()})
    return routes


async def test_pretty_permalink_store_is_discovered_from_the_link_header(fake_sleep: FakeSleep) -> None:
    info = await discover("shop.example.com", transport=site(postname_store()), sleep=fake_sleep)
    assert info.home_url == HOME
    assert info.rest_root.url == f"{HOME}/wp-json/" and not info.plain_permalinks
    assert info.name == "WC Lab Store"
    assert info.timezone_string == "America/New_York" and info.gmt_offset == -5
    assert info.has_woocommerce
    assert info.has_refunds_route is True and info.supports_modified_after is True
    assert info.has_subscriptions is False
    assert info.authorize_url == f"{HOME}/wc-auth/v1/authorize"
    assert info.warnings == []


async def test_pasted_admin_address_finds_the_same_store(fake_sleep: FakeSleep) -> None:
    info = await discover(
        "https://shop.example.com/wp-admin/admin.php?page=wc-settings",
        transport=site(postname_store()),
        sleep=fake_sleep,
    )
    assert info.home_url == HOME


async def test_plain_permalinks_are_detected_and_reached_through_rest_route(fake_sleep: FakeSleep) -> None:
    plain_home = captures.response("permalinks-plain/wp-json-index.json")  # the home page, Link → ?rest_route=/
    root = "https://127.0.0.1:8443"
    index = wp_index(root)
    routes: Routes = {
        f"{root}/": lambda: plain_home,
        f"{root}/index.php?rest_route=/": lambda: json_response(index),
        f"{root}/index.php?rest_route=/wc/v3": lambda: json_response(_json("index/wc-v3-index-noauth.json")),
        f"{root}/index.php?rest_route=/wc/v3/subscriptions/statuses": no_route,
    }
    seen: list[str] = []
    info = await discover(root, transport=site(routes, seen), allow_private=True, sleep=fake_sleep)
    assert info.plain_permalinks and info.rest_root.plain
    assert info.authorize_url == f"{root}/?wc-auth-version=1&wc-auth-route=authorize"
    assert [w.code for w in info.warnings] == ["plain_permalinks"]
    assert "Post name" in info.warnings[0].fix
    assert info.has_refunds_route is True
    assert not any("/wp-json/" in url.split("?")[0] for url in seen)


async def test_pretty_link_with_unrouted_wp_json_falls_back_to_rest_route(fake_sleep: FakeSleep) -> None:
    routes: Routes = {
        f"{HOME}/": lambda: home_page(f"{HOME}/wp-json/"),
        f"{HOME}/?rest_route=/": lambda: json_response(wp_index()),
        f"{HOME}/?rest_route=/wc/v3": lambda: json_response(_json("index/wc-v3-index-noauth.json")),
        f"{HOME}/?rest_route=/wc/v3/subscriptions/statuses": no_route,
    }
    info = await discover(HOME, transport=site(routes), sleep=fake_sleep)
    assert info.rest_root.plain and info.rest_root.url == f"{HOME}/?rest_route=/"


async def test_link_tag_is_used_when_the_header_is_missing(fake_sleep: FakeSleep) -> None:
    routes = postname_store()
    routes[f"{HOME}/"] = lambda: home_page(f"{HOME}/wp-json/", tag=True)
    info = await discover(HOME, transport=site(routes), sleep=fake_sleep)
    assert info.rest_root.url == f"{HOME}/wp-json/"


async def test_redirects_are_followed_to_canonicalise_and_the_index_gives_home(fake_sleep: FakeSleep) -> None:
    canonical = "https://www.shop.example.com"
    routes = postname_store(canonical)
    routes["http://shop.example.com/"] = lambda: httpx.Response(301, headers={"location": "https://shop.example.com/"})
    routes["https://shop.example.com/"] = lambda: httpx.Response(301, headers={"location": f"{canonical}/"})
    info = await discover("http://shop.example.com", transport=site(routes), sleep=fake_sleep)
    assert info.home_url == canonical
    assert info.redirected_to == f"{canonical}/"


async def test_subscriptions_are_detected_from_the_public_statuses_route(fake_sleep: FakeSleep) -> None:
    routes = postname_store(**{"/wp-json/wc/v3/subscriptions/statuses": lambda: json_response({"wc-active": "Active"})})
    info = await discover(HOME, transport=site(routes), sleep=fake_sleep)
    assert info.has_subscriptions is True


async def test_old_woocommerce_without_modified_after_is_flagged(fake_sleep: FakeSleep) -> None:
    old = copy.deepcopy(_json("index/wc-v3-index-noauth.json"))
    del old["routes"]["/wc/v3/refunds"]
    for endpoint in old["routes"]["/wc/v3/orders"]["endpoints"]:
        endpoint["args"].pop("modified_after", None)
        endpoint["args"].pop("modified_before", None)
    routes = postname_store(**{"/wp-json/wc/v3": lambda: json_response(old)})
    info = await discover(HOME, transport=site(routes), sleep=fake_sleep)
    assert info.supports_modified_after is False and info.has_refunds_route is False
    assert [w.code for w in info.warnings] == ["legacy_woocommerce"]


async def test_wordpress_without_woocommerce_is_not_woocommerce(fake_sleep: FakeSleep) -> None:
    routes = postname_store(**{"/wp-json/": lambda: json_response(wp_index(namespaces=["oembed/1.0", "wp/v2"]))})
    with pytest.raises(Misconfigured) as info:
        await discover(HOME, transport=site(routes), sleep=fake_sleep)
    assert info.value.code == "not_woocommerce"
    assert "Plugins" in info.value.fix


async def test_a_site_that_is_not_wordpress(fake_sleep: FakeSleep) -> None:
    routes: Routes = {
        f"{HOME}/": lambda: httpx.Response(200, text="<html><body>Hello from Shopify</body></html>"),
    }
    with pytest.raises(Misconfigured) as info:
        await discover(HOME, transport=site(routes), sleep=fake_sleep)
    assert info.value.code == "not_wordpress"


async def test_rest_api_switched_off_by_a_plugin(fake_sleep: FakeSleep) -> None:
    routes = postname_store(
        **{
            "/wp-json/": lambda: wc_error(
                401, "rest_cannot_access", "Only authenticated users can access the REST API."
            )
        }
    )
    with pytest.raises(Misconfigured) as info:
        await discover(HOME, transport=site(routes), sleep=fake_sleep)
    assert info.value.code == "rest_disabled"


async def test_wordpress_with_no_reachable_api_is_rest_disabled(fake_sleep: FakeSleep) -> None:
    routes: Routes = {f"{HOME}/": lambda: home_page(None)}
    with pytest.raises(Misconfigured) as info:
        await discover(HOME, transport=site(routes), sleep=fake_sleep)
    assert info.value.code == "rest_disabled"


@pytest.mark.parametrize(
    ("page", "vendor"),
    [(waf_pages.CLOUDFLARE_CHALLENGE, "Cloudflare"), (waf_pages.SITEGROUND_CAPTCHA, "SiteGround")],
)
async def test_firewall_challenge_on_the_home_page(
    page: tuple[int, dict[str, str], bytes], vendor: str, fake_sleep: FakeSleep
) -> None:
    status, headers, content = page
    routes = postname_store(**{f"{HOME}/": lambda: httpx.Response(status, headers=headers, content=content)})
    with pytest.raises(Blocked) as info:
        await discover(HOME, transport=site(routes), sleep=fake_sleep)
    assert info.value.vendor == vendor


async def test_firewall_challenge_on_the_api_only(fake_sleep: FakeSleep) -> None:
    status, headers, content = waf_pages.SUCURI_BLOCK
    routes = postname_store(**{"/wp-json/": lambda: httpx.Response(status, headers=headers, content=content)})
    with pytest.raises(Blocked) as info:
        await discover(HOME, transport=site(routes), sleep=fake_sleep)
    assert info.value.vendor == "Sucuri"


async def test_maintenance_mode(fake_sleep: FakeSleep) -> None:
    status, headers, content = waf_pages.MAINTENANCE
    routes = postname_store(**{f"{HOME}/": lambda: httpx.Response(status, headers=headers, content=content)})
    with pytest.raises(Retriable) as info:
        await discover(HOME, transport=site(routes), sleep=fake_sleep)
    assert info.value.code == "maintenance"


async def test_https_that_cannot_connect_falls_back_to_http_when_no_scheme_was_typed(fake_sleep: FakeSleep) -> None:
    http_home = "http://shop.example.com"
    inner = site(postname_store(http_home))

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.scheme == "https":
            raise httpx.ConnectError("[Errno 111] Connection refused")
        return inner.handler(request)  # type: ignore[no-any-return]

    info = await discover("shop.example.com", transport=httpx.MockTransport(handle), sleep=fake_sleep)
    assert info.home_url == http_home
    with pytest.raises(Retriable) as err:
        await discover("https://shop.example.com", transport=httpx.MockTransport(handle), sleep=fake_sleep)
    assert err.value.code == "unreachable"


async def test_discovery_refuses_private_addresses() -> None:
    with pytest.raises(Misconfigured) as info:
        await discover("http://127.0.0.1:9/")
    assert info.value.code == "private_address"


def test_find_api_root_reads_header_then_tag() -> None:
    page = captures.response("permalinks-plain/wp-json-index.json")
    page.request = httpx.Request("GET", "https://127.0.0.1:8443/wp-json/")
    assert find_api_root(page) == "https://127.0.0.1:8443/index.php?rest_route=/"
    tagged = home_page("https://x.example/wp-json/", tag=True)
    tagged.request = httpx.Request("GET", "https://x.example/")
    assert find_api_root(tagged) == "https://x.example/wp-json/"


# --- describe_store ------------------------------------------------------------------------------------------------

CK, CS = captures.key("read_write")
RO_CK, RO_CS = captures.key("read")


def keyed_store() -> MiniStore:
    def routes(request: httpx.Request, query: dict[str, str]) -> httpx.Response:
        path = request.url.path
        if path.endswith("/wc/v3/orders"):
            return json_response([{"id": 2356}])
        if path.endswith("/settings/general"):
            return captures.response("settings/settings-general.json")
        if path.endswith("/wc/v3/refunds"):
            return json_response([{"id": 2357}])
        if path.endswith("/subscriptions/statuses"):
            return no_route()
        if path.endswith("/wc-admin/options"):
            return json_response({query["options"]: False})
        if path.endswith("/wc/v3/webhooks") and request.method == "POST":
            body = json.loads(request.content or b"{}")
            assert body == {}, "the permission probe must never send a valid webhook"
            return wc_error(400, "rest_missing_callback_param", "Missing parameter(s): topic, delivery_url")
        return no_route()

    store = MiniStore(handler=routes)
    store.add_key(CK, CS, "read_write")
    store.add_key(RO_CK, RO_CS, "read")
    return store


def keyed_client(store: Any, creds: Credentials, fake_sleep: FakeSleep) -> StoreClient:
    config = ClientConfig(retry=RetryPolicy(max_attempts=2))
    return StoreClient(HOME, credentials=creds, config=config, transport=httpx.MockTransport(store), sleep=fake_sleep)


async def test_describe_store_with_read_write_keys(fake_sleep: FakeSleep) -> None:
    async with keyed_client(keyed_store(), Credentials(CK, CS), fake_sleep) as client:
        details = await describe_store(client)
    assert details.auth_method is AuthMethod.BASIC
    assert details.permissions == "read_write"
    assert details.currency == "USD"
    assert details.has_refunds_route is True and details.has_subscriptions is False
    assert [r.origin for r in details.analytics.readings] == [Origin.UNSET, Origin.UNSET]


async def test_describe_store_detects_a_read_only_key(fake_sleep: FakeSleep) -> None:
    async with keyed_client(keyed_store(), Credentials(RO_CK, RO_CS), fake_sleep) as client:
        details = await describe_store(client)
    assert details.permissions == "read"


async def test_describe_store_reads_analytics_settings_when_set(fake_sleep: FakeSleep) -> None:
    store = keyed_store()
    base = store.handler
    assert base is not None
    asked: list[str] = []

    def with_options(request: httpx.Request, query: dict[str, str]) -> httpx.Response:
        if request.url.path.endswith("/wc-admin/options"):
            asked.append(query["options"])
            values = {
                "woocommerce_date_type": "date_created",
                "woocommerce_excluded_report_order_statuses": ["pending", "failed", "cancelled", "on-hold"],
            }
            return json_response({query["options"]: values[query["options"]]})
        return base(request, query)

    store.handler = with_options
    async with keyed_client(store, Credentials(CK, CS), fake_sleep) as client:
        details = await describe_store(client)
    assert asked == ["woocommerce_date_type", "woocommerce_excluded_report_order_statuses"]  # one option a request
    assert details.analytics.date_type.value == "date_created"
    assert details.analytics.excluded_statuses.value == ("pending", "failed", "cancelled", "on-hold")
    assert {r.origin for r in details.analytics.readings} == {Origin.READ}


async def test_describe_store_with_revoked_keys_needs_reauth(fake_sleep: FakeSleep) -> None:
    async with keyed_client(keyed_store(), Credentials("ck_" + "a" * 40, CS), fake_sleep) as client:
        with pytest.raises(NeedsReauth) as info:
            await describe_store(client)
    assert info.value.code == "keys_invalid"

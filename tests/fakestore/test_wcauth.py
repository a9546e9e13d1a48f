"""The Application Authentication screens replayed from the captures of a real WooCommerce 9.9.5 store.

In-process: the store is served through httpx's ASGITransport at the captured home URL, and the callback POST goes
to an in-process receiver through `store.outbound_transport` (the captured callback URLs use port 443). The TLS,
connection and port rules against real sockets are in test_wcauth_socket.py.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from fakestore import wcauth
from fakestore.config import FakeStoreConfig
from tests.fakestore.edge_servers import Receiver
from tests.fakestore.wcauth_harness import store_app
from tests.fakestore.wcauth_pages import (
    capture,
    form_fields,
    grant_text,
    h1,
    hidden,
    link,
    permissions,
    share_text,
    title,
    without_nonce,
    wp_die_message,
)

HOME = "https://127.0.0.1:8443"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Merchant:
    """A browser on the store: cookies kept, redirects not followed (each hop is checked)."""

    def __init__(self, config: FakeStoreConfig | None = None, callback_status: int = 200) -> None:
        self.config = config or FakeStoreConfig(home_url=HOME)
        self.app, self.store = store_app(self.config)
        self.receiver = Receiver(status=callback_status)
        self.store.outbound_transport = httpx.ASGITransport(app=self.receiver)
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url=HOME)

    async def __aenter__(self) -> Merchant:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.http.aclose()

    async def get(self, url: str) -> httpx.Response:
        return await self.http.get(url.replace(HOME, ""))

    async def sign_in(self, login: str = "admin", password: str = "password") -> None:
        response = await self.http.post("/wp-login.php", data={"log": login, "pwd": password, "wp-submit": "Log In"})
        assert response.status_code == 302, response.text

    @property
    def keys(self) -> dict[int, Any]:
        return self.store.accounts.keys


def hop_urls(name: str) -> list[str]:
    return [hop["url"] for hop in capture(f"auth/{name}.json")["hops"]]


@pytest.mark.anyio
@pytest.mark.parametrize(
    "scenario",
    ["missing_callback_url", "missing_user_id", "invalid_scope", "invalid_return_url", "callback_plain_http"],
)
async def test_each_captured_validation_error_is_a_401_access_denied_page_with_the_exact_text(scenario: str) -> None:
    recorded = capture(f"auth/{scenario}.json")
    hop = recorded["hops"][0]
    async with Merchant() as merchant:
        await merchant.sign_in()
        response = await merchant.get(hop["url"])
        assert response.status_code == hop["status"] == 401
        assert response.headers["content-type"] == hop["content_type"]
        assert title(response.text) == hop["wp_die_title"] == "Access denied"
        assert wp_die_message(response.text) == hop["wp_die_message"] == recorded["error_seen"]
        assert merchant.keys == {}


@pytest.mark.anyio
async def test_validation_comes_first_even_for_a_signed_out_visitor() -> None:
    async with Merchant() as merchant:
        response = await merchant.get(hop_urls("missing_user_id")[0])
    assert response.status_code == 401
    assert wp_die_message(response.text) == "Error: Missing parameter user_id."


@pytest.mark.anyio
async def test_signed_out_merchant_goes_through_woocommerces_login_form_to_the_grant_page() -> None:
    recorded = capture("auth/not_logged_in_login_form.json")
    hops = recorded["hops"]
    async with Merchant() as merchant:
        first = await merchant.get(hops[0]["url"])
        assert first.status_code == 302
        assert first.headers["location"] == hops[0]["location"]

        form = await merchant.get(first.headers["location"])
        assert form.status_code == 200
        assert h1(form.text) == hops[1]["page_h1"]
        assert form_fields(form.text) == recorded["login_form_fields"]

        posted = await merchant.http.post(
            hops[2]["url"].replace(HOME, ""),
            data={
                "username": "admin",
                "password": "password",
                "woocommerce-login-nonce": hidden(form.text, "woocommerce-login-nonce"),
                "_wp_http_referer": hidden(form.text, "_wp_http_referer"),
                "login": "Login",
                "redirect": hidden(form.text, "redirect"),
            },
        )
        assert posted.status_code == 302
        assert posted.headers["location"] == hops[2]["location"]
        assert any(name.startswith("wordpress_logged_in_") for name in merchant.http.cookies)

        grant = await merchant.get(posted.headers["location"])
        assert grant.status_code == 200
        assert h1(grant.text) == hops[3]["page_h1"]
        assert permissions(grant.text) == hops[3]["permissions_listed"]


@pytest.mark.anyio
async def test_a_wrong_password_shows_the_login_form_again_with_wordpress_error() -> None:
    async with Merchant() as merchant:
        form = await merchant.get(capture("auth/not_logged_in_login_form.json")["hops"][1]["url"])
        posted = await merchant.http.post(
            str(form.url).replace(HOME, ""),
            data={
                "username": "admin",
                "password": "wrong",
                "woocommerce-login-nonce": hidden(form.text, "woocommerce-login-nonce"),
                "login": "Login",
                "redirect": hidden(form.text, "redirect"),
            },
        )
    assert posted.status_code == 200
    assert "The password you entered for the username <strong>admin</strong> is incorrect." in posted.text
    assert not any(name.startswith("wordpress_logged_in_") for name in merchant.http.cookies)


@pytest.mark.anyio
@pytest.mark.parametrize("scenario", ["ok_read", "ok_write", "ok_read_write"])
async def test_grant_page_lists_the_scopes_permissions_and_approve_and_deny_links_as_captured(scenario: str) -> None:
    recorded = capture(f"auth/{scenario}.json")
    hop = recorded["hops"][0]
    async with Merchant() as merchant:
        await merchant.sign_in()
        page = await merchant.get(hop["url"])
    assert page.status_code == 200
    assert page.headers["content-type"] == hop["content_type"]
    assert title(page.text) == "Application authentication request"
    assert h1(page.text) == hop["page_h1"]
    assert permissions(page.text) == hop["permissions_listed"]
    assert grant_text(page.text) == hop["grant_text"]
    assert share_text(page.text) == hop["share_text"]
    assert without_nonce(link(page.text, "wc-auth-approve")) == without_nonce(recorded["approve_link"])
    assert link(page.text, "wc-auth-deny") == recorded["deny_link"]


@pytest.mark.anyio
@pytest.mark.parametrize("scenario", ["ok_read", "ok_write", "ok_read_write", "app_name_markup_unicode"])
async def test_approve_creates_a_key_posts_it_to_the_callback_and_returns_to_the_app(scenario: str) -> None:
    recorded = capture(f"auth/{scenario}.json")
    captured_callback = recorded["callback_requests"][0]
    async with Merchant() as merchant:
        await merchant.sign_in()
        page = await merchant.get(recorded["hops"][0]["url"])
        approve = link(page.text, "wc-auth-approve")
        assert without_nonce(approve) == without_nonce(recorded["approve_link"])
        done = await merchant.get(approve)
        assert done.status_code == 302
        assert done.headers["location"] == recorded["redirect_to"]
        assert done.headers["x-redirect-by"] == "WordPress"

        (received,) = merchant.receiver.requests
        assert received.method == "POST"
        assert received.path == captured_callback["path"]
        for name in ("User-Agent", "Content-Type", "Accept", "Accept-Encoding", "Connection"):
            assert received.header(name) == dict(captured_callback["headers"])[name], name
        body = received.body.decode()
        assert re.fullmatch(
            r'\{"key_id":\d+,"user_id":"[^"]+","consumer_key":"ck_[0-9a-f]{40}",'
            r'"consumer_secret":"cs_[0-9a-f]{40}","key_permissions":"(read|write|read_write)"\}',
            body,
        )
        sent = httpx.Response(200, content=received.body).json()
        assert sent["user_id"] == captured_callback["body_json"]["user_id"]
        assert sent["key_permissions"] == captured_callback["body_json"]["key_permissions"]

        (key,) = merchant.keys.values()
        assert (key.key_id, key.consumer_key, key.consumer_secret) == (
            sent["key_id"],
            sent["consumer_key"],
            sent["consumer_secret"],
        )
        assert key.user_id == 1  # the WordPress user who approved, not the app's user_id
        expected_name = recorded["api_keys_new"][0]["description"].rsplit(" - API (", 1)[0]
        if scenario == "app_name_markup_unicode":
            expected_name = expected_name.replace("?", "📊")  # the capture store's database was not utf8mb4
        assert re.fullmatch(re.escape(expected_name) + r" - API \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\)", key.description)
        assert key.permissions == recorded["api_keys_new"][0]["permissions"]


@pytest.mark.anyio
@pytest.mark.parametrize("scenario", ["callback_returns_201", "callback_returns_204", "callback_returns_500", 302])
async def test_a_callback_answer_other_than_exactly_200_deletes_the_key_and_shows_the_captured_error(
    scenario: str | int,
) -> None:
    recorded = capture(f"auth/{scenario}.json" if isinstance(scenario, str) else "auth/callback_returns_201.json")
    status = recorded["callback_requests"][0]["answered_status"] if isinstance(scenario, str) else scenario
    expected = recorded["error_seen"]
    async with Merchant(callback_status=status) as merchant:
        await merchant.sign_in()
        page = await merchant.get(recorded["hops"][0]["url"])
        failed = await merchant.get(link(page.text, "wc-auth-approve"))
        assert failed.status_code == 401
        assert title(failed.text) == "Access denied"
        assert wp_die_message(failed.text) == expected
        assert len(merchant.receiver.requests) == 1  # the keys were sent, then deleted
        assert merchant.keys == {}
        # the failed attempt consumed a key id
        again = await merchant.get(link((await merchant.get(hop_urls("ok_read_write")[0])).text, "wc-auth-approve"))
        assert again.status_code == 401
        assert len(merchant.receiver.requests) == 2
        second = httpx.Response(200, content=merchant.receiver.requests[1].body).json()
        first = httpx.Response(200, content=merchant.receiver.requests[0].body).json()
        assert second["key_id"] == first["key_id"] + 1


@pytest.mark.anyio
async def test_every_approval_creates_a_new_key_and_earlier_keys_stay() -> None:
    async with Merchant() as merchant:
        await merchant.sign_in()
        for _ in range(2):
            page = await merchant.get(hop_urls("reauthorize_same_app")[0])
            assert (await merchant.get(link(page.text, "wc-auth-approve"))).status_code == 302
    assert sorted(merchant.keys) == [1, 2]
    assert len({k.consumer_key for k in merchant.keys.values()}) == 2


@pytest.mark.anyio
async def test_a_callback_url_without_scheme_gets_https_prepended() -> None:
    recorded = capture("auth/callback_no_scheme.json")
    async with Merchant() as merchant:
        await merchant.sign_in()
        page = await merchant.get(recorded["hops"][0]["url"])
        approve = link(page.text, "wc-auth-approve")
        assert without_nonce(approve) == without_nonce(recorded["approve_link"])
        assert (await merchant.get(approve)).headers["location"] == recorded["redirect_to"]
    assert merchant.receiver.requests[0].path == "/wc-callback-noscheme"


@pytest.mark.anyio
@pytest.mark.parametrize("scenario", ["callback_localhost_name", "callback_nonstandard_port"])
async def test_unsafe_callback_urls_are_refused_after_approve_without_contacting_them(scenario: str) -> None:
    recorded = capture(f"auth/{scenario}.json")
    async with Merchant() as merchant:
        await merchant.sign_in()
        page = await merchant.get(recorded["hops"][0]["url"])
        assert share_text(page.text) == recorded["hops"][0]["share_text"]
        failed = await merchant.get(link(page.text, "wc-auth-approve"))
    assert failed.status_code == 401
    assert wp_die_message(failed.text) == recorded["error_seen"] == "Error: A valid URL was not provided.."
    assert merchant.receiver.requests == []
    assert merchant.keys == {}


@pytest.mark.anyio
async def test_a_callback_on_the_stores_own_host_and_port_is_allowed() -> None:
    recorded = capture("auth/callback_home_port.json")
    async with Merchant(callback_status=404) as merchant:
        await merchant.sign_in()
        page = await merchant.get(recorded["hops"][0]["url"])
        failed = await merchant.get(link(page.text, "wc-auth-approve"))
    assert wp_die_message(failed.text) == recorded["error_seen"]
    assert [r.path for r in merchant.receiver.requests] == ["/wc-callback-404"]


@pytest.mark.anyio
async def test_a_customer_without_manage_woocommerce_is_refused() -> None:
    recorded = capture("auth/customer_without_permission.json")
    async with Merchant() as merchant:
        merchant.store.accounts.add_user("shopper", "secret", "customer")
        await merchant.sign_in("shopper", "secret")
        response = await merchant.get(recorded["hops"][0]["url"])
    assert response.status_code == 401
    assert wp_die_message(response.text) == recorded["error_seen"]


@pytest.mark.anyio
async def test_an_admin_demoted_between_grant_page_and_approve_gets_no_key() -> None:
    async with Merchant() as merchant:
        await merchant.sign_in()
        page = await merchant.get(hop_urls("ok_read_write")[0])
        merchant.store.accounts.set_role(1, "customer")
        failed = await merchant.get(link(page.text, "wc-auth-approve"))
    assert failed.status_code == 401
    assert wp_die_message(failed.text) == "Error: You do not have permission to access this page."
    assert merchant.keys == {}


@pytest.mark.anyio
async def test_a_tampered_nonce_is_refused() -> None:
    recorded = capture("auth/tampered_nonce.json")
    async with Merchant() as merchant:
        await merchant.sign_in()
        await merchant.get(recorded["hops"][0]["url"])
        failed = await merchant.get(recorded["hops"][1]["url"])
    assert failed.status_code == 401
    assert wp_die_message(failed.text) == recorded["error_seen"]
    assert merchant.receiver.requests == []


@pytest.mark.anyio
async def test_the_nonce_is_bound_to_the_session_that_saw_the_grant_page() -> None:
    async with Merchant() as merchant, Merchant() as other:
        other.app, other.store = merchant.app, merchant.store
        other.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=merchant.app), base_url=HOME)
        await merchant.sign_in()
        await other.sign_in()
        approve = link((await merchant.get(hop_urls("ok_read")[0])).text, "wc-auth-approve")
        failed = await other.get(approve)
    assert wp_die_message(failed.text) == "Error: Invalid nonce verification."


@pytest.mark.anyio
async def test_deny_is_a_plain_link_back_to_the_app_and_the_store_creates_nothing() -> None:
    recorded = capture("auth/deny_link.json")
    async with Merchant() as merchant:
        await merchant.sign_in()
        page = await merchant.get(recorded["hops"][0]["url"])
    assert link(page.text, "wc-auth-deny") == recorded["deny_link"]
    assert without_nonce(link(page.text, "wc-auth-approve")) == recorded["approve_link_shape"]
    assert merchant.keys == {}


@pytest.mark.anyio
async def test_the_query_form_shows_the_same_grant_page_with_pretty_links() -> None:
    recorded = capture("permalinks-postname/wc-auth-query-vars.json")
    async with Merchant() as merchant:
        await merchant.sign_in()
        page = await merchant.get(recorded["request"]["url"])
    assert page.status_code == 200
    expected_approve = link(recorded["response"]["body"], "wc-auth-approve")
    assert without_nonce(link(page.text, "wc-auth-approve")) == without_nonce(expected_approve)
    assert link(page.text, "wc-auth-deny") == link(recorded["response"]["body"], "wc-auth-deny")
    assert (
        link(page.text, "wc-auth-logout").split("&_wpnonce=")[0]
        == (link(recorded["response"]["body"], "wc-auth-logout").split("&_wpnonce=")[0])
    )


@pytest.mark.anyio
async def test_plain_permalinks_redirect_the_pretty_path_to_a_trailing_slash() -> None:
    recorded = capture("permalinks-plain/wc-auth-pretty-path.json")
    config = FakeStoreConfig(home_url=HOME)
    config.set_modes({"plain-permalinks"})
    async with Merchant(config) as merchant:
        await merchant.sign_in()
        response = await merchant.get(recorded["request"]["url"])
        landing = await merchant.get(response.headers["location"])
    assert response.status_code == 301
    assert response.headers["location"] == recorded["response"]["headers"]["Location"]
    assert response.headers["x-redirect-by"] == "WordPress"
    assert landing.status_code == 200
    assert "wc-auth-approve" not in landing.text


@pytest.mark.anyio
async def test_plain_permalinks_approve_link_lands_on_the_home_page_without_key_or_callback() -> None:
    shown = capture("permalinks-plain/wc-auth-query-vars.json")
    clicked = capture("permalinks-plain/wc-auth-query-vars-approve-click.json")
    config = FakeStoreConfig(home_url=HOME)
    config.set_modes({"plain-permalinks"})
    async with Merchant(config) as merchant:
        await merchant.sign_in()
        page = await merchant.get(shown["request"]["url"])
        assert h1(page.text) == "Putler Lab would like to connect to your store"
        approve = link(page.text, "wc-auth-approve")
        assert without_nonce(approve) == without_nonce(link(shown["response"]["body"], "wc-auth-approve"))
        landing = await merchant.get(approve)
    assert landing.status_code == clicked["response"]["status"] == 200
    assert landing.headers["content-type"].startswith("text/html")
    assert "wc-auth" not in landing.text
    assert merchant.receiver.requests == []
    assert merchant.keys == {}


@pytest.mark.anyio
async def test_cache_mode_serves_a_stale_grant_page_whose_approve_fails_nonce_verification() -> None:
    config = FakeStoreConfig(home_url=HOME)
    config.set_modes({"cache"})
    async with Merchant(config) as merchant:
        await merchant.sign_in()
        page = await merchant.get(hop_urls("ok_read_write")[0])
        assert page.headers["x-cache"] == "HIT"
        failed = await merchant.get(link(page.text, "wc-auth-approve"))
    assert failed.status_code == 401
    assert wp_die_message(failed.text) == "Error: Invalid nonce verification."
    assert merchant.keys == {}


@pytest.mark.anyio
async def test_signing_in_at_wp_login_first_shows_the_grant_page_directly() -> None:
    async with Merchant() as merchant:
        await merchant.sign_in()
        page = await merchant.get(hop_urls("ok_read_write")[0])
        login = await merchant.get(capture("auth/not_logged_in_login_form.json")["hops"][1]["url"])
    assert page.status_code == 200
    assert login.status_code == 302  # a signed-in user is sent on from the login route
    assert "/wc-auth/v1/authorize/?app_name=Putler%20Lab&" in login.headers["location"]


def test_routes_cover_the_pretty_paths_and_wp_login() -> None:
    paths = {route.path for route in wcauth.routes(store_app(FakeStoreConfig(home_url=HOME))[1])}
    assert paths == {"/wc-auth/v1/{route:path}", "/wp-login.php"}


def test_add_query_arg_reencodes_the_existing_query_but_not_the_new_values() -> None:
    from fakestore.wpurls import add_query_arg

    assert add_query_arg({"user_id": "u-42@example.com"}, "https://a.test/r?shop=la b") == (
        "https://a.test/r?shop=la+b&user_id=u-42@example.com"
    )
    # an `&` in a value added raw splits it on the next call, and PHP turns spaces in names into `_`
    raw = add_query_arg({"app_name": "A & B c"}, "https://a.test/x/")
    assert add_query_arg({"n": "1"}, raw) == "https://a.test/x/?app_name=A+&B_c&n=1"


@pytest.mark.parametrize(
    ("url", "valid"),
    [
        ("https://app.example.test/woocommerce/return?shop=lab", True),
        ("https://127.0.0.1:9443/wc-callback", True),
        ("https://exa mple.test/return", False),
        ("https://under_score.test/", False),
        ("https://-leading.test/", False),
        ("https://", False),
        ("https://shop.test/é", False),
        ("https://[::1]/x", True),
    ],
)
def test_filter_validate_url_follows_php(url: str, valid: bool) -> None:
    from fakestore.wpurls import filter_validate_url

    assert filter_validate_url(url) is valid

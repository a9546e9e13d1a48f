"""StoreClient against a MockTransport: auth ladder, errors, retries, paging, concurrency."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import httpx
import pytest

from storelens.woocommerce.addresses import RestRoot
from storelens.woocommerce.auth import AuthMethod, Credentials, Outcome
from storelens.woocommerce.client import USER_AGENT, ClientConfig, StoreClient
from storelens.woocommerce.errors import Blocked, DataError, Misconfigured, NeedsReauth, NotFound, Retriable
from storelens.woocommerce.retry import RetryPolicy

from . import captures, waf_pages
from .conftest import FakeSleep
from .ministore import MiniStore, list_handler, wc_error

pytestmark = pytest.mark.anyio

CK, CS = captures.key("read_write")
RO_CK, RO_CS = captures.key("read")
RW = Credentials(CK, CS)


def make_client(
    store: Any,
    fake_sleep: FakeSleep,
    *,
    home: str = "https://shop.example.com",
    creds: Credentials | None = RW,
    **kw: Any,
) -> StoreClient:
    config = kw.pop(
        "config",
        ClientConfig(retry=RetryPolicy(max_attempts=4, base_delay=1.0, max_delay=8.0, rng=random.Random(0))),
    )
    return StoreClient(
        home, credentials=creds, config=config, transport=httpx.MockTransport(store), sleep=fake_sleep, **kw
    )


def store_with_key(**kw: Any) -> MiniStore:
    store = MiniStore(**kw)
    store.add_key(CK, CS, "read_write")
    store.add_key(RO_CK, RO_CS, "read")
    return store


# --- auth ladder -----------------------------------------------------------------------------------------------


async def test_basic_over_https_is_tried_first_and_remembered(fake_sleep: FakeSleep) -> None:
    store = store_with_key()
    async with make_client(store, fake_sleep) as client:
        resp = await client.get("/wc/v3/orders")
        await client.get("/wc/v3/orders")
    assert client.auth_method is AuthMethod.BASIC
    assert len(resp.data) == 10
    assert len(store.requests) == 2  # no probing once known
    first = store.requests[0]
    assert first.headers["authorization"].startswith("Basic ")  # pre-emptive: no challenge is ever sent
    assert first.headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("Storelens/")
    assert "consumer_secret" not in str(first.url)
    assert client.auth_findings == set()


async def test_stripped_authorization_header_falls_back_to_query_keys(fake_sleep: FakeSleep) -> None:
    store = store_with_key(strip_auth=True)
    async with make_client(store, fake_sleep) as client:
        await client.get("/wc/v3/orders")
    assert client.auth_method is AuthMethod.QUERY
    assert [(a.method, a.outcome) for a in client.auth_attempts] == [
        (AuthMethod.BASIC, Outcome.ANONYMOUS),
        (AuthMethod.QUERY, Outcome.ACCEPTED),
    ]
    assert client.auth_attempts[0].wc_code == "woocommerce_rest_cannot_view"
    assert client.auth_findings == {"auth_header_stripped"}
    assert fake_sleep.delays == []


async def test_https_ending_at_a_proxy_is_handled_by_oauth_signed_with_http(fake_sleep: FakeSleep) -> None:
    store = store_with_key(is_ssl=False)
    async with make_client(store, fake_sleep) as client:
        await client.get("/wc/v3/orders", {"per_page": 5, "search": "Zoë/東京"})
    assert client.auth_method is AuthMethod.OAUTH_OTHER_SCHEME
    assert [a.outcome for a in client.auth_attempts] == [
        Outcome.ANONYMOUS,
        Outcome.ANONYMOUS,
        Outcome.BAD_SIGNATURE,
        Outcome.ACCEPTED,
    ]
    assert client.auth_findings == {"proxy_no_ssl"}
    assert store.requests[-1].url.scheme == "https"  # still connects over https


async def test_plain_http_store_uses_oauth_and_never_sends_keys_in_clear(fake_sleep: FakeSleep) -> None:
    store = store_with_key(home_url="http://127.0.0.1:8080")
    async with make_client(store, fake_sleep, home="http://127.0.0.1:8080") as client:
        await client.get("/wc/v3/orders")
    assert client.auth_method is AuthMethod.OAUTH
    for request in store.requests:
        assert "authorization" not in request.headers
        assert CS not in str(request.url)


async def test_oauth_signs_against_the_home_url_not_the_rest_root(fake_sleep: FakeSleep) -> None:
    store = store_with_key(home_url="https://example.com/shop", is_ssl=True)
    store.strip_auth = True
    store.keys = {CK: (CS, "read_write")}

    def only_oauth(request: httpx.Request) -> httpx.Response:
        if "consumer_secret=" in str(request.url):
            return wc_error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
        return store(request)

    async with make_client(only_oauth, fake_sleep, home="https://example.com/shop") as client:
        await client.get("/wc/v3/orders")
    assert client.auth_method is AuthMethod.OAUTH
    assert str(store.requests[-1].url).startswith("https://example.com/shop/wp-json/wc/v3/orders?")


async def test_revoked_key_is_keys_invalid_without_retries(fake_sleep: FakeSleep) -> None:
    store = MiniStore()  # knows no key: Basic/query look anonymous, OAuth says "Consumer key is invalid."
    async with make_client(store, fake_sleep) as client:
        with pytest.raises(NeedsReauth) as info:
            await client.get("/wc/v3/orders")
    assert info.value.code == "keys_invalid"
    assert "revoked" in info.value.message
    assert "Reconnect Store" in info.value.fix
    assert fake_sleep.delays == []
    assert client.auth_method is None


async def test_wrong_secret_is_keys_invalid(fake_sleep: FakeSleep) -> None:
    store = store_with_key()
    async with make_client(store, fake_sleep, creds=Credentials(CK, "cs_" + "0" * 40)) as client:
        with pytest.raises(NeedsReauth) as info:
            await client.get("/wc/v3/orders")
    assert info.value.code == "keys_invalid"
    assert "secret" in info.value.message
    assert len(store.requests) == 1


async def test_wrong_secret_over_oauth_only_store(fake_sleep: FakeSleep) -> None:
    store = store_with_key(home_url="http://127.0.0.1:8080")
    async with make_client(
        store, fake_sleep, home="http://127.0.0.1:8080", creds=Credentials(CK, "cs_" + "0" * 40)
    ) as client:
        with pytest.raises(NeedsReauth) as info:
            await client.get("/wc/v3/orders")
    assert info.value.code == "keys_invalid"
    assert [a.outcome for a in client.auth_attempts] == [Outcome.BAD_SIGNATURE, Outcome.BAD_SIGNATURE]


async def test_read_only_key_writing_is_keys_read_only(fake_sleep: FakeSleep) -> None:
    store = store_with_key()
    async with make_client(store, fake_sleep, creds=Credentials(RO_CK, RO_CS)) as client:
        with pytest.raises(NeedsReauth) as info:
            await client.post("/wc/v3/webhooks", json={})
        assert client.auth_method is AuthMethod.BASIC  # the key got through: only its scope is too small
        resp = await client.get("/wc/v3/orders")
    assert info.value.code == "keys_read_only"
    assert info.value.status == 401
    assert resp.status == 200


async def test_user_without_rights_is_permission_denied(fake_sleep: FakeSleep) -> None:
    store = store_with_key(user_can=False)
    async with make_client(store, fake_sleep) as client:
        with pytest.raises(NeedsReauth) as info:
            await client.get("/wc/v3/orders")
    assert info.value.code == "permission_denied" and info.value.status == 403
    assert fake_sleep.delays == []


async def test_remembered_method_is_used_directly_and_relearned_when_it_stops_working(fake_sleep: FakeSleep) -> None:
    store = store_with_key()
    async with make_client(store, fake_sleep, auth_method="query") as client:
        await client.get("/wc/v3/orders")
        assert client.auth_method is AuthMethod.QUERY
        assert len(store.requests) == 1 and "consumer_key=" in str(store.requests[0].url)
        store.is_ssl = False  # the host moved HTTPS to a proxy
        await client.get("/wc/v3/orders")
    assert client.auth_method is AuthMethod.OAUTH_OTHER_SCHEME
    assert client.auth_findings == {"proxy_no_ssl"}


async def test_concurrent_first_calls_run_the_ladder_once(fake_sleep: FakeSleep) -> None:
    store = store_with_key(strip_auth=True)
    async with make_client(store, fake_sleep) as client:
        await asyncio.gather(*(client.get("/wc/v3/orders") for _ in range(8)))
    basic_tries = [r for r in store.requests if "authorization" in r.headers]
    assert len(basic_tries) == 1
    assert len(store.requests) == 9


async def test_plain_permalinks_put_the_route_and_the_wc_marker_in_the_query(fake_sleep: FakeSleep) -> None:
    store = store_with_key()
    root = RestRoot.from_link("https://shop.example.com/index.php?rest_route=/")
    async with make_client(store, fake_sleep, rest_root=root) as client:
        await client.get("/wc/v3/orders", {"per_page": 2})
    raw = store.requests[0].url.raw_path.decode()
    assert raw.startswith("/index.php?rest_route=/wc/v3/orders&")
    assert "_wcauth=/wp-json/wc/" in raw  # literal, unencoded: WooCommerce looks for it in REQUEST_URI


async def test_plain_permalinks_with_oauth_sign_the_marker_too(fake_sleep: FakeSleep) -> None:
    store = store_with_key(home_url="http://127.0.0.1:8080")
    root = RestRoot.plain_for("http://127.0.0.1:8080")
    async with make_client(store, fake_sleep, home="http://127.0.0.1:8080", rest_root=root) as client:
        resp = await client.get("/wc/v3/orders")
    assert resp.status == 200 and client.auth_method is AuthMethod.OAUTH


# --- answers that are not data --------------------------------------------------------------------------------


async def test_php_notices_before_json_return_the_data_and_a_warning(fake_sleep: FakeSleep) -> None:
    def noisy(request: httpx.Request, query: dict[str, str]) -> httpx.Response:
        body = waf_pages.PHP_NOTICE_PREFIX + captures.body_bytes(captures.load("orders/orders-page1-default.json"))
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    store = store_with_key(handler=noisy)
    async with make_client(store, fake_sleep) as client:
        resp = await client.get("/wc/v3/orders")
    assert len(resp.data) == 10
    assert set(client.warnings) == {"php_notices"}
    assert client.warnings["php_notices"].fix


@pytest.mark.parametrize(
    ("page", "vendor"),
    [
        (waf_pages.CLOUDFLARE_CHALLENGE, "Cloudflare"),
        (waf_pages.SITEGROUND_CAPTCHA, "SiteGround"),
        (waf_pages.SUCURI_BLOCK, "Sucuri"),
        (waf_pages.MODSECURITY_406, "ModSecurity"),
        (waf_pages.WORDFENCE_BLOCK, "Wordfence"),
    ],
)
async def test_firewall_answers_are_blocked_not_retried(
    page: tuple[int, dict[str, str], bytes], vendor: str, fake_sleep: FakeSleep
) -> None:
    status, headers, content = page

    def waf(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers=headers, content=content)

    async with make_client(waf, fake_sleep) as client:
        with pytest.raises(Blocked) as info:
            await client.get("/wc/v3/orders")
    assert info.value.vendor == vendor
    assert fake_sleep.delays == []


async def test_maintenance_is_retried_then_reported(fake_sleep: FakeSleep) -> None:
    status, headers, content = waf_pages.MAINTENANCE
    headers = {**headers, "retry-after": "5"}

    def down(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers=headers, content=content)

    async with make_client(down, fake_sleep) as client:
        with pytest.raises(Retriable) as info:
            await client.get("/wc/v3/orders")
    assert info.value.code == "maintenance"
    assert len(fake_sleep.delays) == 3 and all(5 <= d <= 6 for d in fake_sleep.delays)


async def test_redirect_on_an_api_call_is_a_configuration_error(fake_sleep: FakeSleep) -> None:
    def moved(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"location": "https://www.shop.example.com/wp-json/wc/v3/orders"})

    async with make_client(moved, fake_sleep) as client:
        with pytest.raises(Misconfigured) as info:
            await client.get("/wc/v3/orders")
    assert info.value.code == "redirected"
    assert "www.shop.example.com" in info.value.message


async def test_not_found_distinguishes_a_missing_object_from_a_missing_route(fake_sleep: FakeSleep) -> None:
    def handler(request: httpx.Request, query: dict[str, str]) -> httpx.Response:
        if request.url.path.endswith("/subscriptions"):
            return captures.response("resources/subscriptions-no-plugin.json")
        return captures.response("orders/order-single-deleted-permanently.json")

    store = store_with_key(handler=handler)
    async with make_client(store, fake_sleep) as client:
        with pytest.raises(NotFound) as gone:
            await client.get("/wc/v3/orders/142")
        with pytest.raises(NotFound) as no_route:
            await client.get("/wc/v3/subscriptions")
    assert gone.value.code == "not_found" and gone.value.wc_code == "woocommerce_rest_shop_order_invalid_id"
    assert no_route.value.code == "no_route"


async def test_bad_parameter_is_a_data_error_with_details(fake_sleep: FakeSleep) -> None:
    store = store_with_key(handler=lambda r, q: captures.response("errors/per_page-101.json"))
    async with make_client(store, fake_sleep) as client:
        with pytest.raises(DataError) as info:
            await client.get("/wc/v3/orders", {"per_page": 101})
    assert info.value.code == "bad_request"
    assert "per_page must be between 1" in info.value.message
    assert fake_sleep.delays == []


async def test_secrets_never_appear_in_error_urls(fake_sleep: FakeSleep) -> None:
    store = store_with_key(strip_auth=True, handler=lambda r, q: captures.response("errors/page-0.json"))
    async with make_client(store, fake_sleep) as client:
        with pytest.raises(DataError) as info:
            await client.get("/wc/v3/orders", {"page": 0})
    assert info.value.url is not None
    assert CS not in info.value.url and "consumer_secret" not in str(info.value)


# --- retries ---------------------------------------------------------------------------------------------------


async def test_server_errors_are_retried_with_growing_jittered_delays(fake_sleep: FakeSleep) -> None:
    calls = {"n": 0}

    def flaky(request: httpx.Request, query: dict[str, str]) -> httpx.Response | None:
        calls["n"] += 1
        if calls["n"] <= 3:
            return httpx.Response(500, json={"code": "internal_server_error", "message": "x", "data": {"status": 500}})
        return None

    store = store_with_key(handler=list_handler([{"id": 1}], fail=flaky))
    async with make_client(store, fake_sleep) as client:
        resp = await client.get("/wc/v3/orders")
    assert resp.data == [{"id": 1}]
    assert len(fake_sleep.delays) == 3
    for delay, ceiling in zip(fake_sleep.delays, (1.0, 2.0, 4.0), strict=True):
        assert ceiling / 2 <= delay <= ceiling
    assert client.stats.retries == 3


async def test_retries_are_bounded(fake_sleep: FakeSleep) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        return httpx.Response(*waf_pages.NGINX_502[:1], headers=waf_pages.NGINX_502[1], content=waf_pages.NGINX_502[2])

    async with make_client(down, fake_sleep) as client:
        with pytest.raises(Retriable) as info:
            await client.get("/wc/v3/orders")
    assert info.value.code == "server_error" and info.value.status == 502
    assert len(fake_sleep.delays) == 3  # max_attempts=4


async def test_rate_limit_waits_for_retry_after(fake_sleep: FakeSleep) -> None:
    calls = {"n": 0}

    def limited(request: httpx.Request, query: dict[str, str]) -> httpx.Response | None:
        calls["n"] += 1
        if calls["n"] == 1:
            return httpx.Response(429, headers={"retry-after": "7"}, text="Too Many Requests")
        return None

    store = store_with_key(handler=list_handler([{"id": 1}], fail=limited))
    async with make_client(store, fake_sleep) as client:
        await client.get("/wc/v3/orders")
    assert len(fake_sleep.delays) == 1 and 7 <= fake_sleep.delays[0] <= 8


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (httpx.ReadTimeout("read timed out"), "timeout"),
        (httpx.ConnectTimeout("connect timed out"), "unreachable"),
        (httpx.ConnectError("[Errno 111] Connection refused"), "unreachable"),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), "connection_reset"),
        (httpx.ReadError("[Errno 104] Connection reset by peer"), "connection_reset"),
    ],
)
async def test_transport_failures_are_retried_then_typed(exc: Exception, code: str, fake_sleep: FakeSleep) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        raise exc

    async with make_client(broken, fake_sleep) as client:
        with pytest.raises(Retriable) as info:
            await client.get("/wc/v3/orders")
    assert info.value.code == code
    assert len(fake_sleep.delays) == 3


async def test_auth_failures_are_never_retried(fake_sleep: FakeSleep) -> None:
    store = store_with_key()
    async with make_client(store, fake_sleep, creds=Credentials("ck_" + "f" * 40, CS)) as client:
        with pytest.raises(NeedsReauth):
            await client.get("/wc/v3/orders")
    assert fake_sleep.delays == []
    assert len(store.requests) == 3  # basic, query, oauth ("Consumer key is invalid." ends it)


# --- paging ----------------------------------------------------------------------------------------------------

ITEMS = [{"id": i} for i in range(1, 338)]


async def test_iter_pages_reads_every_item_once(fake_sleep: FakeSleep) -> None:
    store = store_with_key(handler=list_handler(ITEMS))
    async with make_client(store, fake_sleep) as client:
        pages = [page async for page in client.iter_pages("/wc/v3/orders", {"status": "any"})]
    assert [item for page in pages for item in page] == ITEMS
    assert [p.per_page for p in pages] == [100, 100, 100, 100]
    assert len(store.requests) == 4  # stops on X-WP-TotalPages, no extra empty page


async def test_page_size_shrinks_on_gateway_errors_and_keeps_position(fake_sleep: FakeSleep) -> None:
    def too_big(request: httpx.Request, query: dict[str, str]) -> httpx.Response | None:
        if int(query.get("per_page", 10)) > 20:
            return httpx.Response(504, text="<html><title>504 Gateway Time-out</title></html>")
        return None

    store = store_with_key(handler=list_handler(ITEMS, fail=too_big))
    config = ClientConfig(retry=RetryPolicy(max_attempts=5, rng=random.Random(0)), page_grow_after=3)
    async with make_client(store, fake_sleep, config=config) as client:
        items = await client.fetch_all("/wc/v3/orders")
    assert items == ITEMS
    sizes = [int(dict(r.url.params)["per_page"]) for r in store.requests]
    assert sizes[:3] == [100, 50, 20]
    assert max(sizes[3:]) <= 50  # after 3 successes at 20 it tries 50 again, fails, and goes back down
    assert client.stats.shrinks >= 2


async def test_page_size_shrinks_on_timeouts(fake_sleep: FakeSleep) -> None:
    def slow(request: httpx.Request, query: dict[str, str]) -> httpx.Response | None:
        if int(query.get("per_page", 10)) > 5:
            raise httpx.ReadTimeout("timed out")
        return None

    store = store_with_key(handler=list_handler(ITEMS[:12], fail=slow))
    config = ClientConfig(retry=RetryPolicy(max_attempts=5, rng=random.Random(0)))
    async with make_client(store, fake_sleep, config=config) as client:
        pages = [p async for p in client.iter_pages("/wc/v3/orders")]
    assert [p.per_page for p in pages] == [5, 5, 5]
    assert [i for p in pages for i in p] == ITEMS[:12]


async def test_a_short_page_does_not_end_the_listing(fake_sleep: FakeSleep) -> None:
    """WooCommerce drops objects it can't load after counting them: page 1 may hold 98 of 100."""
    base = list_handler(ITEMS)

    def drops(request: httpx.Request, query: dict[str, str]) -> httpx.Response:
        resp = base(request, query)
        if query.get("page") == "1":
            data = resp.json()[:-2]
            return httpx.Response(200, json=data, headers={k: v for k, v in resp.headers.items() if k.startswith("x-")})
        return resp

    store = store_with_key(handler=drops)
    async with make_client(store, fake_sleep) as client:
        items = await client.fetch_all("/wc/v3/orders")
    assert len(items) == len(ITEMS) - 2
    assert items[-1] == ITEMS[-1]


async def test_listing_without_total_headers_ends_on_a_short_or_empty_page(fake_sleep: FakeSleep) -> None:
    base = list_handler(ITEMS[:150])

    def no_headers(request: httpx.Request, query: dict[str, str]) -> httpx.Response:
        return httpx.Response(200, json=base(request, query).json())

    store = store_with_key(handler=no_headers)
    async with make_client(store, fake_sleep) as client:
        items = await client.fetch_all("/wc/v3/orders")
    assert items == ITEMS[:150]


async def test_page_past_the_end_is_empty_with_zero_totals(fake_sleep: FakeSleep) -> None:
    store = store_with_key(handler=lambda r, q: captures.response("orders/orders-page-beyond-last.json"))
    async with make_client(store, fake_sleep) as client:
        page = await client.get_page("/wc/v3/orders", page=21, per_page=100)
    assert page.items == [] and page.total == 0 and page.total_pages == 0
    assert page.is_last()


async def test_empty_listing_yields_nothing(fake_sleep: FakeSleep) -> None:
    store = store_with_key(handler=list_handler([]))
    async with make_client(store, fake_sleep) as client:
        assert [p async for p in client.iter_pages("/wc/v3/orders")] == []


# --- concurrency -----------------------------------------------------------------------------------------------


async def test_concurrency_is_capped_per_store(fake_sleep: FakeSleep) -> None:
    state = {"now": 0, "max": 0}
    release = asyncio.Event()
    store = store_with_key()

    async def slow(request: httpx.Request) -> httpx.Response:
        state["now"] += 1
        state["max"] = max(state["max"], state["now"])
        if state["now"] >= 3:
            release.set()
        await release.wait()
        await asyncio.sleep(0)
        state["now"] -= 1
        return store(request)

    config = ClientConfig(concurrency=3)
    async with make_client(slow, fake_sleep, config=config, auth_method="basic") as client:
        await asyncio.gather(*(client.get("/wc/v3/orders") for _ in range(12)))
    assert state["max"] == 3


async def test_query_keys_and_signatures_are_redacted_from_httpx_logs(
    fake_sleep: FakeSleep, caplog: pytest.LogCaptureFixture
) -> None:
    store = store_with_key(strip_auth=True)
    with caplog.at_level("INFO", logger="httpx"):
        async with make_client(store, fake_sleep) as client:
            await client.get("/wc/v3/orders")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "consumer_secret=[redacted]" in logged
    assert CS not in logged


async def test_maintenance_as_wp_die_json_is_maintenance_not_rate_limiting(fake_sleep: FakeSleep) -> None:
    """wp_maintenance() answers API clients (Accept: application/json) with wp_die's JSON and Retry-After: 600."""
    body = {
        "code": "wp_die",
        "message": "Briefly unavailable for scheduled maintenance. Check back in a minute.",
        "data": {"status": 503},
        "additional_errors": [],
    }

    def down(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, json=body, headers={"retry-after": "600"})

    async with make_client(down, fake_sleep) as client:
        with pytest.raises(Retriable) as info:
            await client.get("/wc/v3/orders")
    assert info.value.code == "maintenance" and info.value.retry_after == 600
    assert fake_sleep.delays == []  # ten minutes is longer than a sync waits: report now, retry next pass


async def test_a_plugin_claiming_the_authorization_header_is_not_called_a_stripped_header(
    fake_sleep: FakeSleep,
) -> None:
    store = store_with_key()

    def jwt_plugin(request: httpx.Request) -> httpx.Response:
        if "authorization" in request.headers:
            return wc_error(403, "jwt_auth_bad_auth_header", "Authorization header malformed.")
        return store(request)

    async with make_client(jwt_plugin, fake_sleep) as client:
        await client.get("/wc/v3/orders")
    assert client.auth_method is AuthMethod.QUERY
    assert client.auth_findings == set()

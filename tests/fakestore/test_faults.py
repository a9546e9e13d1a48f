"""Misbehaviour on demand: each mode of the fault middleware, the fault rates, and connection drops on a socket."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from fakestore import faults
from fakestore.config import FakeStoreConfig
from tests.fakestore.edge_servers import ServerThread, bound_socket

HOME = "https://127.0.0.1:8443"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def wordpress_like_app() -> Starlette:
    """Stands in for the store behind the middleware: a REST route that honours a key, a home page, an admin route."""

    async def orders(request: Request) -> Response:
        key = request.query_params.get("consumer_key")
        if key not in ("ck_good", "ck_other"):
            return JSONResponse({"code": "woocommerce_rest_cannot_view"}, status_code=401)
        return JSONResponse([{"id": 1, "seen_with": key}], headers={"X-WP-Total": "1"})

    async def create(request: Request) -> Response:
        return JSONResponse({"id": 2}, status_code=201)

    async def home(request: Request) -> Response:
        return HTMLResponse("<html>home</html>", headers={"Link": f'<{HOME}/wp-json/>; rel="https://api.w.org/"'})

    async def admin(request: Request) -> Response:
        return JSONResponse({"admin": True})

    return Starlette(
        routes=[
            Route("/wp-json/wc/v3/orders", orders, methods=["GET"]),
            Route("/wp-json/wc/v3/orders", create, methods=["POST"]),
            Route("/", home),
            Route("/__fakestore/", admin),
        ]
    )


def make(**config: Any) -> tuple[Any, SimpleNamespace]:
    store = SimpleNamespace(config=FakeStoreConfig(home_url=HOME, **config))
    return faults.wrap(wordpress_like_app(), store), store


def client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=HOME)


@pytest.mark.anyio
async def test_maintenance_mode_answers_503_with_retry_after_and_wordpress_text_everywhere() -> None:
    app, store = make()
    store.config.set_modes({"maintenance"})
    async with client(app) as c:
        page = await c.get("/")
        api = await c.get("/wp-json/wc/v3/orders", headers={"Accept": "application/json"})
    assert page.status_code == 503
    assert page.headers["retry-after"] == "600"
    assert page.headers["content-type"].startswith("text/html")
    assert "Briefly unavailable for scheduled maintenance. Check back in a minute." in page.text
    assert "<title>Maintenance</title>" in page.text
    assert api.status_code == 503
    assert api.json() == {
        "code": "wp_die",
        "message": "Briefly unavailable for scheduled maintenance. Check back in a minute.",
        "data": {"status": 503},
        "additional_errors": [],
    }


@pytest.mark.anyio
async def test_waf_cloudflare_answers_403_html_challenge_with_cf_headers() -> None:
    app, store = make()
    store.config.set_modes({"waf-cloudflare"})
    async with client(app) as c:
        response = await c.get("/wp-json/wc/v3/orders", params={"consumer_key": "ck_good"})
    assert response.status_code == 403
    assert response.headers["cf-mitigated"] == "challenge"
    assert response.headers["server"] == "cloudflare"
    assert response.headers["cf-ray"].endswith("-IAD")
    assert response.headers["content-type"].startswith("text/html")
    assert "<title>Just a moment...</title>" in response.text


@pytest.mark.anyio
async def test_waf_siteground_answers_202_meta_refresh_with_sg_captcha_header() -> None:
    app, store = make()
    store.config.set_modes({"waf-siteground"})
    async with client(app) as c:
        response = await c.get("/wp-json/wc/v3/orders", params={"per_page": "5"})
    assert response.status_code == 202
    assert response.headers["sg-captcha"] == "challenge"
    assert '<meta http-equiv="refresh" content="0;/.well-known/sgcaptcha/?r=%2Fwp-json%2Fwc%2Fv3%2Forders' in (
        response.text
    )
    with pytest.raises(ValueError):
        response.json()


@pytest.mark.anyio
async def test_not_wordpress_serves_a_plain_site_without_api_link_and_404s_the_rest_api() -> None:
    app, store = make()
    store.config.set_modes({"not-wordpress"})
    async with client(app) as c:
        home = await c.get("/")
        index = await c.get("/wp-json/")
    assert home.status_code == 200
    assert "link" not in home.headers
    assert "api.w.org" not in home.text
    assert index.status_code == 404
    assert index.headers["content-type"] == "text/html"
    assert "404 Not Found" in index.text


@pytest.mark.anyio
async def test_php_notices_come_before_the_json_with_status_and_content_type_kept() -> None:
    app, store = make()
    store.config.set_modes({"php-notices"})
    async with client(app) as c:
        api = await c.get("/wp-json/wc/v3/orders", params={"consumer_key": "ck_good"})
        home = await c.get("/")
    assert api.status_code == 200
    assert api.headers["content-type"] == "application/json"
    assert api.text.startswith("<br />\n<b>Warning</b>:  Undefined array key")
    assert " on line <b>42</b><br />\n[" in api.text
    assert int(api.headers["content-length"]) == len(api.content)
    with pytest.raises(ValueError):
        api.json()
    assert home.text == "<html>home</html>"


@pytest.mark.anyio
async def test_cache_mode_replays_the_first_answer_to_any_key_or_none_with_hit_headers() -> None:
    app, store = make()
    store.config.set_modes({"cache"})
    async with client(app) as c:
        first = await c.get("/wp-json/wc/v3/orders", params={"per_page": "5", "consumer_key": "ck_good"})
        other_key = await c.get("/wp-json/wc/v3/orders", params={"per_page": "5", "consumer_key": "ck_other"})
        no_key = await c.get("/wp-json/wc/v3/orders", params={"per_page": "5"})
        other_query = await c.get("/wp-json/wc/v3/orders", params={"per_page": "6"})
    assert first.headers["x-cache"] == "MISS"
    assert first.json() == [{"id": 1, "seen_with": "ck_good"}]
    for replay in (other_key, no_key):
        assert replay.status_code == 200
        assert replay.headers["x-cache"] == "HIT"
        assert int(replay.headers["age"]) >= 0
        assert replay.json() == [{"id": 1, "seen_with": "ck_good"}]
        assert replay.headers["x-wp-total"] == "1"
    assert other_query.status_code == 401  # a different query is a different page, and 401s are not stored
    assert faults.state(store).stats["cache_hit"] == 2


@pytest.mark.anyio
async def test_cache_mode_passes_writes_through_and_never_caches_the_admin_endpoint() -> None:
    app, store = make()
    store.config.set_modes({"cache"})
    async with client(app) as c:
        created = [await c.post("/wp-json/wc/v3/orders") for _ in range(2)]
        admin = [await c.get("/__fakestore/") for _ in range(2)]
    assert [r.status_code for r in created] == [201, 201]
    assert all("x-cache" not in r.headers for r in created + admin)


@pytest.mark.anyio
async def test_admin_endpoint_is_exempt_from_every_mode_and_fault() -> None:
    app, store = make()
    store.config.set_modes({"maintenance", "waf-cloudflare"})
    store.config.faults.error_5xx_rate = 1.0
    async with client(app) as c:
        response = await c.get("/__fakestore/")
    assert response.json() == {"admin": True}


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("setting", "status", "content_type"),
    [
        ("rate_limit_rate", 429, "text/html"),
        ("error_5xx_rate", 500, "application/json; charset=UTF-8"),
        ("html_502_rate", 502, "text/html"),
    ],
)
async def test_a_fault_rate_of_one_answers_every_request_with_that_fault(
    setting: str, status: int, content_type: str
) -> None:
    app, store = make()
    setattr(store.config.faults, setting, 1.0)
    store.config.faults.retry_after_s = 7
    async with client(app) as c:
        responses = [await c.get("/wp-json/wc/v3/orders") for _ in range(3)]
    assert {r.status_code for r in responses} == {status}
    assert responses[0].headers["content-type"] == content_type
    if status == 429:
        assert responses[0].headers["retry-after"] == "7"
    if status == 500:
        assert responses[0].json()["code"] == "internal_server_error"
        assert "There has been a critical error on this website." in responses[0].json()["message"]
    if status == 502:
        assert "<h1>502 Bad Gateway</h1>" in responses[0].text


@pytest.mark.anyio
async def test_fault_rates_are_drawn_from_the_seeded_rng_so_runs_repeat() -> None:
    async def statuses(seed: int) -> list[int]:
        app, store = make(seed=seed)
        store.config.faults.error_5xx_rate = 0.3
        store.config.faults.rate_limit_rate = 0.2
        async with client(app) as c:
            responses = [await c.get("/wp-json/wc/v3/orders", params={"consumer_key": "ck_good"}) for _ in range(100)]
        return [r.status_code for r in responses]

    first, again, other = await statuses(5), await statuses(5), await statuses(6)
    assert first == again
    assert first != other
    assert 15 <= first.count(500) <= 45  # 30 % of 100
    assert 8 <= first.count(429) <= 32  # 20 % of 100
    assert first.count(200) == 100 - first.count(500) - first.count(429)


@pytest.mark.anyio
async def test_latency_delays_each_answer_by_at_least_the_configured_milliseconds() -> None:
    app, store = make()
    store.config.faults.latency_ms = 60
    store.config.faults.jitter_ms = 20
    async with client(app) as c:
        started = time.perf_counter()
        await c.get("/")
        elapsed_ms = (time.perf_counter() - started) * 1000
    assert 60 <= elapsed_ms < 1000


@pytest.mark.anyio
async def test_in_process_reset_and_timeout_raise_the_errors_httpx_gives_for_a_real_server() -> None:
    app, store = make()
    store.config.faults.reset_rate = 1.0
    async with client(app) as c:
        with pytest.raises(httpx.RemoteProtocolError):
            await c.get("/")
    store.config.faults.reset_rate = 0.0
    store.config.faults.timeout_rate = 1.0
    store.config.faults.timeout_s = 0.01
    async with client(app) as c:
        with pytest.raises(httpx.ReadTimeout):
            await c.get("/")


def test_on_a_real_socket_a_reset_closes_the_connection_without_any_answer() -> None:
    app, store = make()
    store.config.faults.reset_rate = 1.0
    with ServerThread(app, bound_socket(), lifespan="off") as server, httpx.Client() as c:
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            c.get(f"http://127.0.0.1:{server.port}/wp-json/wc/v3/orders")
        store.config.faults.reset_rate = 0.0
        assert c.get(f"http://127.0.0.1:{server.port}/").status_code == 200
    assert faults.state(store).stats["reset"] == 1


def test_on_a_real_socket_a_timeout_hangs_then_drops_the_connection() -> None:
    app, store = make()
    store.config.faults.timeout_rate = 1.0
    store.config.faults.timeout_s = 0.2
    with (
        ServerThread(app, bound_socket(), lifespan="off") as server,
        httpx.Client(timeout=0.05) as c,
        pytest.raises(httpx.ReadTimeout),
    ):
        c.get(f"http://127.0.0.1:{server.port}/")
    with ServerThread(app, bound_socket(), lifespan="off") as server, httpx.Client(timeout=5) as c:
        started = time.perf_counter()
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            c.get(f"http://127.0.0.1:{server.port}/")
        assert time.perf_counter() - started >= 0.2


# --- the same modes in front of the real fake store -----------------------------------------------------------


def real_store(*modes: str) -> tuple[Any, Any, tuple[str, str]]:
    from fakestore.app import create_app

    config = FakeStoreConfig(home_url=HOME, orders=20)
    config.set_modes(set(modes))
    app = create_app(config)
    key = app.state.store.accounts.create_key(1, "faults", "read_write")
    return app, app.state.store, (key.consumer_key, key.consumer_secret)


@pytest.mark.anyio
async def test_real_store_php_notices_break_json_parsing_of_authenticated_answers() -> None:
    app, _, auth = real_store("php-notices")
    async with client(app) as c:
        response = await c.get("/wp-json/wc/v3/orders", params={"per_page": 2}, auth=auth)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=UTF-8"
    assert response.headers["x-wp-total"]
    notice, _, payload = response.text.partition("<br />\n[")
    assert notice.startswith("<br />\n<b>Warning</b>")
    assert len(httpx.Response(200, content=("[" + payload).encode()).json()) == 2


@pytest.mark.anyio
async def test_real_store_cache_gives_any_caller_the_first_authenticated_answer() -> None:
    app, store, auth = real_store("cache")
    async with client(app) as c:
        first = await c.get("/wp-json/wc/v3/orders", params={"per_page": 3}, auth=auth)
        anonymous = await c.get("/wp-json/wc/v3/orders", params={"per_page": 3})
        wrong = await c.get("/wp-json/wc/v3/orders", params={"per_page": 3}, auth=("ck_nobody", "cs_nothing"))
        store.config.set_modes(set())
        honest = await c.get("/wp-json/wc/v3/orders", params={"per_page": 3})
    assert first.status_code == 200 and first.headers["x-cache"] == "MISS"
    for replay in (anonymous, wrong):
        assert (replay.status_code, replay.headers["x-cache"], replay.content) == (200, "HIT", first.content)
    assert honest.status_code == 401


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("mode", "status", "marker"),
    [
        ("maintenance", 503, "Briefly unavailable for scheduled maintenance."),
        ("waf-cloudflare", 403, "Just a moment..."),
        ("waf-siteground", 202, "/.well-known/sgcaptcha/"),
        ("not-wordpress", 404, "404 Not Found"),
    ],
)
async def test_real_store_hostile_modes_hide_the_rest_api(mode: str, status: int, marker: str) -> None:
    app, _, auth = real_store(mode)
    async with client(app) as c:
        response = await c.get("/wp-json/wc/v3/orders", auth=auth)
        home = await c.get("/")
    assert response.status_code == status
    assert marker in response.text
    assert "api.w.org" not in home.headers.get("link", "")

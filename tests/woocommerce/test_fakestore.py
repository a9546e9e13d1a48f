"""The store seam against the fake WooCommerce (in-process, httpx.ASGITransport): every mode a real store shows."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest

from fakestore.app import create_app
from fakestore.config import FakeStoreConfig
from storelens.woocommerce.auth import AuthMethod, Credentials
from storelens.woocommerce.client import ClientConfig, StoreClient
from storelens.woocommerce.dates import gmt_filter, parse_gmt
from storelens.woocommerce.discovery import discover
from storelens.woocommerce.errors import Blocked, Misconfigured, NeedsReauth, NotFound, Retriable
from storelens.woocommerce.retry import RetryPolicy
from storelens.woocommerce.store_details import describe_store

from .conftest import FakeSleep

pytestmark = pytest.mark.anyio

HTTPS_HOME = "https://127.0.0.1:8443"
HTTP_HOME = "http://127.0.0.1:8080"
HISTORY_END = "2026-11-28"


@dataclass
class Fake:
    app: Any
    transport: httpx.ASGITransport
    home: str
    key: Any

    @property
    def store(self) -> Any:
        return self.app.store

    @property
    def credentials(self) -> Credentials:
        return Credentials(self.key.consumer_key, self.key.consumer_secret)

    def client(self, fake_sleep: FakeSleep, *, credentials: Credentials | None = None, **kw: Any) -> StoreClient:
        config = kw.pop("config", None) or ClientConfig(
            allow_private=True, retry=RetryPolicy(max_attempts=8, rng=random.Random(5))
        )
        return StoreClient(
            self.home,
            credentials=credentials or self.credentials,
            config=config,
            transport=self.transport,
            sleep=fake_sleep,
            **kw,
        )


def make_fake(modes: set[str] | None = None, *, home: str = HTTPS_HOME, orders: int = 120, **cfg: Any) -> Fake:
    faults = cfg.pop("faults", None)
    config = FakeStoreConfig(home_url=home, orders=orders, seed=11, history_end=HISTORY_END, **cfg)
    config.set_modes(modes or set())
    if faults:
        for name, value in faults.items():
            setattr(config.faults, name, value)
    app = create_app(config)
    key = app.store.accounts.create_key(1, "Storelens", cfg.get("permissions", "read_write"))
    return Fake(app, httpx.ASGITransport(app=app), home, key)


@contextmanager
def no_faults(fake: Fake) -> Iterator[None]:
    saved = vars(fake.store.config.faults).copy()
    for name in ("error_5xx_rate", "html_502_rate", "timeout_rate", "reset_rate", "rate_limit_rate"):
        setattr(fake.store.config.faults, name, 0.0)
    try:
        yield
    finally:
        vars(fake.store.config.faults).update(saved)


# --- the auth ladder in every mode where WooCommerce works -------------------------------------------------------


@pytest.mark.parametrize(
    ("modes", "home", "method", "findings"),
    [
        (set(), HTTPS_HOME, AuthMethod.BASIC, set()),
        ({"strip-auth"}, HTTPS_HOME, AuthMethod.QUERY, {"auth_header_stripped"}),
        ({"proxy-no-ssl"}, HTTPS_HOME, AuthMethod.OAUTH_OTHER_SCHEME, {"proxy_no_ssl"}),
        ({"plain-permalinks"}, HTTPS_HOME, AuthMethod.BASIC, set()),
        ({"plain-permalinks", "strip-auth"}, HTTPS_HOME, AuthMethod.QUERY, {"auth_header_stripped"}),
        ({"plain-permalinks", "proxy-no-ssl"}, HTTPS_HOME, AuthMethod.OAUTH_OTHER_SCHEME, {"proxy_no_ssl"}),
        ({"php-notices"}, HTTPS_HOME, AuthMethod.BASIC, set()),
        ({"legacy-woocommerce"}, HTTPS_HOME, AuthMethod.BASIC, set()),
        (set(), HTTP_HOME, AuthMethod.OAUTH, set()),
        ({"plain-permalinks"}, HTTP_HOME, AuthMethod.OAUTH, set()),
        ({"strip-auth"}, HTTP_HOME, AuthMethod.OAUTH, set()),
    ],
)
async def test_discover_then_read_every_order_in_each_working_mode(
    modes: set[str], home: str, method: AuthMethod, findings: set[str], fake_sleep: FakeSleep
) -> None:
    fake = make_fake(modes, home=home)
    info = await discover(home, transport=fake.transport, allow_private=True, sleep=fake_sleep)
    assert info.home_url == home and info.has_woocommerce
    assert info.plain_permalinks == ("plain-permalinks" in modes)
    async with StoreClient(
        info.home_url,
        rest_root=info.rest_root,
        credentials=fake.credentials,
        config=ClientConfig(allow_private=True),
        transport=fake.transport,
        sleep=fake_sleep,
    ) as client:
        details = await describe_store(client)
        first = await client.get_page("/wc/v3/orders", {"status": "any"}, per_page=10)
        orders = await client.fetch_all("/wc/v3/orders", {"status": "any", "_fields": "id,status"})
    assert client.auth_method is method and details.auth_method is method
    assert client.auth_findings == findings
    assert details.permissions == "read_write" and details.currency == "USD"
    assert details.has_refunds_route is ("legacy-woocommerce" not in modes)
    if "legacy-woocommerce" not in modes:
        assert details.supports_modified_after is True
    assert len(orders) == first.total and len({o["id"] for o in orders}) == len(orders)
    assert ("php_notices" in client.warnings) is ("php-notices" in modes)
    assert fake_sleep.delays == []


async def test_legacy_woocommerce_that_ignores_modified_after_is_flagged(fake_sleep: FakeSleep) -> None:
    fake = make_fake({"legacy-woocommerce"})
    async with fake.client(fake_sleep) as client:
        details = await describe_store(client)
    assert details.supports_modified_after is False
    assert "legacy_woocommerce" in {w.code for w in details.warnings}


@pytest.mark.parametrize(
    ("modes", "error", "code", "vendor"),
    [
        ({"waf-cloudflare"}, Blocked, "waf_challenge", "Cloudflare"),
        ({"waf-siteground"}, Blocked, "waf_challenge", "SiteGround"),
        ({"rest-disabled"}, Misconfigured, "rest_disabled", None),
        ({"maintenance"}, Retriable, "maintenance", None),
        ({"no-woocommerce"}, Misconfigured, "not_woocommerce", None),
        ({"not-wordpress"}, Misconfigured, "not_wordpress", None),
    ],
)
async def test_discovery_names_what_stands_in_the_way(
    modes: set[str], error: type[Exception], code: str, vendor: str | None, fake_sleep: FakeSleep
) -> None:
    fake = make_fake(modes)
    with pytest.raises(error) as info:
        await discover(HTTPS_HOME, transport=fake.transport, allow_private=True, sleep=fake_sleep)
    assert info.value.code == code  # type: ignore[attr-defined]
    assert info.value.vendor == vendor  # type: ignore[attr-defined]
    assert info.value.fix  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("modes", "error", "code"),
    [
        ({"waf-cloudflare"}, Blocked, "waf_challenge"),
        ({"waf-siteground"}, Blocked, "waf_challenge"),
        ({"maintenance"}, Retriable, "maintenance"),
        ({"rest-disabled"}, Misconfigured, "rest_disabled"),
    ],
)
async def test_a_connected_store_that_turns_hostile_raises_typed_errors(
    modes: set[str], error: type[Exception], code: str, fake_sleep: FakeSleep
) -> None:
    fake = make_fake()
    async with fake.client(fake_sleep) as client:
        await client.get("/wc/v3/orders", {"per_page": 1})
        fake.store.config.set_modes(modes)
        with pytest.raises(error) as info:
            await client.get("/wc/v3/orders", {"per_page": 1})
    assert info.value.code == code  # type: ignore[attr-defined]


async def test_page_cache_in_front_of_the_api_is_reported(fake_sleep: FakeSleep) -> None:
    fake = make_fake({"cache"})
    async with fake.client(fake_sleep) as client:
        await client.get("/wc/v3/orders", {"per_page": 2})
        await client.get("/wc/v3/orders", {"per_page": 2})
    assert "caching" in client.warnings


# --- keys --------------------------------------------------------------------------------------------------------


async def test_revoked_key_needs_reauthorization(fake_sleep: FakeSleep) -> None:
    fake = make_fake()
    async with fake.client(fake_sleep) as client:
        await client.get("/wc/v3/orders", {"per_page": 1})
        fake.store.accounts.delete_key(fake.key.key_id)
        with pytest.raises(NeedsReauth) as info:
            await client.get("/wc/v3/orders", {"per_page": 1})
    assert info.value.code == "keys_invalid"
    assert fake_sleep.delays == []


async def test_revoked_key_on_an_oauth_store(fake_sleep: FakeSleep) -> None:
    fake = make_fake(home=HTTP_HOME)
    fake.store.accounts.delete_key(fake.key.key_id)
    async with fake.client(fake_sleep) as client:
        with pytest.raises(NeedsReauth) as info:
            await client.get("/wc/v3/orders")
    assert info.value.code == "keys_invalid" and info.value.message.startswith("Your store does not know")


async def test_wrong_secret(fake_sleep: FakeSleep) -> None:
    fake = make_fake()
    wrong = Credentials(fake.key.consumer_key, "cs_" + "0" * 40)
    async with fake.client(fake_sleep, credentials=wrong) as client:
        with pytest.raises(NeedsReauth) as info:
            await client.get("/wc/v3/orders")
    assert info.value.code == "keys_invalid" and "secret" in info.value.message


async def test_read_only_key_is_detected_and_cannot_write(fake_sleep: FakeSleep) -> None:
    fake = make_fake()
    ro = fake.store.accounts.create_key(1, "Storelens", "read")
    creds = Credentials(ro.consumer_key, ro.consumer_secret)
    async with fake.client(fake_sleep, credentials=creds) as client:
        details = await describe_store(client)
        with pytest.raises(NeedsReauth) as info:
            await client.post("/wc/v3/webhooks", json={"name": "x"})
    assert details.permissions == "read"
    assert info.value.code == "keys_read_only"


async def test_permission_probe_creates_no_webhook(fake_sleep: FakeSleep) -> None:
    fake = make_fake()
    async with fake.client(fake_sleep) as client:
        details = await describe_store(client)
        hooks = await client.get("/wc/v3/webhooks")
    assert details.permissions == "read_write"
    assert hooks.data == []


async def test_user_who_lost_their_role_is_permission_denied(fake_sleep: FakeSleep) -> None:
    fake = make_fake()
    fake.store.accounts.set_role(fake.key.user_id, "customer")
    async with fake.client(fake_sleep) as client:
        with pytest.raises(NeedsReauth) as info:
            await client.get("/wc/v3/orders")
    assert info.value.code == "permission_denied" and info.value.status == 403


# --- paging, filters, retries ------------------------------------------------------------------------------------


async def test_paging_reads_a_few_hundred_orders_exactly_once(fake_sleep: FakeSleep) -> None:
    fake = make_fake(orders=430)
    async with fake.client(fake_sleep) as client:
        pages = [p async for p in client.iter_pages("/wc/v3/orders", {"status": "any", "orderby": "id"})]
        past_end = await client.get_page("/wc/v3/orders", {"status": "any"}, page=999, per_page=100)
        trash = await client.fetch_all("/wc/v3/orders", {"status": "trash", "_fields": "id"})
    ids = [o["id"] for p in pages for o in p]
    assert len(ids) == len(set(ids)) == pages[0].total
    assert ids == sorted(ids, reverse=True)
    assert pages[-1].page == pages[0].total_pages
    assert past_end.items == [] and past_end.total == 0 and past_end.is_last()
    assert not set(ids) & {o["id"] for o in trash}


async def test_modified_after_window_in_naive_utc_matches_the_gmt_dates(fake_sleep: FakeSleep) -> None:
    fake = make_fake(orders=200, timezone="Asia/Tokyo")
    async with fake.client(fake_sleep) as client:
        everything = await client.fetch_all("/wc/v3/orders", {"status": "any", "_fields": "id,date_modified_gmt"})
        moments = sorted(parse_gmt(o["date_modified_gmt"]) for o in everything)
        cursor = moments[len(moments) // 2]
        window = await client.fetch_all(
            "/wc/v3/orders",
            {"status": "any", "_fields": "id", "orderby": "modified", "order": "asc"}
            | gmt_filter(modified_after=cursor - timedelta(seconds=0), modified_before=moments[-1] + timedelta(1)),
        )
    expected = {o["id"] for o in everything if parse_gmt(o["date_modified_gmt"]) > cursor}
    assert {o["id"] for o in window} == expected  # strictly after, read as UTC, even for a Tokyo store


async def test_reads_stay_exact_under_5xx_502_429_resets_timeouts_and_php_notices(fake_sleep: FakeSleep) -> None:
    clean = make_fake(orders=300)
    faulty = make_fake(
        {"php-notices"},
        orders=300,
        faults={
            "error_5xx_rate": 0.1,
            "html_502_rate": 0.05,
            "rate_limit_rate": 0.05,
            "retry_after_s": 2,
            "reset_rate": 0.05,
            "timeout_rate": 0.05,
            "timeout_s": 0.001,
        },
    )
    params = {"status": "any", "orderby": "id", "order": "asc"}
    async with clean.client(FakeSleep()) as client:
        expected = await client.fetch_all("/wc/v3/orders", params)
    async with faulty.client(fake_sleep) as client:
        got = await client.fetch_all("/wc/v3/orders", params, max_per_page=20)
        refunds = await client.fetch_all("/wc/v3/refunds")
    assert got == expected
    assert client.stats.retries > 0 and len(fake_sleep.delays) == client.stats.retries
    assert any(d >= 2 for d in fake_sleep.delays)  # a 429's Retry-After was honoured
    assert len({r["id"] for r in refunds}) == len(refunds)
    assert "php_notices" in client.warnings


async def test_single_objects_and_missing_ones(fake_sleep: FakeSleep) -> None:
    fake = make_fake()
    async with fake.client(fake_sleep) as client:
        some = await client.get_page("/wc/v3/orders", per_page=1)
        order_id = some.items[0]["id"]
        one = await client.get(f"/wc/v3/orders/{order_id}")
        with pytest.raises(NotFound) as missing:
            await client.get("/wc/v3/orders/99999999")
        with pytest.raises(NotFound) as no_route:
            await client.get("/wc/v3/subscriptions")
    assert one.data["id"] == order_id
    assert missing.value.code == "not_found" and no_route.value.code == "no_route"

"""The fake's admin endpoint: switching modes and faults at run time, keys, users, deliveries, access rules."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from fakestore.config import FakeStoreConfig
from tests.fakestore.admin_harness import admin_app

HOME = "https://127.0.0.1:8443"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def client(app: Any, host: str = "127.0.0.1", **headers: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(host, 50123))
    return httpx.AsyncClient(transport=transport, base_url=HOME, headers=headers)


@pytest.fixture
def setup() -> tuple[Any, Any]:
    return admin_app(FakeStoreConfig(home_url=HOME, orders=10))


@pytest.mark.anyio
async def test_state_shows_modes_faults_and_counts(setup: tuple[Any, Any]) -> None:
    app, _store = setup
    async with client(app) as c:
        state = (await c.get("/__fakestore/")).json()
    assert state["home_url"] == HOME
    assert state["modes"] == []
    assert "waf-cloudflare" in state["known_modes"]
    assert state["faults"]["error_5xx_rate"] == 0.0
    assert state["users"] == 1
    assert state["data"]["orders"] == 10


@pytest.mark.anyio
async def test_modes_switch_at_run_time_and_the_next_request_sees_them(setup: tuple[Any, Any]) -> None:
    app, store = setup
    async with client(app) as c:
        assert (await c.put("/__fakestore/modes", json={"modes": ["maintenance"]})).json() == {"modes": ["maintenance"]}
        assert (await c.get("/")).status_code == 503
        edited = await c.put("/__fakestore/modes", json={"add": ["php-notices"], "remove": ["maintenance"]})
        assert edited.json() == {"modes": ["php-notices"]}
        assert (await c.get("/")).status_code == 200
        bad = await c.put("/__fakestore/modes", json={"modes": ["waf-akamai"]})
    assert bad.status_code == 400
    assert "unknown mode(s): waf-akamai" in bad.json()["error"]
    assert store.config.modes == {"php-notices"}


@pytest.mark.anyio
async def test_fault_rates_change_at_run_time_and_are_validated(setup: tuple[Any, Any]) -> None:
    app, store = setup
    async with client(app) as c:
        changed = await c.put("/__fakestore/faults", json={"html_502_rate": 1, "retry_after_s": 5, "seed": 3})
        assert changed.json()["html_502_rate"] == 1.0
        assert (await c.get("/")).status_code == 502
        await c.put("/__fakestore/faults", json={"html_502_rate": 0})
        assert (await c.get("/")).status_code == 200
        too_big = await c.put("/__fakestore/faults", json={"reset_rate": 1.5})
        unknown = await c.put("/__fakestore/faults", json={"explode_rate": 0.1})
    assert too_big.status_code == 400 and "between 0 and 1" in too_big.json()["error"]
    assert unknown.status_code == 400 and "explode_rate" in unknown.json()["error"]
    assert store.config.faults.retry_after_s == 5


@pytest.mark.anyio
async def test_keys_can_be_created_listed_and_revoked(setup: tuple[Any, Any]) -> None:
    app, store = setup
    async with client(app) as c:
        created = await c.post("/__fakestore/keys", json={"permissions": "read", "app_name": "Tests"})
        key = created.json()
        assert created.status_code == 201
        assert key["consumer_key"].startswith("ck_") and len(key["consumer_key"]) == 43
        assert key["description"].startswith("Tests - API (")
        chosen = await c.post(
            "/__fakestore/keys", json={"consumer_key": "ck_" + "a" * 40, "consumer_secret": "cs_" + "b" * 40}
        )
        assert chosen.json()["permissions"] == "read_write"
        assert {k["key_id"] for k in (await c.get("/__fakestore/keys")).json()} == {
            key["key_id"],
            chosen.json()["key_id"],
        }
        revoked = await c.delete(f"/__fakestore/keys/{key['key_id']}")
        assert revoked.json() == {"revoked": key["key_id"]}
        assert (await c.delete(f"/__fakestore/keys/{key['key_id']}")).status_code == 404
        duplicate = await c.post(
            "/__fakestore/keys", json={"consumer_key": "ck_" + "a" * 40, "consumer_secret": "cs_x"}
        )
    assert duplicate.status_code == 409
    assert store.accounts.find(key["consumer_key"]) is None
    assert store.accounts.find("ck_" + "a" * 40) is not None


@pytest.mark.anyio
async def test_users_can_be_added_and_lose_their_rights(setup: tuple[Any, Any]) -> None:
    app, store = setup
    async with client(app) as c:
        added = await c.post("/__fakestore/users", json={"login": "manager", "password": "pw", "role": "shop_manager"})
        assert added.status_code == 201 and added.json()["manage_woocommerce"] is True
        demoted = await c.put(f"/__fakestore/users/{added.json()['id']}/role", json={"role": "customer"})
        bad_role = await c.put("/__fakestore/users/1/role", json={"role": "overlord"})
    assert demoted.json()["manage_woocommerce"] is False
    assert bad_role.status_code == 400
    assert store.accounts.users[added.json()["id"]].role == "customer"


@pytest.mark.anyio
async def test_runtime_config_changes_are_limited_to_the_safe_fields(setup: tuple[Any, Any]) -> None:
    app, store = setup
    async with client(app) as c:
        ok = await c.put("/__fakestore/config", json={"webhook_delay_s": 0.1, "http_allowed_safe_ports": [443, 9443]})
        refused = await c.put("/__fakestore/config", json={"home_url": "https://evil.example"})
    assert ok.json()["http_allowed_safe_ports"] == [443, 9443]
    assert store.config.webhook_delay_s == 0.1
    assert refused.status_code == 400
    assert store.config.home_url == HOME


@pytest.mark.anyio
async def test_only_loopback_clients_are_served_without_a_token(setup: tuple[Any, Any]) -> None:
    app, _store = setup
    async with client(app, host="203.0.113.9") as c:
        response = await c.get("/__fakestore/")
    assert response.status_code == 403
    assert "--admin-token" in response.json()["error"]


@pytest.mark.anyio
async def test_with_a_token_every_client_must_present_it() -> None:
    app, _store = admin_app(FakeStoreConfig(home_url=HOME, orders=10, admin_token="t0ken"))
    async with client(app) as anonymous, client(app, host="203.0.113.9", authorization="Bearer t0ken") as remote:
        assert (await anonymous.get("/__fakestore/")).status_code == 401
        assert (await remote.get("/__fakestore/")).status_code == 200
        assert (await anonymous.get("/__fakestore/", headers={"X-Fakestore-Token": "t0ken"})).status_code == 200


@pytest.mark.anyio
async def test_a_revoked_key_and_a_demoted_user_get_woocommerces_401_and_403(setup: tuple[Any, Any]) -> None:
    app, _store = setup
    async with client(app) as c:
        key = (await c.post("/__fakestore/keys", json={"permissions": "read"})).json()
        auth = (key["consumer_key"], key["consumer_secret"])
        assert (await c.get("/wp-json/wc/v3/orders", auth=auth)).status_code == 200

        await c.put("/__fakestore/users/1/role", json={"role": "customer"})
        demoted = await c.get("/wp-json/wc/v3/orders", auth=auth)
        await c.put("/__fakestore/users/1/role", json={"role": "administrator"})
        assert (await c.get("/wp-json/wc/v3/orders", auth=auth)).status_code == 200

        await c.delete(f"/__fakestore/keys/{key['key_id']}")
        revoked = await c.get("/wp-json/wc/v3/orders", auth=auth)
    assert demoted.status_code == 403
    assert demoted.json()["code"] == "woocommerce_rest_cannot_view"
    assert revoked.status_code == 401
    assert revoked.json() == {
        "code": "woocommerce_rest_cannot_view",
        "message": "Sorry, you cannot list resources.",
        "data": {"status": 401},
    }


@pytest.mark.anyio
async def test_the_clock_can_be_pinned_and_freed(setup: tuple[Any, Any]) -> None:
    app, store = setup
    async with client(app) as c:
        pinned = await c.put("/__fakestore/clock", json={"now": 1_800_000_000})
        assert pinned.json() == {"now": 1_800_000_000}
        assert store.now() == 1_800_000_000
        freed = await c.put("/__fakestore/clock", json={"now": None})
    assert freed.json()["now"] > 1_700_000_000 and store.now() != 1_800_000_000

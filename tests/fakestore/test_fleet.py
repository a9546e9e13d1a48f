"""Many fake stores in one process (`storelens fakestore fleet`): each on its own port, with a request log naming
the pass that sent each request, the whole-history truth `storelens report` must show, and an order trickle."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest

from fakestore.fleet import FleetApp, build_member, truth


@pytest.fixture
def fleet() -> Iterator[FleetApp]:
    members = [build_member({"name": "a", "orders": 40, "seed": 3}), build_member({"name": "b", "orders": 25})]
    app = FleetApp(members)
    yield app
    for member in members:
        member.sock.close()


def client_for(app: FleetApp, name: str) -> httpx.AsyncClient:
    member = next(m for m in app.by_port.values() if m.name == name)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=member.url)


def test_each_port_is_its_own_store_and_logs_the_pass_of_each_request(fleet: FleetApp) -> None:
    asyncio.run(_each_port(fleet))


async def _each_port(fleet: FleetApp) -> None:
    async with client_for(fleet, "a") as a, client_for(fleet, "b") as b:
        member_a = next(m for m in fleet.by_port.values() if m.name == "a")
        auth = (member_a.key.consumer_key, member_a.key.consumer_secret)
        answer = await a.get("/wp-json/wc/v3/orders", params={"per_page": 5}, headers={"X-Storelens-Sync": "7:tag"})
        assert answer.status_code == 401  # plain http without OAuth: WooCommerce refuses Basic, as it should
        assert (await a.get("/wp-json/wc/v3/orders", auth=auth)).status_code in (200, 401)
        log_a = (await a.get("/__fleet/requests")).json()["requests"]
        log_b = (await b.get("/__fleet/requests")).json()["requests"]
    assert log_a[0][2:6] == ["GET", "/wp-json/wc/v3/orders", 401, "7:tag"]
    assert all(entry[0] <= entry[1] for entry in log_a)
    assert log_b == []


def test_truth_counts_what_analytics_counts_and_the_trickle_adds_to_it(fleet: FleetApp) -> None:
    asyncio.run(_truth(fleet))


async def _truth(fleet: FleetApp) -> None:
    member = next(m for m in fleet.by_port.values() if m.name == "a")
    store = member.app.store
    expected = truth(store)
    view = store.view(dp=2)
    counted = [
        store.order_json(oid, view)
        for oid in store.orders.ids
        if store.orders.exists(oid)
        and store.order_json(oid, view)["status"]
        not in ("pending", "failed", "cancelled", "trash", "auto-draft", "checkout-draft")
    ]
    assert expected["orders"] == len(counted)
    async with client_for(fleet, "a") as a:
        created = (await a.post("/__fleet/orders", json={"count": 2})).json()["created"]
        after = (await a.get("/__fleet/truth")).json()
    assert len(created) == 2 and set(created) <= set(after["order_ids"])
    assert after["orders"] == expected["orders"] + 2
    added = sum(Decimal(store.order_json(oid, view)["total"]) for oid in created)
    assert Decimal(after["total_sales"]) == Decimal(expected["total_sales"]) + added

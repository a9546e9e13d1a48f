"""Many fake stores in one process: `storelens fakestore fleet --spec FILE`.

Why: an agency's fleet (issue 17) is hundreds of stores; one `fakestore serve` process per store would spend this
machine's memory and cores on interpreters instead of stores. Here every store is a full `create_app` (its own data,
keys, faults and admin endpoint) on its own loopback port, all served by one uvicorn on one event loop; the ASGI
scope's server port says which store a request is for.

The spec is a JSON list of stores: `{"name", "orders", "seed", "months", "latency_ms", "jitter_ms", "currency",
"timezone"}` (all optional but none unknown), and a key is pre-installed on each. Output: one line per store,
`store name=… url=… consumer_key=… consumer_secret=…`, then `fleet ready stores=N`.

Besides each store's own `/__fakestore/` admin endpoint, the fleet answers on every store's port (loopback only):

    GET /__fleet/requests   every request the store answered: [start, end, method, path, status, sync] with times
                            in UTC seconds and `sync` the client's `X-Storelens-Sync` header (which pass sent it)
    GET /__fleet/truth      what WooCommerce Analytics counts over the whole history, computed from the store's own
                            records: orders, total_sales, coupons (created date; pending, failed, cancelled, trash,
                            auto-draft and checkout-draft excluded), plus the order ids present
    POST /__fleet/orders    {"count": N}: N new paid orders, as a shop's checkout makes them (the trickle)
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import random
import secrets
import socket
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from fakestore.app import FakeStoreApp, create_app, running
from fakestore.config import FakeStoreConfig, Faults

SYNC_HEADER = b"x-storelens-sync"
EXCLUDED = frozenset({"pending", "failed", "cancelled", "trash", "auto-draft", "checkout-draft"})
SPEC_FIELDS = frozenset({"name", "orders", "seed", "months", "latency_ms", "jitter_ms", "currency", "timezone"})


@dataclass
class Member:
    """One store of the fleet: its app, its socket and what it answered."""

    name: str
    app: FakeStoreApp
    sock: socket.socket
    url: str
    key: Any
    log: list[tuple[float, float, str, str, int, str]] = field(default_factory=list)


def build_member(spec: dict[str, Any], host: str = "127.0.0.1") -> Member:
    unknown = set(spec) - SPEC_FIELDS
    if unknown:
        raise ValueError(f"unknown store field(s) {sorted(unknown)}; known: {sorted(SPEC_FIELDS)}")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    sock.listen(512)
    url = f"http://{host}:{sock.getsockname()[1]}"
    config = FakeStoreConfig(
        home_url=url,
        site_name=spec.get("name", "Fleet store"),
        orders=int(spec.get("orders", 200)),
        seed=int(spec.get("seed", 1)),
        months=int(spec.get("months", 12)),
        currency=spec.get("currency", "USD"),
        timezone=spec.get("timezone", "America/New_York"),
        faults=Faults(latency_ms=float(spec.get("latency_ms", 0)), jitter_ms=float(spec.get("jitter_ms", 0))),
    )
    app = create_app(config)
    key = app.store.accounts.create_key(
        1, "Storelens fleet", "read_write", "ck_" + secrets.token_hex(20), "cs_" + secrets.token_hex(20)
    )
    return Member(str(spec.get("name", url)), app, sock, url, key)


def truth(store: Any) -> dict[str, Any]:
    """The whole-history figures `storelens report --date-basis created --exclude-statuses pending,failed,cancelled`
    must show, from the store's records (the REST JSON it serves), in decimal strings."""
    view = store.view(dp=2)
    orders, total, coupons, ids = 0, Decimal(0), Decimal(0), []
    for oid in list(store.orders.ids):
        if not store.orders.exists(oid):
            continue
        order = store.order_json(oid, view)
        if order is None:
            continue
        ids.append(oid)
        if order["status"] in EXCLUDED:
            continue
        orders += 1
        total += Decimal(order["total"]) + sum((Decimal(r["total"]) for r in order.get("refunds", [])), Decimal(0))
        coupons += Decimal(order["discount_total"])
    return {"orders": orders, "total_sales": str(total), "coupons": str(coupons), "order_ids": ids}


def add_orders(store: Any, count: int, rng: random.Random) -> list[int]:
    """New paid orders of 1-3 published simple products, as the checkout makes them (with their webhooks)."""
    products = [
        pid
        for pid in list(store.products.ids)[:200]
        if (rec := store.products.get(pid)) and rec.get("type") == "simple" and rec.get("status") == "publish"
    ]
    created = []
    for _ in range(count):
        items = [
            {"product_id": pid, "quantity": rng.randint(1, 3)} for pid in rng.sample(products, min(2, len(products)))
        ]
        order = store.create_order(
            {
                "status": "processing",
                "set_paid": True,
                "payment_method": "bacs",
                "billing": {"first_name": "Fleet", "last_name": "Buyer", "email": "fleet@example.com", "country": "US"},
                "line_items": items,
            }
        )
        created.append(order["id"])
    return created


class FleetApp:
    """Routes each request to the store whose port it arrived on, logging it, and answers `/__fleet/`."""

    def __init__(self, members: list[Member]) -> None:
        self.by_port = {m.sock.getsockname()[1]: m for m in members}
        self.rng = random.Random(17)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            return await self._lifespan(receive, send)
        member = self.by_port.get((scope.get("server") or ("", 0))[1])
        if member is None:
            return None
        path = scope.get("path", "")
        if path.startswith("/__fleet/"):
            return await self._fleet(member, scope, receive, send)
        sync = dict(scope.get("headers") or []).get(SYNC_HEADER, b"").decode("latin-1")
        started, status = time.time(), [0]

        async def logged_send(message: Any) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await member.app(scope, receive, logged_send)
        finally:
            member.log.append((started, time.time(), scope.get("method", ""), path, status[0], sync))

    async def _lifespan(self, receive: Any, send: Any) -> None:
        from contextlib import AsyncExitStack

        async with AsyncExitStack() as stack:
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    for member in self.by_port.values():
                        await stack.enter_async_context(running(member.app))
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return

    async def _fleet(self, member: Member, scope: Any, receive: Any, send: Any) -> None:
        client = (scope.get("client") or ("", 0))[0]
        if not ipaddress.ip_address(client or "0.0.0.0").is_loopback:
            return await _answer(send, 403, {"error": "the fleet endpoint answers loopback clients only"})
        path, method = scope["path"], scope["method"]
        if path == "/__fleet/requests" and method == "GET":
            return await _answer(send, 200, {"requests": member.log})
        if path == "/__fleet/truth" and method == "GET":
            return await _answer(send, 200, truth(member.app.store))
        if path == "/__fleet/orders" and method == "POST":
            body = b""
            while True:
                message = await receive()
                body += message.get("body", b"")
                if not message.get("more_body"):
                    break
            count = int(json.loads(body or b"{}").get("count", 1))
            return await _answer(send, 201, {"created": add_orders(member.app.store, count, self.rng)})
        return await _answer(send, 404, {"error": f"no {method} {path} here: see `fakestore.fleet`"})


async def _answer(send: Any, status: int, body: dict[str, Any]) -> None:
    raw = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": raw})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="storelens fakestore fleet", description=__doc__.splitlines()[0])
    parser.add_argument("--spec", required=True, help="JSON file: a list of stores (see fakestore.fleet)")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on (default 127.0.0.1)")
    args = parser.parse_args(argv)
    import uvicorn

    specs = json.loads(Path(args.spec).read_text())
    started = time.perf_counter()
    members = [build_member(spec, args.host) for spec in specs]
    for m in members:
        print(
            f"store name={m.name} url={m.url} consumer_key={m.key.consumer_key} consumer_secret={m.key.consumer_secret}"
        )
    print(f"fleet ready stores={len(members)} seconds={time.perf_counter() - started:.1f}", flush=True)
    config = uvicorn.Config(
        FleetApp(members), log_level="warning", access_log=False, lifespan="on", timeout_keep_alive=30
    )
    asyncio.run(uvicorn.Server(config).serve(sockets=[m.sock for m in members]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

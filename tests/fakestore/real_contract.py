"""The same requests to a real WooCommerce and to the fake, and where their answers differ.

Every request Storelens's client makes (routes and parameters as `storelens.woocommerce` and `storelens.sync` send
them, errors included) is sent to both stores with Basic keys over HTTPS. Answers are compared on what Storelens
reads: the status, the paging headers (X-WP-Total, X-WP-TotalPages, the `Link` rels and the parameters they carry),
`Allow` and the content type, error codes and messages, and the JSON shapes: keys and value types, recursively,
merged over every object of a list (values differ: the stores hold different orders).
"""

from __future__ import annotations

import asyncio
import base64
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from fakestore.app import create_app
from fakestore.store import FakeStore

from .captures import json_type

FAR_FUTURE = "2999-01-01T00:00:00"
LONG_AGO = "2000-01-01T00:00:00"


@dataclass(frozen=True)
class Keys:
    consumer_key: str
    consumer_secret: str


@dataclass(frozen=True)
class Call:
    """One request; `{name}` placeholders in the route and params are ids each store finds for itself."""

    name: str
    route: str
    params: dict[str, str] = field(default_factory=dict)
    method: str = "GET"
    key: str = "rw"  # rw, ro, unknown, wrong_secret, none
    json: Any = None


GMT = {"dates_are_gmt": "true"}
ORDERS_PAGE = {"page": "2", "per_page": "2"}  # page 2 of 2: both `prev` and `next` when the store has 5+ objects

CALLS: list[Call] = [
    # discovery (no keys)
    Call("wp-json index", "/"),
    Call("wc/v3 index", "/wc/v3", key="none"),
    Call("subscriptions statuses without the plugin", "/wc/v3/subscriptions/statuses", key="none"),
    # keys, scope and store details (store_details.describe_store, health.checks)
    Call("check keys", "/wc/v3/orders", {"per_page": "1", "_fields": "id", "status": "any"}),
    Call(
        "modified_after honoured",
        "/wc/v3/orders",
        {"per_page": "1", "_fields": "id", "status": "any", "modified_after": FAR_FUTURE, **GMT},
    ),
    Call("settings general", "/wc/v3/settings/general"),
    Call("currencies current", "/wc/v3/data/currencies/current"),
    Call("refunds route probe", "/wc/v3/refunds", {"per_page": "1", "_fields": "id"}),
    Call(
        "analytics options",
        "/wc-admin/options",
        {"options": "woocommerce_date_type,woocommerce_excluded_report_order_statuses"},
    ),
    Call("analytics date type alone", "/wc-admin/options", {"options": "woocommerce_date_type"}),
    Call("permission probe (read_write)", "/wc/v3/webhooks", method="POST", json={}),
    Call("system status environment", "/wc/v3/system_status", {"_fields": "environment"}),
    Call("speed page", "/wc/v3/orders", {"status": "any", "page": "1", "per_page": "100"}),
    # the history import
    Call(
        "earliest order",
        "/wc/v3/orders",
        {
            "status": "any",
            "orderby": "date",
            "order": "asc",
            "_fields": "id,date_created_gmt",
            "before": FAR_FUTURE,
            **GMT,
            "page": "1",
            "per_page": "1",
        },
    ),
    Call("trash count", "/wc/v3/orders", {"status": "trash", "_fields": "id", "page": "1", "per_page": "1"}),
    Call(
        "import window",
        "/wc/v3/orders",
        {"status": "any", "orderby": "id", "order": "asc", "dp": "4", "after": LONG_AGO, "before": FAR_FUTURE}
        | GMT
        | ORDERS_PAGE,
    ),
    Call(
        "oldest import window",
        "/wc/v3/orders",
        {"status": "any", "orderby": "id", "order": "asc", "dp": "4", "before": FAR_FUTURE} | GMT | ORDERS_PAGE,
    ),
    Call("a page past the end", "/wc/v3/orders", {"status": "any", "dp": "4", "page": "100000", "per_page": "100"}),
    Call("trash window", "/wc/v3/orders", {"status": "trash", "orderby": "id", "order": "asc", "dp": "4"}),
    Call("refunds listing", "/wc/v3/refunds", {"orderby": "id", "order": "asc", "dp": "4"} | ORDERS_PAGE),
    Call("an order's refunds", "/wc/v3/orders/{refunded_order}/refunds", {"dp": "4", "page": "1", "per_page": "100"}),
    Call("customers", "/wc/v3/customers", {"role": "all", "orderby": "id", "order": "asc"} | ORDERS_PAGE),
    Call("products", "/wc/v3/products", {"status": "any", "orderby": "id", "order": "asc"} | ORDERS_PAGE),
    Call("trashed products", "/wc/v3/products", {"status": "trash", "orderby": "id", "order": "asc"}),
    Call("variations", "/wc/v3/products/{variable_product}/variations", {"orderby": "id", "order": "asc"}),
    Call("coupons", "/wc/v3/coupons", {"orderby": "id", "order": "asc", "page": "1", "per_page": "100"}),
    # incremental passes and reconciliation
    Call(
        "modified orders",
        "/wc/v3/orders",
        {"status": "any", "dp": "4", "modified_after": LONG_AGO, "modified_before": FAR_FUTURE} | GMT | ORDERS_PAGE,
    ),
    Call(
        "modified trash",
        "/wc/v3/orders",
        {"status": "trash", "dp": "4", "modified_after": LONG_AGO, "modified_before": FAR_FUTURE} | GMT,
    ),
    Call(
        "modified products",
        "/wc/v3/products",
        {"status": "any", "modified_after": LONG_AGO, "modified_before": FAR_FUTURE} | GMT | ORDERS_PAGE,
    ),
    Call("modified coupons", "/wc/v3/coupons", {"modified_after": LONG_AGO, "modified_before": FAR_FUTURE} | GMT),
    Call(
        "census",
        "/wc/v3/orders",
        {"status": "any", "orderby": "id", "order": "asc", "_fields": "id,date_modified_gmt,status"} | ORDERS_PAGE,
    ),
    Call(
        "census of the trash",
        "/wc/v3/orders",
        {"status": "trash", "orderby": "id", "order": "asc", "_fields": "id,date_modified_gmt,status"},
    ),
    Call("orders by id", "/wc/v3/orders", {"include": "{some_orders}", "status": "any", "dp": "4"}),
    Call("customers by id", "/wc/v3/customers", {"include": "{some_customers}", "role": "all"}),
    Call("one product", "/wc/v3/products/{simple_product}"),
    Call("webhooks", "/wc/v3/webhooks", {"status": "all", "page": "1", "per_page": "100"}),
    # errors
    Call("unknown key", "/wc/v3/orders", {"per_page": "1"}, key="unknown"),
    Call("wrong secret", "/wc/v3/orders", {"per_page": "1"}, key="wrong_secret"),
    Call("no key", "/wc/v3/orders", {"per_page": "1"}, key="none"),
    Call("read-only key reads", "/wc/v3/orders", {"per_page": "1", "_fields": "id", "status": "any"}, key="ro"),
    Call("read-only key writes", "/wc/v3/webhooks", method="POST", json={}, key="ro"),
    Call("empty webhook without keys", "/wc/v3/webhooks", method="POST", json={}, key="none"),
    Call("unknown order", "/wc/v3/orders/987654321"),
    Call("unknown order's refunds", "/wc/v3/orders/987654321/refunds", {"dp": "4"}),
    Call("unknown product", "/wc/v3/products/987654321"),
    Call("unknown route", "/wc/v3/no-such-thing"),
    Call("per_page too big", "/wc/v3/orders", {"per_page": "101"}),
    Call("unknown status", "/wc/v3/orders", {"status": "bogus"}),
    Call("unknown orderby", "/wc/v3/orders", {"orderby": "bogus"}),
    Call("bad date", "/wc/v3/orders", {"after": "yesterday", **GMT}),
]

WEBHOOK_JOURNEY = ("create webhook", "list webhooks", "re-enable webhook", "delete webhook", "deleted webhook")
WEBHOOK = {
    "name": "Storelens contract order.updated",
    "topic": "order.updated",
    "delivery_url": "https://127.0.0.1:9/storelens/webhooks/contract",
    "secret": "contract-secret",
}


@dataclass
class Answer:
    status: int
    headers: httpx.Headers
    body: Any
    url: str


class Side:
    """One store: where it is, its keys, and how to send it a request."""

    def __init__(
        self,
        name: str,
        base_url: str,
        keys: dict[str, Keys],
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        verify: bool | ssl.SSLContext = True,
    ) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.keys = keys
        self.ids: dict[str, str] = {}
        self._client = httpx.AsyncClient(transport=transport, verify=verify, timeout=60.0, trust_env=False)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def send(self, call: Call) -> Answer:
        route = call.route.format(**self.ids)
        params = {k: v.format(**self.ids) for k, v in call.params.items()}
        headers = {"Accept": "application/json"}
        keys = self.keys.get(call.key)
        if call.key == "unknown":
            keys = Keys("ck_" + "f" * 40, "cs_" + "0" * 40)
        elif call.key == "wrong_secret":
            keys = Keys(self.keys["rw"].consumer_key, "cs_" + "0" * 40)
        if keys is not None:
            token = base64.b64encode(f"{keys.consumer_key}:{keys.consumer_secret}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        url = f"{self.base_url}/wp-json{route}"
        resp = await self._client.request(call.method, url, params=params, headers=headers, json=call.json)
        try:
            body = resp.json()
        except ValueError:
            body = resp.text
        return Answer(resp.status_code, resp.headers, body, str(resp.url))

    async def find_ids(self) -> None:
        """Objects of each kind the calls need, found the way a client would (each store has its own ids)."""

        async def first(route: str, params: dict[str, str], pick: Callable[[dict], Any] = lambda o: o["id"]) -> str:
            answer = await self.send(Call("ids", route, params))
            items = answer.body if isinstance(answer.body, list) else []
            return ",".join(str(pick(o)) for o in items) or "0"

        self.ids["refunded_order"] = await first("/wc/v3/refunds", {"per_page": "1"}, lambda r: r["parent_id"])
        self.ids["variable_product"] = await first("/wc/v3/products", {"type": "variable", "per_page": "1"})
        self.ids["simple_product"] = await first("/wc/v3/products", {"type": "simple", "per_page": "1"})
        self.ids["some_orders"] = await first("/wc/v3/orders", {"per_page": "3", "_fields": "id", "status": "any"})
        self.ids["some_customers"] = await first("/wc/v3/customers", {"per_page": "3", "role": "all"})

    async def webhook_journey(self) -> list[tuple[str, Answer]]:
        """Create, list, re-enable and delete a webhook as `storelens.sync.webhooks` and `sources.removal` do."""
        out = []
        created = await self.send(Call("create webhook", "/wc/v3/webhooks", method="POST", json=WEBHOOK))
        out.append(("create webhook", created))
        hook_id = created.body.get("id") if isinstance(created.body, dict) else None
        if hook_id is None:
            return out
        self.ids["webhook"] = str(hook_id)
        for call in (
            Call("list webhooks", "/wc/v3/webhooks", {"status": "all", "page": "1", "per_page": "100"}),
            Call(
                "re-enable webhook",
                "/wc/v3/webhooks/{webhook}",
                method="PUT",
                json={"status": "active", "secret": "contract-secret"},
            ),
            Call("delete webhook", "/wc/v3/webhooks/{webhook}", {"force": "true"}, method="DELETE"),
            Call("deleted webhook", "/wc/v3/webhooks/{webhook}"),
        ):
            out.append((call.name, await self.send(call)))
        return out


def fake_side(store: FakeStore, keys: dict[str, Keys]) -> Side:
    app = create_app(store.config, store)
    return Side("fake", store.config.home_url, keys, transport=httpx.ASGITransport(app=app))


async def exchange(real: Side, fake: Side, calls: list[Call]) -> dict[str, tuple[Answer, Answer]]:
    """Every call on both sides (ids first, then the calls, then the webhook journey); name → (real, fake)."""
    await asyncio.gather(real.find_ids(), fake.find_ids())
    out: dict[str, tuple[Answer, Answer]] = {}
    for call in calls:
        out[call.name] = (await real.send(call), await fake.send(call))
    real_hooks, fake_hooks = await asyncio.gather(real.webhook_journey(), fake.webhook_journey())
    fake_by_name = dict(fake_hooks)
    for name, answer in real_hooks:
        if name in fake_by_name:
            out[name] = (answer, fake_by_name[name])
    if "wc/v3 index" in out:
        real_index, fake_index = out["wc/v3 index"]
        out["orders arguments"] = (orders_arguments(real_index), orders_arguments(fake_index))
    return out


def orders_arguments(index: Answer) -> Answer:
    """What discovery reads in the wc/v3 index: is /wc/v3/refunds there, and GET /wc/v3/orders's argument names."""
    routes = index.body.get("routes", {}) if isinstance(index.body, dict) else {}
    endpoints = routes.get("/wc/v3/orders", {}).get("endpoints", [])
    args = next((e.get("args", {}) for e in endpoints if "GET" in e.get("methods", [])), {})
    body = {"refunds_route": "/wc/v3/refunds" in routes, "orders_get_args": {name: None for name in sorted(args)}}
    return Answer(index.status, httpx.Headers(), body, index.url)


def run(coro_factory: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(coro_factory())  # type: ignore[arg-type]


# --- comparing -------------------------------------------------------------------------------------------------------


@dataclass
class Schema:
    """Keys and JSON types of every value seen at one place of a document, merged over all objects of lists."""

    types: set[str] = field(default_factory=set)
    keys: dict[str, Schema] = field(default_factory=dict)
    items: Schema | None = None

    def add(self, value: Any) -> Schema:
        kind = json_type(value)
        self.types.add(kind)
        if kind == "object":
            for k, v in value.items():
                self.keys.setdefault(k, Schema()).add(v)
        elif kind == "array":
            for v in value:
                if self.items is None:
                    self.items = Schema()
                self.items.add(v)
        return self


# PHP sends an empty associative array as [] (meta_data values, `_links` of an empty group): an empty array and an
# object are the same value to WooCommerce's JSON encoder.
_EQUIVALENT = {frozenset({"array", "object"})}


def schema_differences(real: Schema, fake: Schema, path: str = "$") -> list[str]:
    """Keys one side has at `path` and the other never has, and types seen on one side only (null excepted)."""
    out: list[str] = []
    real_types, fake_types = real.types - {"null"}, fake.types - {"null"}
    # WooCommerce prints a line's `image.id` as "" without an image and as the attachment id with one.
    comparable = not path.endswith(".image.id") and real_types and fake_types and real_types != fake_types
    if comparable and not any({a, b} in _EQUIVALENT for a in real_types for b in fake_types):
        out.append(f"{path}: real {sorted(real_types)}, fake {sorted(fake_types)}")
    if real.keys and fake.keys:
        missing = [k for k in real.keys if k not in fake.keys]
        extra = [k for k in fake.keys if k not in real.keys]
        if missing:
            out.append(f"{path}: keys missing in fake: {missing}")
        if extra:
            out.append(f"{path}: keys only in fake: {extra}")
        for k, sub in real.keys.items():
            if k in fake.keys:
                out += schema_differences(sub, fake.keys[k], f"{path}.{k}")
    if real.items is not None and fake.items is not None:
        out += schema_differences(real.items, fake.items, f"{path}[]")
    return out


def link_rels(headers: httpx.Headers) -> dict[str, list[str]]:
    """rel → the names of the query parameters of its URL (values differ between stores)."""
    out: dict[str, list[str]] = {}
    for value in headers.get_list("link"):
        for part in value.split(","):
            if ";" not in part:
                continue
            target, _, params = part.partition(";")
            rel = params.split("rel=", 1)[-1].strip().strip('"')
            query = urlsplit(target.strip().strip("<>")).query
            out[rel] = [k for k, _ in parse_qsl(query, keep_blank_values=True)]
    return out


def expected_paging_rels(answer: Answer) -> set[str]:
    """prev on every page after the first, next before the last (the stores hold different numbers of objects).

    Past the end WooCommerce reports totals of 0 and still links `prev` (to page 0: it caps prev at the page count).
    """
    pages = answer.headers.get("x-wp-totalpages")
    if pages is None or not pages.isdigit():
        return set()
    page = int(dict(parse_qsl(urlsplit(answer.url).query)).get("page", "1") or 1)
    return ({"prev"} if page > 1 else set()) | ({"next"} if page < int(pages) else set())


def link_differences(real: Answer, fake: Answer) -> list[str]:
    out = []
    rels_real, rels_fake = link_rels(real.headers), link_rels(fake.headers)
    for side, answer, rels in (("real", real, rels_real), ("fake", fake, rels_fake)):
        paging = set(rels) - {"https://api.w.org/"}
        if answer.status == 200 and paging != expected_paging_rels(answer):
            out.append(f"link rels of {side}: {sorted(paging)} for page/total pages {expected_paging_rels(answer)}")
    no_paging = not (set(rels_real) | set(rels_fake)) - {"https://api.w.org/"}
    if no_paging and ("https://api.w.org/" in rels_real) != ("https://api.w.org/" in rels_fake):
        out.append(f"link rels: real {sorted(rels_real)}, fake {sorted(rels_fake)}")
    for rel in (set(rels_real) & set(rels_fake)) - {"https://api.w.org/"}:
        if rels_real[rel] != rels_fake[rel]:
            out.append(f"link {rel} parameters: real {rels_real[rel]}, fake {rels_fake[rel]}")
    return out


def answer_differences(real: Answer, fake: Answer) -> list[str]:
    out: list[str] = []
    if real.status != fake.status:
        out.append(f"status: real {real.status}, fake {fake.status}")
    for header in ("content-type", "x-wp-total", "x-wp-totalpages"):
        present = (header in real.headers) != (header in fake.headers)
        value = header == "content-type" and real.headers.get(header) != fake.headers.get(header)
        if present or value:
            out.append(f"header {header}: real {real.headers.get(header)!r}, fake {fake.headers.get(header)!r}")
    allow_real = sorted(a.strip() for a in real.headers.get("allow", "").split(",") if a.strip())
    allow_fake = sorted(a.strip() for a in fake.headers.get("allow", "").split(",") if a.strip())
    if allow_real != allow_fake:
        out.append(f"header allow: real {allow_real}, fake {allow_fake}")
    out += link_differences(real, fake)
    if real.status >= 400 and isinstance(real.body, dict) and isinstance(fake.body, dict):
        for key in ("code", "message"):
            if real.body.get(key) != fake.body.get(key):
                out.append(f"error {key}: real {real.body.get(key)!r}, fake {fake.body.get(key)!r}")
    out += schema_differences(Schema().add(real.body), Schema().add(fake.body))
    return out

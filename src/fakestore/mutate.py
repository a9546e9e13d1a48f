"""`storelens fakestore mutate`: change a store's orders only through its public write API, as a shop would.

Nothing here touches the fake's memory: every change is a WooCommerce REST call (Basic auth over https, OAuth 1.0a
signed with HMAC-SHA256 over http), so the store fires the webhooks WooCommerce would, and the command works just
as well against a real WooCommerce store with a read_write key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

USER_AGENT = "storelens-fakestore-mutate/1.0"
NEXT_STATUS = {
    "pending": "processing",
    "on-hold": "processing",
    "processing": "completed",
    "completed": "completed",
    "failed": "pending",
    "cancelled": "pending",
}


def _enc(value: str) -> str:
    return quote(value, safe="~")


def oauth_params(
    method: str,
    url: str,
    key: str,
    secret: str,
    params: dict[str, str],
    nonce: str | None = None,
    timestamp: int | None = None,
) -> dict[str, str]:
    """One-legged OAuth 1.0a as WooCommerce checks it: every query parameter signed, base URL without query."""
    oauth = {
        "oauth_consumer_key": key,
        "oauth_nonce": nonce or secrets.token_hex(16),
        "oauth_signature_method": "HMAC-SHA256",
        "oauth_timestamp": str(timestamp if timestamp is not None else int(time.time())),
    }
    signed = {**params, **oauth}
    pairs = "&".join(f"{_enc(k)}={_enc(v)}" for k, v in sorted((k, str(v)) for k, v in signed.items()))
    base = "&".join([method.upper(), _enc(url), _enc(pairs)])
    digest = hmac.new(f"{secret}&".encode(), base.encode(), hashlib.sha256).digest()
    return {**oauth, "oauth_signature": base64.b64encode(digest).decode()}


@dataclass
class Mutator:
    url: str
    key: str
    secret: str
    seed: int = 1
    client: httpx.Client | None = None
    log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.url = self.url.rstrip("/")
        self.rng = random.Random(self.seed)
        self.https = self.url.startswith("https://")
        if self.client is None:
            self.client = httpx.Client(timeout=120, headers={"User-Agent": USER_AGENT})

    # --- HTTP ----------------------------------------------------------------------------------------------------

    def call(self, method: str, route: str, params: dict[str, Any] | None = None, body: Any = None) -> Any:
        assert self.client is not None
        endpoint = f"{self.url}/wp-json/wc/v3/{route.lstrip('/')}"
        query = {k: str(v) for k, v in (params or {}).items()}
        auth = None
        if self.https:
            auth = (self.key, self.secret)
        else:
            query.update(oauth_params(method, endpoint, self.key, self.secret, query))
        response = self.client.request(method, endpoint, params=query, json=body, auth=auth)
        if response.status_code >= 400:
            raise MutateError(f"{method} {route} answered {response.status_code}: {response.text[:300]}")
        return _json_after_notices(response, f"{method} {route}")

    # --- picking ---------------------------------------------------------------------------------------------

    def _orders(self, statuses: str = "any", pages: int = 3) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for page in range(1, pages + 1):
            rows = self.call(
                "GET",
                "orders",
                {"per_page": 100, "page": page, "status": statuses, "_fields": "id,status,total,refunds,currency"},
            )
            found.extend(rows)
            if len(rows) < 100:
                break
        return found

    def _pick(self, rows: list[dict[str, Any]], count: int, what: str) -> list[dict[str, Any]]:
        if count > len(rows):
            raise MutateError(f"asked to {what} {count} orders but only {len(rows)} qualify")
        return self.rng.sample(rows, count)

    # --- changes ---------------------------------------------------------------------------------------------

    def create(self, count: int) -> list[int]:
        products = [
            p
            for p in self.call("GET", "products", {"per_page": 50, "status": "publish", "type": "simple"})
            if p.get("purchasable", True)
        ]
        if not products:
            raise MutateError("the store has no published simple product to order")
        created = []
        for n in range(count):
            items = [
                {"product_id": p["id"], "quantity": self.rng.randint(1, 3)}
                for p in self.rng.sample(products, min(len(products), self.rng.randint(1, 3)))
            ]
            first = self.rng.choice(["Ana", "Björn", "Chloé", "Dmitri", "Eun-ji", "François", "Grace"])
            last = self.rng.choice(["García", "Müller", "Smith", "Nakamura", "O'Brien", "Kowalski"])
            email = f"mutate.{self.seed}.{n}.{secrets.token_hex(3)}@example.com"
            order = self.call(
                "POST",
                "orders",
                body={
                    "status": self.rng.choice(["processing", "on-hold", "pending", "completed"]),
                    "payment_method": "bacs",
                    "payment_method_title": "Direct bank transfer",
                    "set_paid": True,
                    "billing": {"first_name": first, "last_name": last, "email": email, "country": "US"},
                    "shipping": {"first_name": first, "last_name": last, "country": "US"},
                    "line_items": items,
                },
            )
            created.append(order["id"])
            self.log.append(f"created order {order['id']} ({order.get('status')}, total {order.get('total')})")
        return created

    def update(self, count: int) -> list[int]:
        rows = self._orders("pending,on-hold,processing,failed,cancelled,completed")
        done = []
        for row in self._pick(rows, count, "update"):
            new_status = NEXT_STATUS.get(row["status"], "processing")
            note = f"Updated by storelens fakestore mutate (seed {self.seed})"
            self.call("PUT", f"orders/{row['id']}", body={"status": new_status, "customer_note": note})
            done.append(row["id"])
            self.log.append(f"updated order {row['id']} ({row['status']} -> {new_status})")
        return done

    def refund(self, count: int) -> list[int]:
        rows = [
            r
            for r in self._orders("processing,completed")
            if float(r.get("total") or 0) + sum(float(x.get("total") or 0) for x in r.get("refunds", [])) >= 1
        ]
        done = []
        for row in self._pick(rows, count, "refund"):
            left = float(row["total"]) + sum(float(x.get("total") or 0) for x in row.get("refunds", []))
            amount = f"{max(0.01, round(left * self.rng.uniform(0.1, 0.5), 2)):.2f}"
            refund = self.call(
                "POST",
                f"orders/{row['id']}/refunds",
                body={"amount": amount, "reason": "Partial refund (mutate)", "api_refund": False},
            )
            done.append(refund["id"])
            self.log.append(f"refunded {amount} of order {row['id']} (refund {refund['id']})")
        return done

    def trash(self, count: int) -> list[int]:
        rows = self._orders("pending,on-hold,processing,failed,cancelled,completed,refunded")
        done = []
        for row in self._pick(rows, count, "trash"):
            self.call("DELETE", f"orders/{row['id']}")
            done.append(row["id"])
            self.log.append(f"trashed order {row['id']} (was {row['status']})")
        return done

    def delete(self, count: int) -> list[int]:
        rows = self._orders("any")
        done = []
        for row in self._pick(rows, count, "delete"):
            self.call("DELETE", f"orders/{row['id']}", {"force": "true"})
            done.append(row["id"])
            self.log.append(f"deleted order {row['id']} permanently (was {row['status']})")
        return done


class MutateError(Exception):
    pass


def _json_after_notices(response: httpx.Response, what: str) -> Any:
    """The JSON of an answer, skipping the PHP notices some stores print before it."""
    text = response.text
    starts = [i for i in (text.find("{"), text.find("[")) if i >= 0]
    for start in [0, *sorted(starts)]:
        try:
            return json.loads(text[start:])
        except ValueError:
            continue
    raise MutateError(f"{what} did not answer JSON: {text[:300]}")

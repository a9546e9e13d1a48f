"""Replay requests recorded on a real WooCommerce 9.9.5 store (/work/shared/woocommerce/captures)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

CAPTURES = Path("/work/shared/woocommerce/captures")
_HOP_BY_HOP = {"transfer-encoding", "content-encoding", "content-length", "connection"}


def load(name: str) -> dict[str, Any]:
    return json.loads((CAPTURES / name).read_text())


def body_bytes(capture: dict[str, Any]) -> bytes:
    body = capture["response"]["body"]
    if isinstance(body, str):
        return body.encode("utf-8")
    return json.dumps(body).encode("utf-8")


def response(name: str, **overrides: Any) -> httpx.Response:
    """The captured answer as an httpx.Response (hop-by-hop headers dropped: the body is stored decoded)."""
    capture = load(name)
    res = capture["response"]
    headers = {k: v for k, v in res["headers"].items() if k.lower() not in _HOP_BY_HOP}
    headers.update(overrides.pop("headers", {}))
    return httpx.Response(overrides.pop("status", res["status"]), headers=headers, content=body_bytes(capture))


def keys() -> dict[str, str]:
    """consumer_key → consumer_secret for every key the capture store issued."""
    out = {}
    for path in sorted(CAPTURES.glob("auth/keys-*.json")):
        data = json.loads(path.read_text())
        out[data["consumer_key"]] = data["consumer_secret"]
    return out


def key(permissions: str) -> tuple[str, str]:
    data = json.loads((CAPTURES / f"auth/keys-{permissions}.json").read_text())
    return data["consumer_key"], data["consumer_secret"]

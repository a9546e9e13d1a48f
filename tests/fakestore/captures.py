"""Replaying captured requests of the real lab store against the fake.

A capture is `{"request": {method, url, auth_mode, headers, body?}, "response": {status, headers, body}}`, recorded
on WordPress 6.8.3 + WooCommerce 9.9.5 at https://127.0.0.1:8443 and http://127.0.0.1:8080. Keys found in the
captures are installed into the fake; Basic credentials were not recorded, so `auth_mode` says which key to send.
OAuth requests are re-signed with the fake's clock pinned to the capture's timestamp, or replayed verbatim.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from fakestore.app import create_app
from fakestore.config import FakeStoreConfig
from fakestore.store import FakeStore

SHARED = Path("/work/shared/woocommerce")
CAPTURES = SHARED / "captures"
DATASET = SHARED / "dataset"
HTTPS_HOME = "https://127.0.0.1:8443"
HTTP_HOME = "http://127.0.0.1:8080"


def load(name: str) -> dict[str, Any]:
    return json.loads((CAPTURES / name).read_text(encoding="utf-8"))


@cache
def capture_keys() -> dict[str, dict[str, Any]]:
    """consumer_key -> the key record the lab store handed out (permissions included)."""
    keys = {}
    for path in sorted((CAPTURES / "auth").glob("keys-*.json")):
        data = json.loads(path.read_text())
        keys[data["consumer_key"]] = data
    return keys


def key_with(permissions: str) -> dict[str, Any]:
    return next(k for k in capture_keys().values() if k["key_permissions"] == permissions)


def install_capture_keys(store: FakeStore) -> None:
    for data in capture_keys().values():
        store.accounts.create_key(
            1, "Putler Lab", data["key_permissions"], data["consumer_key"], data["consumer_secret"]
        )


@dataclass
class Replayed:
    capture: dict[str, Any]
    response: httpx.Response

    @property
    def expected(self) -> dict[str, Any]:
        return self.capture["response"]


def basic_key_for(name: str) -> dict[str, Any] | None:
    """Which captured key a Basic request used (the file name says when it was not the read/write key)."""
    if "read-only" in name:
        return key_with("read")
    if "write-only" in name:
        return key_with("write")
    if "unknown-consumer-key" in name:
        return {"consumer_key": "ck_" + "f" * 40, "consumer_secret": "cs_" + "0" * 40}
    if "wrong-consumer-secret" in name:
        return {"consumer_key": key_with("read_write")["consumer_key"], "consumer_secret": "cs_" + "0" * 40}
    return key_with("read_write")


@cache
def dataset_store(home: str) -> FakeStore:
    store = FakeStore(FakeStoreConfig(home_url=home, dataset_dir=str(DATASET)))
    install_capture_keys(store)
    return store


async def replay(name: str, *, store: FakeStore | None = None, modes: set[str] | None = None) -> Replayed:
    capture = load(name)
    req = capture["request"]
    url = urlsplit(req["url"])
    home = f"{url.scheme}://{url.netloc}"
    if store is None:
        store = FakeStore(FakeStoreConfig(home_url=home, dataset_dir=str(DATASET)))
        install_capture_keys(store)
    if modes:
        store.config.set_modes(modes)
    headers: dict[str, str] = {}
    mode = req.get("auth_mode") or "none"
    if mode == "basic":
        key = basic_key_for(name)
        assert key is not None
        token = base64.b64encode(f"{key['consumer_key']}:{key['consumer_secret']}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    for k, v in (req.get("headers") or {}).items():
        if k.lower() in ("content-type", "authorization"):
            headers[k] = v
    if mode.startswith("oauth"):
        ts = _oauth_timestamp(req["url"], headers.get("Authorization", ""))
        if ts is not None:
            # The lab's clock: its timestamps were fresh then (the 16-min-old one was old then, too).
            store.set_now(ts + 16 * 60 if "16min" in name else ts)
    body = req.get("body")
    content = json.dumps(body).encode() if body is not None else None
    if content is not None:
        headers.setdefault("Content-Type", "application/json")
    app = create_app(store.config, store)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=home) as client:
        # send the recorded URL byte for byte (encoding of the query included)
        response = await client.request(req["method"], httpx.URL(req["url"]), content=content, headers=headers)
    store.set_now(None)
    return Replayed(capture, response)


def _oauth_timestamp(url: str, header: str) -> int | None:
    from fakestore import phpquery
    from fakestore.restauth import parse_oauth_header

    params = dict(phpquery.parse(urlsplit(url).query))
    params.update(parse_oauth_header(header))
    value = params.get("oauth_timestamp")
    return int(value) if isinstance(value, str) and value.isdigit() else None


# --- comparing shapes ------------------------------------------------------------------------------------------


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def shape_differences(real: Any, fake: Any, path: str = "$", *, nullable_ok: bool = True) -> list[str]:
    """Where the fake's JSON differs in keys or value types from the real one (null vs a value is allowed)."""
    out: list[str] = []
    rt, ft = json_type(real), json_type(fake)
    if rt != ft:
        if nullable_ok and "null" in (rt, ft):
            return out
        # PHP sends empty objects as [] (e.g. meta lists); the lab store printed `image.id` as "" or 0
        if {rt, ft} == {"string", "number"} and path.endswith(".id"):
            return out
        return [f"{path}: real {rt}, fake {ft}"]
    if rt == "object":
        missing = [k for k in real if k not in fake]
        extra = [k for k in fake if k not in real]
        if missing:
            out.append(f"{path}: keys missing in fake: {missing}")
        if extra:
            out.append(f"{path}: keys only in fake: {extra}")
        for k in real:
            if k in fake:
                out += shape_differences(real[k], fake[k], f"{path}.{k}", nullable_ok=nullable_ok)
    elif rt == "array" and real and fake:
        out += shape_differences(real[0], fake[0], f"{path}[0]", nullable_ok=nullable_ok)
    return out


def strip_hosts(value: Any, homes: tuple[str, ...] = (HTTPS_HOME, HTTP_HOME)) -> Any:
    text = json.dumps(value, ensure_ascii=False)
    for home in homes:
        text = text.replace(home, "HOME")
    return json.loads(text)

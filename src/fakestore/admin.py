"""The fake's own admin endpoint, `/__fakestore/`: what a store owner or a host would do to a store, at run time.

It is not part of WooCommerce: it lets a test or a demo revoke a key, demote a user, switch a failure mode or read
the webhook deliveries while the store keeps serving. Fault injection never applies to it.

Access: when `config.admin_token` is set, every request needs `Authorization: Bearer <token>` (or
`X-Fakestore-Token: <token>`); otherwise only loopback clients (and in-process test clients) are served.

All bodies are JSON.

    GET    /__fakestore/                    state: modes, faults, counters, keys, users, webhooks
    PUT    /__fakestore/modes               {"modes": [...]} replaces; {"add": [...], "remove": [...]} edits
    PUT    /__fakestore/faults              any of latency_ms, jitter_ms, error_5xx_rate, html_502_rate,
                                            timeout_rate, reset_rate, rate_limit_rate, retry_after_s, timeout_s;
                                            plus "seed" to reseed the fault RNG
    PUT    /__fakestore/config              webhook_delay_s, analytics_date_type, analytics_excluded_statuses,
                                            environment_type, settings_api_refused, http_allowed_safe_ports,
                                            ca_file
    GET    /__fakestore/keys                every key, with consumer key and secret
    POST   /__fakestore/keys                {"user_id": 1, "app_name": "...", "permissions": "read_write",
                                            "consumer_key"?: "ck_...", "consumer_secret"?: "cs_..."} -> 201
    DELETE /__fakestore/keys/{key_id}       revoke (as wp-admin's Revoke does)
    GET    /__fakestore/users               WordPress users
    POST   /__fakestore/users               {"login": "...", "password": "...", "role": "customer"} -> 201
    PUT    /__fakestore/users/{id}/role     {"role": "customer"}: the key's user loses (or regains) its rights
    GET    /__fakestore/deliveries          webhook pings and deliveries (?webhook_id=N to filter)
    DELETE /__fakestore/deliveries          forget them
    POST   /__fakestore/deliveries/drain    wait until no delivery is queued or in flight
    DELETE /__fakestore/cache               empty the `cache` mode's page cache
    PUT    /__fakestore/clock               {"now": <UTC seconds>} pins the store's clock; {"now": null} frees it
"""

from __future__ import annotations

import hmac
import ipaddress
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakestore import faults as faults_module
from fakestore.config import MODES

PREFIX = "/__fakestore"
FAULT_FIELDS = {
    "latency_ms": float,
    "jitter_ms": float,
    "error_5xx_rate": float,
    "html_502_rate": float,
    "timeout_rate": float,
    "reset_rate": float,
    "rate_limit_rate": float,
    "retry_after_s": int,
    "timeout_s": float,
}
ROLES = ("administrator", "shop_manager", "customer", "subscriber")


class AdminError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def routes(store: Any) -> list[Route]:
    def endpoint(handler: Any) -> Any:
        async def run(request: Request) -> Response:
            try:
                _check_access(request, store)
                return await handler(request, store)
            except AdminError as exc:
                return JSONResponse({"error": str(exc)}, status_code=exc.status)

        return run

    return [
        Route(f"{PREFIX}/", endpoint(_state), methods=["GET"]),
        Route(f"{PREFIX}/modes", endpoint(_modes), methods=["GET", "PUT", "POST"]),
        Route(f"{PREFIX}/faults", endpoint(_faults), methods=["GET", "PUT", "POST"]),
        Route(f"{PREFIX}/config", endpoint(_config), methods=["PUT", "POST"]),
        Route(f"{PREFIX}/keys", endpoint(_keys), methods=["GET", "POST"]),
        Route(f"{PREFIX}/keys/{{key_id:int}}", endpoint(_key), methods=["GET", "DELETE"]),
        Route(f"{PREFIX}/users", endpoint(_users), methods=["GET", "POST"]),
        Route(f"{PREFIX}/users/{{user_id:int}}/role", endpoint(_role), methods=["PUT", "POST"]),
        Route(f"{PREFIX}/deliveries", endpoint(_deliveries), methods=["GET", "DELETE"]),
        Route(f"{PREFIX}/deliveries/drain", endpoint(_drain), methods=["POST"]),
        Route(f"{PREFIX}/cache", endpoint(_cache), methods=["DELETE"]),
        Route(f"{PREFIX}/clock", endpoint(_clock), methods=["PUT", "POST"]),
    ]


def _check_access(request: Request, store: Any) -> None:
    token = getattr(store.config, "admin_token", None)
    if token:
        given = request.headers.get("x-fakestore-token", "")
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            given = auth[7:].strip()
        if not given or not hmac.compare_digest(given, token):
            raise AdminError(401, "admin token required: send 'Authorization: Bearer <token>' (serve --admin-token)")
        return
    host = request.client.host if request.client else ""
    if host == "testclient":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise AdminError(403, "the admin endpoint answers loopback clients only; start serve with --admin-token")


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError as exc:
        raise AdminError(400, f"send a JSON object: {exc}") from exc
    if not isinstance(body, dict):
        raise AdminError(400, "send a JSON object")
    return body


# --- views -------------------------------------------------------------------------------------------------------


async def _state(request: Request, store: Any) -> Response:
    config = store.config
    dispatcher = getattr(store, "webhook_dispatcher", None)
    hooks = getattr(store, "webhooks", {})
    hook_list = list(hooks.values() if hasattr(hooks, "values") else hooks)
    return JSONResponse(
        {
            "home_url": config.home_url,
            "modes": sorted(config.modes),
            "known_modes": sorted(MODES),
            "faults": _faults_dict(config.faults),
            "stats": dict(faults_module.state(store).stats),
            "cached_pages": len(faults_module.state(store).cache),
            "keys": len(store.accounts.keys),
            "users": len(store.accounts.users),
            "data": {
                name: len(getattr(store, name))
                for name in ("orders", "refunds", "customers", "products", "variations", "coupons", "subscriptions")
                if getattr(store, name, None) is not None
            },
            "now": store.now() if hasattr(store, "now") else None,
            "webhooks": [
                {
                    "id": h.id,
                    "topic": h.topic,
                    "status": h.status,
                    "delivery_url": h.delivery_url,
                    "failure_count": getattr(h, "failure_count", 0),
                    "pending_delivery": getattr(h, "pending_delivery", False),
                }
                for h in hook_list
            ],
            "deliveries_logged": len(dispatcher.log) if dispatcher else 0,
            "deliveries_queued": dispatcher.queued if dispatcher else 0,
            "webhook_delay_s": config.webhook_delay_s,
        }
    )


async def _modes(request: Request, store: Any) -> Response:
    config = store.config
    if request.method != "GET":
        body = await _json(request)
        if "modes" in body:
            wanted = set(body["modes"])
        else:
            wanted = (set(config.modes) | set(body.get("add", []))) - set(body.get("remove", []))
        try:
            config.set_modes(wanted)
        except ValueError as exc:
            raise AdminError(400, str(exc)) from exc
        if "cache" not in wanted:
            faults_module.state(store).cache.clear()
    return JSONResponse({"modes": sorted(config.modes)})


async def _faults(request: Request, store: Any) -> Response:
    faults = store.config.faults
    if request.method != "GET":
        body = await _json(request)
        unknown = set(body) - set(FAULT_FIELDS) - {"seed"}
        if unknown:
            raise AdminError(400, f"unknown fault setting(s) {sorted(unknown)}; known: {sorted(FAULT_FIELDS)}")
        for name, kind in FAULT_FIELDS.items():
            if name in body:
                value = kind(body[name])
                if name.endswith("_rate") and not 0 <= value <= 1:
                    raise AdminError(400, f"{name} is a probability between 0 and 1, got {value}")
                if value < 0:
                    raise AdminError(400, f"{name} cannot be negative")
                setattr(faults, name, value)
        if "seed" in body:
            faults_module.state(store).reseed(int(body["seed"]))
    return JSONResponse(_faults_dict(faults))


def _faults_dict(faults: Any) -> dict[str, Any]:
    return {name: getattr(faults, name) for name in FAULT_FIELDS}


def _environment_type(value: Any) -> str:
    if value not in ("production", "staging", "development", "local"):
        raise AdminError(400, f"environment_type is one of production, staging, development, local; got {value!r}")
    return str(value)


async def _config(request: Request, store: Any) -> Response:
    config = store.config
    body = await _json(request)
    allowed = {
        "webhook_delay_s": float,
        "analytics_date_type": lambda v: v,
        "analytics_excluded_statuses": lambda v: v,
        "environment_type": _environment_type,
        "settings_api_refused": bool,
        "http_allowed_safe_ports": lambda v: tuple(int(p) for p in v),
        "ca_file": lambda v: v,
    }
    unknown = set(body) - set(allowed)
    if unknown:
        raise AdminError(400, f"cannot change {sorted(unknown)} at run time; changeable: {sorted(allowed)}")
    for name, convert in allowed.items():
        if name in body:
            setattr(config, name, convert(body[name]) if body[name] is not None else None)
    return JSONResponse({name: getattr(config, name) for name in allowed})


def _key_dict(key: Any) -> dict[str, Any]:
    return {
        "key_id": key.key_id,
        "user_id": key.user_id,
        "description": key.description,
        "permissions": key.permissions,
        "truncated_key": key.truncated_key,
        "consumer_key": key.consumer_key,
        "consumer_secret": key.consumer_secret,
        "last_access": key.last_access.isoformat() if key.last_access else None,
    }


async def _keys(request: Request, store: Any) -> Response:
    accounts = store.accounts
    if request.method == "GET":
        return JSONResponse([_key_dict(k) for k in accounts.keys.values()])
    body = await _json(request)
    user_id = int(body.get("user_id", 1))
    if user_id not in accounts.users:
        raise AdminError(404, f"no WordPress user {user_id}; GET {PREFIX}/users lists them")
    permissions = body.get("permissions", "read_write")
    if permissions not in ("read", "write", "read_write"):
        raise AdminError(400, "permissions must be read, write or read_write")
    ck, cs = body.get("consumer_key"), body.get("consumer_secret")
    if (ck and not str(ck).startswith("ck_")) or (cs and not str(cs).startswith("cs_")):
        raise AdminError(400, "consumer_key starts with ck_ and consumer_secret with cs_")
    if ck and accounts.find(ck) is not None:
        raise AdminError(409, "that consumer key already exists")
    key = accounts.create_key(user_id, body.get("app_name", "Fake store admin"), permissions, ck, cs)
    return JSONResponse(_key_dict(key), status_code=201)


async def _key(request: Request, store: Any) -> Response:
    key_id = request.path_params["key_id"]
    key = store.accounts.keys.get(key_id)
    if key is None:
        raise AdminError(404, f"no key {key_id}; GET {PREFIX}/keys lists them")
    if request.method == "DELETE":
        store.accounts.delete_key(key_id)
        return JSONResponse({"revoked": key_id})
    return JSONResponse(_key_dict(key))


def _user_dict(user: Any) -> dict[str, Any]:
    return {
        "id": user.id,
        "login": user.login,
        "email": user.email,
        "role": user.role,
        "manage_woocommerce": user.can_manage_woocommerce,
    }


async def _users(request: Request, store: Any) -> Response:
    accounts = store.accounts
    if request.method == "GET":
        return JSONResponse([_user_dict(u) for u in accounts.users.values()])
    body = await _json(request)
    login, password = body.get("login"), body.get("password")
    role = body.get("role", "customer")
    if not login or not password:
        raise AdminError(400, "send login and password")
    if role not in ROLES:
        raise AdminError(400, f"role must be one of {list(ROLES)}")
    if accounts.user_by_login(login) is not None:
        raise AdminError(409, f"user {login} exists")
    user = accounts.add_user(login, password, role)
    return JSONResponse(_user_dict(user), status_code=201)


async def _role(request: Request, store: Any) -> Response:
    user_id = request.path_params["user_id"]
    if user_id not in store.accounts.users:
        raise AdminError(404, f"no WordPress user {user_id}")
    role = (await _json(request)).get("role")
    if role not in ROLES:
        raise AdminError(400, f"role must be one of {list(ROLES)}")
    store.accounts.set_role(user_id, role)
    return JSONResponse(_user_dict(store.accounts.users[user_id]))


async def _deliveries(request: Request, store: Any) -> Response:
    dispatcher = getattr(store, "webhook_dispatcher", None)
    if dispatcher is None:
        raise AdminError(409, "webhooks are not running in this store")
    if request.method == "DELETE":
        dispatcher.log.clear()
        return JSONResponse({"cleared": True})
    wanted = request.query_params.get("webhook_id")
    records = [r.as_dict() for r in dispatcher.log if wanted is None or str(r.webhook_id) == wanted]
    return JSONResponse(records)


async def _drain(request: Request, store: Any) -> Response:
    dispatcher = getattr(store, "webhook_dispatcher", None)
    if dispatcher is None:
        raise AdminError(409, "webhooks are not running in this store")
    try:
        await dispatcher.drain(timeout=float(request.query_params.get("timeout", 30)))
    except TimeoutError as exc:
        raise AdminError(504, "deliveries still queued or in flight after the timeout") from exc
    return JSONResponse({"queued": dispatcher.queued, "logged": len(dispatcher.log)})


async def _cache(request: Request, store: Any) -> Response:
    cache = faults_module.state(store).cache
    count = len(cache)
    cache.clear()
    return JSONResponse({"cleared": count})


async def _clock(request: Request, store: Any) -> Response:
    if not hasattr(store, "set_now"):
        raise AdminError(409, "this store has no settable clock")
    body = await _json(request)
    if "now" not in body:
        raise AdminError(400, 'send {"now": <UTC seconds>} or {"now": null}')
    store.set_now(None if body["now"] is None else float(body["now"]))
    return JSONResponse({"now": store.now()})

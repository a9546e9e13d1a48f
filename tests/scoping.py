"""The workspace-scoping audit: every URL with a path parameter must answer 404 to another workspace.

HOW TO REGISTER YOUR ROUTE (a test fails until you do):
create or edit `tests/<your app>/workspace_routes.py` with

    from tests.scoping import ScopedRoute

    def a_store(workspace):                        # creates the object in `workspace`, returns the URL kwargs
        store = Store.objects.create(workspace=workspace, ...)
        return {"store_id": store.pk}

    SCOPED = {
        "stores:detail": ScopedRoute(a_store),                          # GET by default
        "stores:remove": ScopedRoute(a_store, methods=("POST",)),
        "api:get_store": ScopedRoute(a_store),                          # ninja: "api:<function name or url_name>"
    }
    UNSCOPED = {"stores:callback": "the token in the URL is the credential; no workspace object is named"}

The key is the URL's "namespace:name" (or its route string when it has no name). For each SCOPED route the audit
makes the object in workspace A, requests it with every method as a member of workspace B (session cookie and Bearer
token) and expects 404, then as a member of A and expects anything but 404 — so a registration that builds the
wrong object fails too.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

TESTS_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class ScopedRoute:
    make: Callable[[Any], Mapping[str, Any]]
    methods: Sequence[str] = ("GET",)
    # A JSON body for routes that validate one before they look the object up (otherwise B would get 422, not 404).
    body: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Route:
    key: str
    route: str
    params: tuple[str, ...]


def iter_routes(urlconf: str | None = None) -> Iterator[Route]:
    def walk(patterns: Sequence[Any], prefix: str, namespace: str) -> Iterator[Route]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or route)
                yield Route(name, route, _params(route))

    yield from walk(get_resolver(urlconf).url_patterns, "", "")


def _params(route: str) -> tuple[str, ...]:
    names = re.findall(r"<(?:[^>:]+:)?([^>]+)>", route)
    names += re.findall(r"\(\?P<([^>]+)>", route)
    return tuple(names)


def fill(route: str, kwargs: Mapping[str, Any]) -> str:
    if "(?P<" in route or route.startswith("^"):
        raise AssertionError(f"{route!r} uses a regex; use django.urls.path() so the audit can build its URL")
    return "/" + re.sub(r"<(?:[^>:]+:)?([^>]+)>", lambda m: str(kwargs[m.group(1)]), route)


def load_registry(root: Path = TESTS_DIR) -> tuple[dict[str, ScopedRoute], dict[str, str]]:
    scoped: dict[str, ScopedRoute] = {}
    unscoped: dict[str, str] = {}
    for path in sorted(root.glob("**/workspace_routes.py")):
        spec = importlib.util.spec_from_file_location(f"_workspace_routes_{path.parent.name}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for key, value in getattr(module, "SCOPED", {}).items():
            assert key not in scoped, f"{key} is registered twice (again in {path})"
            scoped[key] = value
        unscoped.update(getattr(module, "UNSCOPED", {}))
    return scoped, unscoped


@dataclass
class Actor:
    """A member of one workspace with both a session client and a Bearer token."""

    workspace: Any
    client: Any
    token: str

    def request(self, method: str, path: str, body: Mapping[str, Any] | None) -> Any:
        extra: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}
        if body is not None:
            return self.client.generic(method, path, json.dumps(body), content_type="application/json", **extra)
        return self.client.generic(method, path, **extra)


def audit(
    owner: Actor,
    outsider: Actor,
    scoped: Mapping[str, ScopedRoute],
    unscoped: Mapping[str, str],
    urlconf: str | None = None,
) -> list[str]:
    """Problems found; empty when every parameterised route is registered and scoped."""
    if urlconf is not None:
        with override_settings(ROOT_URLCONF=urlconf):
            return audit(owner, outsider, scoped, unscoped)
    problems: list[str] = []
    seen_keys: dict[str, str] = {}
    for route in iter_routes():
        if not route.params:
            continue
        if route.key in seen_keys and seen_keys[route.key] != route.route:
            problems.append(f"{route.key}: two routes share this name; give one a unique url_name")
        seen_keys[route.key] = route.route
        if route.key in unscoped:
            continue
        case = scoped.get(route.key)
        if case is None:
            problems.append(
                f"{route.key} (/{route.route}) has path parameters but is not registered: add it to SCOPED or "
                "UNSCOPED in tests/<app>/workspace_routes.py (see tests/scoping.py)"
            )
            continue
        for method in case.methods:
            path = fill(route.route, case.make(owner.workspace))
            foreign = outsider.request(method, path, case.body)
            if foreign.status_code != 404:
                problems.append(
                    f"{method} {path} ({route.key}) answered {foreign.status_code} to a member of another workspace; "
                    "it must answer 404 (read through storelens.accounts.scoping)"
                )
            own = owner.request(method, path, case.body)
            if own.status_code == 404:
                problems.append(
                    f"{method} {path} ({route.key}) answered 404 to its own workspace too, so the 404 above proves "
                    "nothing: check the registered `make` (does it create the object the URL names?)"
                )
    for key in (*scoped, *unscoped):
        if key not in seen_keys:
            problems.append(f"{key} is registered in a workspace_routes.py but no such route exists any more")
    return problems

"""Hypothesis sends every page every query and form parameter the code reads — dates, page numbers, filters, ids,
unicode, NUL, huge numbers — signed in, over seeded stores: no answer is a server error.

The parameters are not listed by hand: they are read from the source (`request.GET.get("…")`, `.getlist`, the
fields of every form), so a parameter added tomorrow is fuzzed tomorrow. Paths come from the URL map, with their
`<int:…>` parts filled with real ids or hostile numbers. Derandomized and bounded, so CI sees the same requests on
every run; SQLite pass only (the PostgreSQL pass re-runs the database-specific cases in their own tests).
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import storelens
from storelens.accounts.models import Membership, Workspace
from storelens.commerce.models import Customer, Order
from storelens.stores.models import Store
from tests.analytics.shops import make_shops
from tests.conftest import POSTGRES_PASS
from tests.transports import routes

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(POSTGRES_PASS, reason="fuzzing runs once, on the SQLite pass"),
]

SRC = Path(storelens.__file__).parent
# Paths that are not pages: the API (tests/api/test_fuzz_openapi.py), webhook intakes and the key callback (their
# own tests), static files.
NOT_PAGES = re.compile(r"^(api/|sync/hooks/|sources/wc-callback/|static/|healthz/jobs)")
# Django's own forms the pages use (sign-in, password change): their fields are not in our forms.py files.
DJANGO_FORM_FIELDS = ("username", "password", "old_password", "new_password1", "new_password2")


def names_in(path: Path) -> set[str]:
    """The query and form parameter names one module reads (`request.GET.get("…")`, `.getlist`, `[…]`, form fields)."""
    text = path.read_text()
    names = set(re.findall(r"request\.(?:GET|POST)(?:\.get|\.getlist)\(\s*\"([^\"]+)\"", text))
    names.update(re.findall(r"request\.(?:GET|POST)\[\s*\"([^\"]+)\"\s*\]", text))
    names.update(re.findall(r"^\s+(\w+)\s*=\s*forms\.\w+\(", text, re.M))
    return names


def module_file(module: str) -> Path | None:
    parts = module.split(".")
    if parts[0] != "storelens":
        return None
    base = SRC.joinpath(*parts[1:])
    return next((p for p in (base.with_suffix(".py"), base / "__init__.py") if p.exists()), None)


def parameters_of(module: str) -> tuple[str, ...]:
    """What a view's module reads, and the modules it imports from Storelens read (its forms, `scope_of`…)."""
    path = module_file(module)
    if path is None:
        return DJANGO_FORM_FIELDS
    names = names_in(path) | set(DJANGO_FORM_FIELDS if module.startswith("storelens.accounts") else ())
    for imported in re.findall(r"^from (storelens[\w.]*) import", path.read_text(), re.M):
        other = module_file(imported)
        if other is not None:
            names |= names_in(other)
    return tuple(sorted(names))


def page_routes() -> dict[str, tuple[str, ...]]:
    """Every page's route (e.g. `orders/<int:order_id>/`) → the parameters its view reads."""
    found: dict[str, tuple[str, ...]] = {}

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                view = getattr(p.callback, "view_class", None) or p.callback
                found[prefix + str(p.pattern)] = parameters_of(getattr(view, "__module__", "") or "")

    walk(get_resolver().url_patterns, "")
    return {r: names for r, names in sorted(found.items()) if not NOT_PAGES.match(r) and "(?P" not in r}


ROUTES = page_routes()
PARAMETERS = tuple(sorted({name for names in ROUTES.values() for name in names}))
KNOWN = [
    "day", "week", "month", "csv", "7d", "mtd", "ytd", "12m", "last_month", "date", "-date", "total", "-total",
    "owner", "admin", "analyst", "support", "member", "USD", "EUR", "completed", "processing", "paid", "created",
    "variation", "product", "champions", "1", "0", "on", "true", "ann@x.org", "https://shop.example.com",
]  # fmt: skip
HOSTILE = [
    "0001-01-01", "9999-12-31", "2025-02-30", "1900-01-01", "2100-12-31", "20250301", "2025-W10-1", "\x00",
    "a\x00b", "-1", "10" * 16, str(10**30), "9" * 5000, "NaN", "inf", "1e309", "%00", "../../etc/passwd",
    "<script>alert(1)</script>", "' OR 1=1 --", "\u202e\ufeff\ud7ff", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", " ", "", "x" * 3000,
    "²", "١٢", "１２", "99999999999999999999", "2025-13-45", "0x10", " 1", "-0", '"', "*", "NEAR(a b)", "a OR b",
]  # fmt: skip
values = st.one_of(
    st.sampled_from(KNOWN),
    st.sampled_from(HOSTILE),
    st.dates().map(lambda d: d.isoformat()),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.text(max_size=30),
)


@pytest.fixture
def signed_in(alice: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Client, dict[str, list[int]]]]:
    """Alice's client over two seeded stores; every store request is answered 503 in-process (no network)."""
    routes(monkeypatch).default = httpx.MockTransport(lambda request: httpx.Response(503, text="down"))
    workspace = Workspace.objects.get(name="Alice's Shop")
    make_shops(workspace)
    client = Client()
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    yield client, {}


def ids() -> dict[str, list[int]]:
    return {
        "store_id": list(Store.objects.values_list("pk", flat=True)),
        "order_id": list(Order.objects.values_list("pk", flat=True)[:3]),
        "customer_id": list(Customer.objects.values_list("pk", flat=True)[:3]),
        "membership_id": list(Membership.objects.values_list("pk", flat=True)),
    }


def fill(route: str, known: dict[str, list[int]], draw: Any) -> str:
    """The route with each `<conv:name>` filled: a real id, a hostile number, or (str/slug) fuzzed text."""

    def one(match: re.Match[str]) -> str:
        conv, name = match.group(1) or "str", match.group(2)
        if conv == "int":
            real = known.get(name) or [1]
            return str(draw(st.sampled_from([*real, 0, 10**18, 2**63, 10**30])))
        text = draw(st.sampled_from(["x", "missing", "invalid_url", "a" * 300, "%00", "%E2%80%AE"]))
        return text

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", one, route)


@st.composite
def requests(draw: Any, known: dict[str, list[int]], methods: dict[str, list[str]]) -> tuple[str, str, dict[str, Any]]:
    route = draw(st.sampled_from(sorted(ROUTES)))
    method = draw(st.sampled_from(methods[route]))
    own = ROUTES[route] or PARAMETERS
    names = draw(st.lists(st.sampled_from(own), min_size=1, max_size=5, unique=True))
    names += draw(st.lists(st.sampled_from(PARAMETERS), max_size=1))  # now and then one the view does not read
    params = {name: draw(st.one_of(values, st.lists(values, min_size=2, max_size=3))) for name in names}
    return method, fill(route, known, draw), params


def methods_of(client: Client, known: dict[str, list[int]]) -> dict[str, list[str]]:
    """GET and POST for each route, or the ones its 405 answer allows (so examples are not spent on 405s)."""
    out: dict[str, list[str]] = {}
    for route in ROUTES:
        path = "/" + re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: str((known.get(m.group(2)) or [1])[0]), route)
        response = client.options(path)
        allowed = [m.strip() for m in response.get("Allow", "").split(",") if m.strip() in ("GET", "POST")]
        out[route] = allowed if response.status_code == 405 or allowed else ["GET", "POST"]
    return out


def test_the_parameters_are_found_in_the_source() -> None:
    assert {"from", "to", "grain", "q", "after", "status", "url", "consumer_key", "role"} <= set(PARAMETERS)
    assert {"sales/", "orders/<int:order_id>/", "sources/add/", "accounts/login/"} <= set(ROUTES)
    assert {"from", "to", "grain", "preset", "source", "format"} <= set(ROUTES["sales/"])
    assert {"url"} <= set(ROUTES["sources/add/"])


def test_no_page_answers_a_server_error_to_any_parameter(
    signed_in: tuple[Client, dict[str, list[int]]], alice: Any
) -> None:
    client, _ = signed_in
    known = ids()
    methods = methods_of(client, known)
    failures: list[str] = []

    @settings(
        max_examples=int(os.environ.get("FUZZ_EXAMPLES", "250")),
        derandomize=not os.environ.get("FUZZ_RANDOM"),  # FUZZ_RANDOM=1 FUZZ_EXAMPLES=5000: explore locally
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(requests(known, methods))
    def one(request: tuple[str, str, dict[str, Any]]) -> None:
        method, path, params = request
        # A request may sign out, give away the workspace or remove a store: put things back for the next one.
        client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
        Membership.objects.filter(user=alice).update(role="owner")
        if not Store.objects.exists():
            make_shops(Workspace.objects.get(name="Alice's Shop"))
        call = client.get if method == "GET" else client.post
        try:
            status = call(path, params).status_code

        except Exception as exc:  # the test client re-raises a view's exception: that is the 500
            frames = traceback.extract_tb(exc.__traceback__)
            where = next((f for f in reversed(frames) if "/storelens/" in f.filename), frames[-1])
            failures.append(f"{method} {path} {params!r} → {exc!r} at {where.filename}:{where.lineno}")
            return
        if status >= 500:
            failures.append(f"{method} {path} {params!r} → {status}")

    one()
    assert failures == [], "\n".join(failures)

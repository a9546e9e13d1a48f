"""The permission table, role × action, through the pages: each allowed request works, each refused one answers 403
with a plain sentence and changes nothing, and the buttons of a refused action are not on the page.

The API is tested the same way in tests/api/test_roles_api.py, the CLI in tests/accounts/test_team.py.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from storelens.accounts.models import ApiToken, Membership, Role, Workspace
from storelens.accounts.permissions import PERMISSIONS, ROUTE_ACTIONS, WORDS, Action, allows
from storelens.analytics.reports.currency import reporting_currency
from storelens.commerce.models import Customer, Order
from storelens.stores.models import Store
from tests.analytics.shops import make_shops
from tests.conftest import POSTGRES_PASS
from tests.stores.workspace_routes import a_store

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        POSTGRES_PASS, reason="the role table is the same on every database: checked once, on the SQLite pass"
    ),
]
ROLES = [r.value for r in Role]


@dataclass
class World:
    workspace: Workspace
    users: dict[str, Any]
    clients: dict[str, Client]
    ny: Store
    plain: Store
    order: Order
    customer: Customer
    owner_token: ApiToken
    extra: dict[str, Any] = field(default_factory=dict)

    def member(self, role: str) -> Membership:
        return Membership.objects.get(workspace=self.workspace, user=self.users[role])


@pytest.fixture
def world(alice: Any, make_member: Callable[..., Any], client_for: Callable[[Any], Client]) -> World:
    workspace = Workspace.objects.get(name="Alice's Shop")
    users = {"owner": alice} | {r: make_member(f"{r}@example.com", "Alice's Shop", role=r) for r in ROLES[1:]}
    ny, _ = make_shops(workspace)
    plain = Store.objects.get(pk=a_store(workspace)["store_id"])
    return World(
        workspace=workspace,
        users=users,
        clients={role: client_for(user) for role, user in users.items()},
        ny=ny,
        plain=plain,
        order=Order.objects.get(store=ny, wc_id=1),
        customer=Customer.objects.get(store=ny, email="ann@x.org"),
        owner_token=ApiToken.issue(alice, workspace, "owner-token")[0],
    )


@dataclass(frozen=True)
class Probe:
    method: str
    path: Callable[[World], str]
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    # For a write: did it happen? Checked after the request (must be True when allowed, False when refused).
    happened: Callable[[World], bool] | None = None


def get(path: Callable[[World], str]) -> Probe:
    return Probe("GET", path)


def bystander(world: World) -> Membership:
    """A fresh analyst to invite, promote or remove, so the probes never touch the acting member."""
    if "bystander" not in world.extra:
        from storelens.accounts.models import User

        user = User.objects.create_user("bystander@example.com", "correct-horse-battery-staple")
        world.extra["bystander"] = Membership.objects.create(workspace=world.workspace, user=user, role="analyst")
    return world.extra["bystander"]


def co_owner(world: World) -> Membership:
    if "co_owner" not in world.extra:
        from storelens.accounts.models import User

        user = User.objects.create_user("co-owner@example.com", "correct-horse-battery-staple")
        world.extra["co_owner"] = Membership.objects.create(workspace=world.workspace, user=user, role="owner")
    return world.extra["co_owner"]


def role_of(membership: Membership) -> str:
    membership.refresh_from_db()
    return membership.role


def _goal(world: World) -> bool:
    from storelens.analytics.models import MonthlyGoal

    return MonthlyGoal.objects.filter(workspace=world.workspace).exists()


PROBES: dict[Action, list[Probe]] = {
    Action.VIEW_REVENUE: [
        get(lambda w: "/sales/"),
        get(lambda w: "/products/"),
        get(lambda w: "/subscriptions/"),
        get(lambda w: "/live/activity/?once=1"),
    ],
    Action.VIEW_ORDERS: [
        get(lambda w: "/orders/"),
        get(lambda w: "/orders/?q=ann"),
        get(lambda w: f"/orders/{w.order.pk}/"),
    ],
    Action.VIEW_CUSTOMERS: [get(lambda w: "/customers/"), get(lambda w: f"/customers/{w.customer.pk}/")],
    Action.EXPORT: [get(lambda w: "/orders/?format=csv"), get(lambda w: "/customers/?format=csv")],
    Action.VIEW_STORES: [
        get(lambda w: "/sources/"),
        get(lambda w: f"/sources/{w.plain.pk}/"),
        get(lambda w: f"/sources/{w.plain.pk}/card/"),
    ],
    Action.MANAGE_STORES: [
        get(lambda w: "/sources/add/"),
        get(lambda w: f"/sources/{w.plain.pk}/remove/"),
        Probe(
            "POST",
            lambda w: f"/sources/{w.ny.pk}/figures/",
            lambda w: {"setting": "date_basis", "date_basis": "created"},
            lambda w: Store.objects.get(pk=w.ny.pk).date_basis == "created",
        ),
        Probe(
            "POST",
            lambda w: f"/stores/{w.ny.pk}/figures/",
            lambda w: {"date_basis": "completed"},
            lambda w: Store.objects.get(pk=w.ny.pk).date_basis == "completed",
        ),
        Probe("POST", lambda w: f"/sources/{w.plain.pk}/connect/"),
        Probe("POST", lambda w: f"/sources/{w.plain.pk}/sync/"),
        Probe(
            "POST",
            lambda w: f"/sources/{w.plain.pk}/remove/",
            lambda w: {"confirm": "yes"},
            lambda w: not Store.objects.filter(pk=w.plain.pk).exists(),
        ),
    ],
    Action.MANAGE_SETTINGS: [
        Probe(
            "POST",
            lambda w: "/settings/reporting-currency/",
            lambda w: {"currency": "GBP"},
            lambda w: reporting_currency(w.workspace) == "GBP",
        ),
        Probe(
            "POST",
            lambda w: "/goal/",
            lambda w: {"goal": "1000", "currency": "USD"},
            _goal,
        ),
    ],
    Action.VIEW_TEAM: [get(lambda w: "/accounts/team/")],
    Action.MANAGE_TEAM: [
        Probe(
            "POST",
            lambda w: "/accounts/team/invite/",
            lambda w: {"role": "support"},
            lambda w: w.workspace.invites.filter(role="support").exists(),
        ),
        Probe(
            "POST",
            lambda w: f"/accounts/team/{bystander(w).pk}/role/",
            lambda w: {"role": "support"},
            lambda w: role_of(bystander(w)) == "support",
        ),
        Probe(
            "POST",
            lambda w: f"/accounts/team/{bystander(w).pk}/remove/",
            happened=lambda w: not Membership.objects.filter(pk=bystander(w).pk).exists(),
        ),
    ],
    Action.MANAGE_OWNERS: [
        Probe(
            "POST",
            lambda w: "/accounts/team/invite/",
            lambda w: {"role": "owner"},
            lambda w: w.workspace.invites.filter(role="owner").exists(),
        ),
        Probe(
            "POST",
            lambda w: f"/accounts/team/{co_owner(w).pk}/role/",
            lambda w: {"role": "admin"},
            lambda w: role_of(co_owner(w)) == "admin",
        ),
        Probe(
            "POST",
            lambda w: f"/accounts/team/{bystander(w).pk}/role/",
            lambda w: {"role": "owner"},
            lambda w: role_of(bystander(w)) == "owner",
        ),
    ],
    Action.MANAGE_WORKSPACE: [
        Probe(
            "POST",
            lambda w: "/settings/workspace/",
            lambda w: {"workspace-name": "Renamed"},
            lambda w: Workspace.objects.get(pk=w.workspace.pk).name == "Renamed",
        ),
    ],
    Action.OWN_TOKENS: [
        Probe(
            "POST",
            lambda w: "/settings/tokens/",
            lambda w: {"token-name": "mine"},
            lambda w: ApiToken.objects.filter(name="mine").exists(),
        ),
    ],
    Action.ALL_TOKENS: [
        # The issue's case: a plain member could revoke the owner's token.
        Probe(
            "POST",
            lambda w: f"/settings/tokens/{w.owner_token.pk}/revoke/",
            happened=lambda w: not ApiToken.objects.filter(pk=w.owner_token.pk).exists(),
        ),
    ],
}


# Markers of an action's buttons or links: on the page iff the role may use the action.
SHOWN: dict[Action, tuple[Callable[[World], str], str]] = {
    Action.VIEW_REVENUE: (lambda w: "/orders/", 'href="/sales/"'),
    Action.EXPORT: (lambda w: "/customers/", "Export CSV"),
    Action.MANAGE_STORES: (lambda w: "/sources/", "Add a WooCommerce store"),
    Action.MANAGE_SETTINGS: (lambda w: "/settings/", 'action="/settings/reporting-currency/"'),
    Action.MANAGE_TEAM: (lambda w: "/accounts/team/", "Create invite link"),
    Action.MANAGE_OWNERS: (lambda w: "/accounts/team/", 'value="owner"'),
    Action.MANAGE_WORKSPACE: (lambda w: "/settings/", 'action="/settings/workspace/"'),
    Action.ALL_TOKENS: (lambda w: "/settings/", "owner-token"),
}

CASES = [(role, action) for action in PROBES for role in ROLES]


@pytest.mark.parametrize(("role", "action"), CASES, ids=[f"{r}-{a.value}" for r, a in CASES])
def test_each_role_may_use_exactly_the_actions_the_table_gives_it(world: World, role: str, action: Action) -> None:
    client = world.clients[role]
    allowed = allows(role, action)
    for probe in PROBES[action]:
        path = probe.path(world)
        response = client.generic(probe.method, path, _form(probe.data(world)), "application/x-www-form-urlencoded")
        where = f"{role} {probe.method} {path}"
        if allowed:
            assert response.status_code != 403, f"{where} was refused: {response.content[:300]!r}"
            assert response.status_code < 500, where
        else:
            assert response.status_code == 403, f"{where} answered {response.status_code}, not 403"
            # The page's own action or the probe's (an analyst changing an owner is refused for the team already).
            text = html.unescape(response.content.decode())
            assert any(WORDS[a] in text for a in Action if not allows(role, a)), where
        if probe.happened is not None:
            assert probe.happened(world) is allowed, (
                f"{where}: the change {'did not happen' if allowed else 'happened'}"
            )
    if action in SHOWN:
        page, marker = SHOWN[action]
        shown = client.get(page(world)).content.decode()
        assert (marker in shown) is allowed, f"{role} on {page(world)}: “{marker}” {'missing' if allowed else 'shown'}"


def _form(data: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(data)


def test_every_action_of_the_table_is_probed_for_pages_or_the_api() -> None:
    assert set(PROBES) | {Action.API_WRITE} == set(Action) == set(PERMISSIONS)


def test_every_named_page_route_says_which_action_it_needs() -> None:
    """A new page must be added to ROUTE_ACTIONS (None when any member may use it), so no page is open by mistake."""

    def names(patterns: list[Any], namespace: str = "") -> set[str]:
        found: set[str] = set()
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                found |= names(entry.url_patterns, ns)
            elif isinstance(entry, URLPattern) and entry.name:
                found.add(namespace + entry.name)
        return found

    pages = {name for name in names(get_resolver().url_patterns) if not name.startswith("api:")}
    assert pages - set(ROUTE_ACTIONS) == set()


@pytest.mark.parametrize(("role", "landing"), [("owner", 200), ("analyst", 200), ("support", "/orders/")])
def test_home_shows_the_dashboard_or_sends_support_to_orders(world: World, role: str, landing: Any) -> None:
    response = world.clients[role].get("/")
    if landing == 200:
        assert response.status_code == 200
    else:
        assert (response.status_code, response["Location"]) == (302, landing)


def test_support_sees_customers_without_money_summed_across_them(world: World) -> None:
    support = world.clients["support"].get("/customers/").content.decode()
    analyst = world.clients["analyst"].get("/customers/").content.decode()
    for aggregate in ("Average lifetime value", "Top 20 % share"):
        assert aggregate in analyst and aggregate not in support
    assert "ann@x.org" in support and "Returning customers" in support  # the people and their counts stay


def test_a_member_sees_only_their_own_tokens_and_an_admin_sees_all(world: World) -> None:
    ApiToken.issue(world.users["analyst"], world.workspace, "analyst-token")
    analyst = world.clients["analyst"].get("/settings/").content.decode()
    admin = world.clients["admin"].get("/settings/").content.decode()
    assert "analyst-token" in analyst and "owner-token" not in analyst
    assert "analyst-token" in admin and "owner-token" in admin


def test_a_member_revokes_their_own_token(world: World) -> None:
    token, _ = ApiToken.issue(world.users["support"], world.workspace, "support-token")
    assert world.clients["support"].post(f"/settings/tokens/{token.pk}/revoke/").status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_the_refusal_says_what_the_role_cannot_do_and_whom_to_ask(world: World) -> None:
    response = world.clients["analyst"].post(f"/sources/{world.plain.pk}/remove/", {"confirm": "yes"})
    text = response.content.decode()
    assert response.status_code == 403
    assert "Your role in this workspace (Analyst) cannot add, connect, sync, configure or remove stores." in text
    assert "Ask an owner or admin" in text


def test_support_gets_no_export_button_on_orders_and_no_store_buttons(world: World) -> None:
    support = world.clients["support"]
    assert "Export CSV" not in support.get("/orders/").content.decode()
    assert "Export CSV" in world.clients["analyst"].get("/orders/").content.decode()
    store_page = support.get(f"/sources/{world.ny.pk}/").content.decode()
    admin_page = world.clients["admin"].get(f"/sources/{world.ny.pk}/").content.decode()
    for button in ("Check connection", "Remove…", "Check and save keys"):
        assert button in admin_page and button not in store_page, button


def test_without_stores_only_a_role_that_adds_them_is_offered_the_button(
    alice: Any, make_member: Any, client_for: Any
) -> None:
    analyst = client_for(make_member("analyst@example.com", "Alice's Shop", role="analyst"))
    support = client_for(make_member("support@example.com", "Alice's Shop", role="support"))
    assert "Connect your first store</a>" in client_for(alice).get("/").content.decode()
    assert "Connect your first store</a>" not in analyst.get("/").content.decode()
    orders = support.get("/orders/").content.decode()
    assert "No store connected yet" in orders and "ask one of them" in orders and "/sources/add/" not in orders

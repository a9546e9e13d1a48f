"""The permission table through the JSON API with Bearer tokens: a token acts with its user's current role.

Refused calls answer 403 with a JSON `detail` that says what the role cannot do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from storelens.accounts.models import ApiToken, Membership, Role, Workspace
from storelens.accounts.permissions import API_ACTIONS, WORDS, Action, allows
from storelens.api.routers import ROUTERS
from storelens.commerce.models import Customer, Order
from tests.analytics.shops import make_shops
from tests.conftest import POSTGRES_PASS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        POSTGRES_PASS, reason="the role table is the same on every database: checked once, on the SQLite pass"
    ),
]
ROLES = [r.value for r in Role]
MARCH = "date_from=2025-03-01&date_to=2025-03-31"


@pytest.fixture
def world(alice: Any, make_member: Callable[..., Any]) -> dict[str, Any]:
    workspace = Workspace.objects.get(name="Alice's Shop")
    users = {"owner": alice} | {r: make_member(f"{r}@example.com", "Alice's Shop", role=r) for r in ROLES[1:]}
    ny, _ = make_shops(workspace)
    tokens = {role: ApiToken.issue(user, workspace, f"{role}-token") for role, user in users.items()}
    return {
        "workspace": workspace,
        "users": users,
        "tokens": {role: token for role, (token, _) in tokens.items()},
        "clients": {role: Client(headers={"Authorization": f"Bearer {raw}"}) for role, (_, raw) in tokens.items()},
        "ny": ny,
        "order": Order.objects.get(store=ny, wc_id=1),
        "customer": Customer.objects.get(store=ny, email="ann@x.org"),
    }


READS: dict[Action, list[Callable[[dict[str, Any]], str]]] = {
    Action.VIEW_REVENUE: [
        lambda w: f"/api/v1/metrics/summary?{MARCH}",
        lambda w: f"/api/v1/metrics/series?{MARCH}&grain=week",
        lambda w: f"/api/v1/products?{MARCH}",
    ],
    Action.VIEW_ORDERS: [lambda w: f"/api/v1/orders?{MARCH}", lambda w: f"/api/v1/orders/{w['order'].pk}"],
    Action.VIEW_CUSTOMERS: [lambda w: "/api/v1/customers", lambda w: f"/api/v1/customers/{w['customer'].pk}"],
    Action.OWN_TOKENS: [lambda w: "/api/v1/tokens"],
}
CASES = [(role, action) for action in READS for role in ROLES]


def _refused(response: Any, action: Action) -> bool:
    return response.status_code == 403 and WORDS[action] in response.json()["detail"]


@pytest.mark.parametrize(("role", "action"), CASES, ids=[f"{r}-{a.value}" for r, a in CASES])
def test_a_token_reads_what_its_users_role_may_read(world: dict[str, Any], role: str, action: Action) -> None:
    for path in READS[action]:
        response = world["clients"][role].get(path(world))
        if allows(role, action):
            assert response.status_code == 200, f"{role} GET {path(world)}: {response.content[:300]!r}"
        else:
            assert _refused(response, action), f"{role} GET {path(world)}: {response.status_code}"


@pytest.mark.parametrize("role", ROLES)
def test_only_owner_and_admin_tokens_write_and_revoke_others_tokens(world: dict[str, Any], role: str) -> None:
    client, own = world["clients"][role], world["tokens"][role]
    others = [t for r, t in world["tokens"].items() if r != role]
    listed = {t["id"] for t in client.get("/api/v1/tokens").json()}
    if allows(role, Action.ALL_TOKENS):
        assert listed == {t.pk for t in world["tokens"].values()}
    else:
        assert listed == {own.pk}
        assert _refused(client.get(f"/api/v1/tokens/{others[0].pk}"), Action.ALL_TOKENS)
    response = client.delete(f"/api/v1/tokens/{others[0].pk}")
    if allows(role, Action.API_WRITE):
        assert response.status_code == 204
        assert not ApiToken.objects.filter(pk=others[0].pk).exists()
    else:  # an analyst's or support's token is read-only: not even its own revocation goes through the API
        assert _refused(response, Action.API_WRITE)
        assert _refused(client.delete(f"/api/v1/tokens/{own.pk}"), Action.API_WRITE)
        assert ApiToken.objects.filter(pk__in=[own.pk, others[0].pk]).count() == 2


def test_a_token_follows_its_users_role_when_it_changes(world: dict[str, Any]) -> None:
    client = world["clients"]["analyst"]
    assert client.get(f"/api/v1/metrics/summary?{MARCH}").status_code == 200
    Membership.objects.filter(user=world["users"]["analyst"]).update(role="support")
    assert _refused(client.get(f"/api/v1/metrics/summary?{MARCH}"), Action.VIEW_REVENUE)
    assert client.get(f"/api/v1/orders?{MARCH}").status_code == 200


def test_a_signed_in_session_is_held_to_the_same_table(world: dict[str, Any], client_for: Any) -> None:
    session = client_for(world["users"]["support"])
    response = session.get(f"/api/v1/metrics/summary?{MARCH}")
    assert response.status_code == 403 and "revenue totals" in response.json()["detail"]
    assert session.get("/api/v1/me").json()["workspace"]["role"] == "support"


def test_every_api_router_says_which_action_it_needs() -> None:
    assert {prefix for prefix, _ in ROUTERS} <= set(API_ACTIONS)


def test_the_openapi_document_declares_the_403_of_every_operation(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    operations = [op for ops in paths.values() for op in ops.values()]
    assert operations and all("403" in op["responses"] for op in operations)

"""Another workspace's object answers 404 on every route, present and future (see tests/scoping.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from storelens.accounts.models import ApiToken
from storelens.accounts.scoping import get_workspace_object_or_404, scoped
from tests.dashboard.workspace_routes import a_token
from tests.scoping import Actor, ScopedRoute, audit, iter_routes, load_registry


@pytest.fixture
def owner(alice: Any, client_for: Any) -> Actor:
    workspace = alice.workspaces().get()
    return Actor(workspace, client_for(alice), ApiToken.issue(alice, workspace)[1])


@pytest.fixture
def outsider(bob: Any, client_for: Any) -> Actor:
    workspace = bob.workspaces().get()
    return Actor(workspace, client_for(bob), ApiToken.issue(bob, workspace)[1])


def test_every_route_with_a_path_parameter_hides_other_workspaces_objects(owner: Actor, outsider: Actor) -> None:
    scoped_routes, unscoped_routes = load_registry()
    assert audit(owner, outsider, scoped_routes, unscoped_routes) == []


def test_the_audit_covers_the_routes_that_exist_now() -> None:
    keys = {route.key for route in iter_routes() if route.params}
    assert {"dashboard:revoke_token", "api:get_token", "api:revoke_token"} <= keys


def test_audit_reports_a_view_that_forgets_the_workspace(owner: Actor, outsider: Actor) -> None:
    registry = {"leaky": ScopedRoute(a_token), "scoped": ScopedRoute(a_token)}
    problems = audit(owner, outsider, registry, {"forgotten": "test"}, urlconf="tests.accounts.leaky_urls")
    assert len(problems) == 1
    assert "GET /leaky/" in problems[0] and "answered 200 to a member of another workspace" in problems[0]


def test_audit_reports_an_unregistered_route(owner: Actor, outsider: Actor) -> None:
    registry = {"leaky": ScopedRoute(a_token), "scoped": ScopedRoute(a_token)}
    problems = audit(owner, outsider, registry, {"leaky": "pretend"}, urlconf="tests.accounts.leaky_urls")
    assert any(
        "forgotten (/forgotten/<int:token_id>/) has path parameters but is not registered" in p for p in problems
    )


def test_audit_reports_a_registration_whose_object_is_not_what_the_url_names(owner: Actor, outsider: Actor) -> None:
    def wrong(workspace: Any) -> dict[str, int]:
        return {"token_id": 999_999}

    problems = audit(
        owner,
        outsider,
        {"scoped": ScopedRoute(wrong)},
        {"leaky": "x", "forgotten": "x"},
        urlconf="tests.accounts.leaky_urls",
    )
    assert len(problems) == 1 and "answered 404 to its own workspace too" in problems[0]


def test_scoped_helpers_filter_by_workspace(alice: Any, bob: Any) -> None:
    alice_ws, bob_ws = alice.workspaces().get(), bob.workspaces().get()
    token, _ = ApiToken.issue(alice, alice_ws)
    assert list(scoped(alice_ws, ApiToken)) == [token]
    assert list(scoped(bob_ws, ApiToken)) == []
    assert get_workspace_object_or_404(alice_ws, ApiToken, pk=token.pk) == token
    with pytest.raises(Http404):
        get_workspace_object_or_404(bob_ws, ApiToken, pk=token.pk)
    with pytest.raises(Http404):
        get_workspace_object_or_404(alice_ws, ApiToken, pk="not-a-number")

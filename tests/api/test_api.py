"""The JSON API skeleton: Bearer tokens, /me, tokens, OpenAPI."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from storelens.accounts.models import ApiToken, Membership

pytestmark = pytest.mark.django_db


def test_me_with_a_bearer_token(alice: Any, api_client_for: Any) -> None:
    body = api_client_for(alice).get("/api/v1/me").json()
    assert body["email"] == "alice@example.com"
    assert body["workspace"] == {"id": alice.workspaces().get().pk, "name": "Alice's Shop", "role": "owner"}


@pytest.mark.parametrize("header", [None, "Bearer sl_not-a-real-token", "Basic YWxpY2U6eA==", "Bearer "])
def test_me_without_a_valid_token_is_401_with_how_to_get_one(alice: Any, header: str | None) -> None:
    client = Client(headers={"Authorization": header} if header else {})
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "storelens tokens create --user EMAIL" in response.json()["detail"]


def test_a_token_stops_working_when_its_user_leaves_the_workspace(alice: Any) -> None:
    _, raw = ApiToken.issue(alice, alice.workspaces().get())
    Membership.objects.filter(user=alice).delete()
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me").status_code == 401


def test_a_token_stops_working_when_its_user_is_deactivated(alice: Any) -> None:
    _, raw = ApiToken.issue(alice, alice.workspaces().get())
    alice.is_active = False
    alice.save()
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me").status_code == 401


def test_the_token_records_when_it_was_last_used(alice: Any) -> None:
    token, raw = ApiToken.issue(alice, alice.workspaces().get())
    Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_signed_in_browser_session_can_call_the_api(alice: Any, client_for: Any) -> None:
    assert client_for(alice).get("/api/v1/me").json()["email"] == "alice@example.com"


def test_session_calls_that_change_data_need_the_csrf_token(alice: Any, csrf_client: Client) -> None:
    token, _ = ApiToken.issue(alice, alice.workspaces().get())
    csrf_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert csrf_client.delete(f"/api/v1/tokens/{token.pk}").status_code in (401, 403)
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_tokens_of_the_workspace_can_be_listed_read_and_revoked(alice: Any, api_client_for: Any) -> None:
    client = api_client_for(alice)
    listed = client.get("/api/v1/tokens").json()
    assert [t["name"] for t in listed] == ["test"]
    token_id = listed[0]["id"]
    assert client.get(f"/api/v1/tokens/{token_id}").json()["user"] == "alice@example.com"
    assert client.delete(f"/api/v1/tokens/{token_id}").status_code == 204
    assert client.get("/api/v1/me").status_code == 401  # it revoked itself


def test_openapi_document_describes_bearer_auth_and_me(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in document["paths"]
    schemes = document["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["BearerToken"].items()

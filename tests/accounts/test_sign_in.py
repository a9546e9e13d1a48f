"""Sign in, sign out, throttled failures, change password, switch workspace."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.accounts.test_signup import csrf_post
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client: Client, email: str, password: str) -> Any:
    return csrf_post(client, "/accounts/login/", {"username": email, "password": password})


def test_sign_in_with_any_case_of_the_email_reaches_the_dashboard(alice: Any, csrf_client: Client) -> None:
    response = sign_in(csrf_client, "ALICE@example.com", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert b"Alice&#x27;s Shop" in csrf_client.get("/").content


def test_wrong_password_says_so_without_revealing_which_part_was_wrong(alice: Any, csrf_client: Client) -> None:
    response = sign_in(csrf_client, "alice@example.com", "wrong-password")
    assert response.status_code == 200
    assert b"This e-mail and password do not match an account" in response.content


def test_repeated_failures_lock_sign_in_even_with_the_right_password(
    alice: Any, bob: Any, csrf_client: Client, settings: Any
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(csrf_client, "alice@example.com", "wrong-password").status_code == 200
    assert sign_in(csrf_client, "alice@example.com", "wrong-password").status_code == 429
    response = sign_in(csrf_client, "alice@example.com", PASSWORD)
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content
    assert "_auth_user_id" not in csrf_client.session
    assert sign_in(Client(enforce_csrf_checks=True), "bob@example.com", "wrong-password").status_code == 200


def test_a_lockout_names_how_long_it_lasts(alice: Any, csrf_client: Client, settings: Any) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(csrf_client, "alice@example.com", "wrong-password")
    assert b"paused for 15 minutes" in response.content


def test_sign_out_needs_a_post_and_ends_the_session(alice: Any, csrf_client: Client) -> None:
    sign_in(csrf_client, "alice@example.com", PASSWORD)
    assert csrf_client.get("/accounts/logout/").status_code == 405
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert csrf_client.get("/")["Location"].startswith("/accounts/login/")


def test_change_password_replaces_the_old_one(alice: Any, csrf_client: Client) -> None:
    sign_in(csrf_client, "alice@example.com", PASSWORD)
    new = "a-brand-new-passphrase"
    response = csrf_post(
        csrf_client,
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302 and response["Location"] == "/settings/"
    alice.refresh_from_db()
    assert alice.check_password(new) and not alice.check_password(PASSWORD)
    assert csrf_client.get("/settings/").status_code == 200  # still signed in


def test_pages_need_sign_in(alice: Any, client: Client) -> None:
    for url in ("/", "/settings/", "/accounts/password/"):
        assert client.get(url)["Location"].startswith("/accounts/login/?next=")


def test_a_member_of_two_workspaces_switches_between_them(alice: Any, make_member: Any, client_for: Any) -> None:
    make_member("alice@example.com", "Alice's Second Shop", role="admin")
    client = client_for(alice)
    assert b"Alice&#x27;s Shop" in client.get("/").content
    second = alice.workspaces().get(name="Alice's Second Shop")
    client.post("/accounts/workspace/switch/", {"workspace": second.pk})
    assert client.get("/api/v1/me").json()["workspace"]["name"] == "Alice's Second Shop"


def test_switching_to_a_workspace_one_is_not_in_changes_nothing(alice: Any, bob: Any, client_for: Any) -> None:
    client = client_for(alice)
    client.post("/accounts/workspace/switch/", {"workspace": bob.workspaces().get().pk})
    assert client.get("/api/v1/me").json()["workspace"]["name"] == "Alice's Shop"


def test_a_user_in_no_workspace_is_told_how_to_join_one(client_for: Any, django_user_model: Any) -> None:
    loner = django_user_model.objects.create_user("loner@example.com", PASSWORD)
    response = client_for(loner).get("/")
    assert response.status_code == 403
    assert b"storelens users add loner@example.com" in response.content

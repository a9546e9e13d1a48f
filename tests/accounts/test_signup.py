"""The first visit creates the owner's account; later sign-ups only when open sign-up is on."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from storelens.accounts.models import Membership, User, Workspace
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def csrf_post(client: Client, url: str, data: dict[str, str]) -> Any:
    """GET the form first, as a browser does, and post back with its CSRF token."""
    client.get(url)
    return client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


SIGNUP = {
    "email": "Owner@Example.com",
    "name": "Olive Owner",
    "workspace": "Olive's Oils",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def test_first_visit_leads_to_creating_the_first_account(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/"
    assert client.get("/accounts/login/")["Location"] == "/accounts/signup/"
    page = client.get("/accounts/signup/")
    assert b"Welcome to Storelens" in page.content and b"Create the first account" in page.content


def test_sign_up_creates_an_owner_of_a_new_workspace_and_signs_them_in(csrf_client: Client) -> None:
    response = csrf_post(csrf_client, "/accounts/signup/", SIGNUP)
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get()
    assert user.email == "owner@example.com"
    assert user.password.startswith("argon2$")
    membership = Membership.objects.get(user=user)
    assert membership.role == "owner" and membership.workspace.name == "Olive's Oils"
    home = csrf_client.get("/")
    assert home.status_code == 200 and b"Connect your first store" in home.content


def test_sign_up_without_the_csrf_token_is_refused(csrf_client: Client) -> None:
    response = csrf_client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 403
    assert not User.objects.exists()


def test_sign_up_refuses_a_weak_or_mismatched_password(csrf_client: Client) -> None:
    response = csrf_post(csrf_client, "/accounts/signup/", {**SIGNUP, "password1": "12345", "password2": "12345"})
    assert response.status_code == 200 and b"too short" in response.content
    response = csrf_post(csrf_client, "/accounts/signup/", {**SIGNUP, "password2": PASSWORD + "x"})
    assert b"The two passwords differ" in response.content
    assert not User.objects.exists()


def test_later_sign_ups_are_closed_by_default(alice: Any, csrf_client: Client) -> None:
    page = csrf_client.get("/accounts/signup/")
    assert page.status_code == 403 and b"storelens users create" in page.content
    assert csrf_client.post("/accounts/signup/", SIGNUP).status_code == 403
    assert User.objects.count() == 1


def test_open_sign_up_gives_each_new_user_their_own_workspace(alice: Any, csrf_client: Client, settings: Any) -> None:
    settings.STORELENS_OPEN_SIGNUP = True
    response = csrf_post(csrf_client, "/accounts/signup/", {**SIGNUP, "email": "second@example.com"})
    assert response.status_code == 302
    second = User.objects.get(email="second@example.com")
    assert [w.name for w in second.workspaces()] == ["Olive's Oils"]
    assert Workspace.objects.count() == 2


def test_sign_up_with_an_existing_email_says_sign_in_instead(alice: Any, csrf_client: Client, settings: Any) -> None:
    settings.STORELENS_OPEN_SIGNUP = True
    response = csrf_post(csrf_client, "/accounts/signup/", {**SIGNUP, "email": "ALICE@example.com"})
    assert b"sign in instead" in response.content


def test_a_sign_up_that_lost_the_race_for_the_first_account_is_refused(settings: Any) -> None:
    from storelens.accounts.signup import SignupClosed, create_account

    create_account("first@example.com", PASSWORD, "First")
    with pytest.raises(SignupClosed):
        create_account("second@example.com", PASSWORD, "Second")
    assert User.objects.count() == 1

"""The sign-in lockout counts per person, however the e-mail is typed (issue 14, item 1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.accounts.test_sign_in import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_changing_the_case_or_spaces_of_the_email_gets_no_fresh_guesses(
    alice: Any, csrf_client: Client, settings: Any
) -> None:
    spellings = [
        "alice@example.com",
        "Alice@example.com",
        "aLice@example.com",
        " ALICE@EXAMPLE.COM ",
        "alIce@Example.com",
    ]
    for typed in spellings[: settings.AXES_FAILURE_LIMIT]:
        sign_in(csrf_client, typed, "wrong-password")
    for typed in spellings:
        response = sign_in(csrf_client, typed, PASSWORD)
        assert response.status_code == 429, typed
    assert "_auth_user_id" not in csrf_client.session


def test_a_lockout_earned_with_one_spelling_does_not_spill_onto_another_person(
    alice: Any, bob: Any, csrf_client: Client, settings: Any
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(csrf_client, "ALICE@example.com", "wrong-password")
    assert sign_in(csrf_client, "bob@example.com", PASSWORD).status_code == 302

"""Switching workspace with a value that names none (text, a huge number) says so; it answered 500 (found by the
page fuzzing pass: filtering memberships by `workspace_id="date"` raised ValueError)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["date", "²", "9" * 5000, "", "1e3"])
def test_switching_to_a_workspace_that_is_not_a_number_says_you_are_not_a_member(
    alice: Any, client_for: Any, value: str
) -> None:
    response = client_for(alice).post("/accounts/workspace/switch/", {"workspace": value}, follow=True)
    assert response.status_code == 200
    assert "You are not a member of that workspace." in response.content.decode()

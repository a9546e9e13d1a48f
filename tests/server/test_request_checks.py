"""Parameters no field accepts are refused before a view reads them, and numbers typed into URLs are read safely:
each case below answered 500 before (PostgreSQL refuses NUL in text, SQLite's full-text search choked on it, int()
refuses "²" and 5,000 digits, BIGINT refuses 2^64). Runs on both databases: NUL is a database matter."""

from __future__ import annotations

from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.analytics.reports.whole_numbers import whole_number
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(alice: Any, client_for: Any) -> Any:
    make_shops(Workspace.objects.get(name="Alice's Shop"))
    return client_for(alice)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/orders/", {"q": "a\x00b"}),
        ("/orders/", {"country": "a\x00b", "status": "\x00"}),
        ("/customers/", {"segment": "\x00", "format": "csv"}),
        ("/sales/", {"country": "\x00\x00"}),
        ("/accounts/invite/a%00b/", {}),
    ],
)
def test_a_nul_in_a_page_parameter_answers_400_saying_what_to_remove(client: Any, path: str, params: dict) -> None:
    response = client.get(path, params)
    assert response.status_code == 400
    assert "remove the NUL character" in response.content.decode()


def test_a_nul_in_a_form_field_answers_400(client: Any) -> None:
    assert client.post("/goal/", {"goal": "100", "currency": "US\x00"}).status_code == 400


@pytest.mark.parametrize("query", ["q=a%00b", "after=%00"])
def test_a_nul_in_an_api_parameter_answers_422_in_the_apis_format(alice: Any, api_client_for: Any, query: str) -> None:
    make_shops(Workspace.objects.get(name="Alice's Shop"))
    response = api_client_for(alice).get(f"/api/v1/orders?{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "nul_character"


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/orders/", {"q": "9" * 5000}),
        ("/orders/", {"q": "²"}),
        ("/orders/", {"q": "99999999999999999999"}),
        ("/orders/", {"n": "9" * 5000}),
        ("/orders/", {"n": "²"}),
        ("/sales/", {"source": "9" * 5000}),
        ("/sales/", {"source": "²"}),
        ("/sales/", {"product": "²"}),
        ("/sales/", {"product": "99999999999999999999"}),
    ],
)
def test_numbers_typed_into_a_page_are_read_safely(client: Any, path: str, params: dict) -> None:
    assert client.get(path, params).status_code == 200


@pytest.mark.parametrize(
    ("text", "number"),
    [("42", 42), ("0", 0), ("²", None), ("١٢", None), ("9" * 5000, None), (str(2**63), None), ("-1", None), ("", None)],
)
def test_whole_number_reads_only_ascii_digits_a_bigint_holds(text: str, number: int | None) -> None:
    assert whole_number(text) == number

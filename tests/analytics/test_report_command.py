"""`storelens report`: the keys, the money strings, the overrides, two stores in two currencies."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from storelens.accounts.models import Workspace
from storelens.stores.models import Store
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db

KEYS = {
    "orders",
    "net_sales",
    "total_sales",
    "gross_sales",
    "coupons",
    "refunds",
    "taxes",
    "shipping",
    "aov",
    "items_sold",
    "new_customers",
    "returning_customers",
    "currency",
    "from",
    "to",
    "timezone",
}


def report(*args: str) -> tuple[dict, str]:
    out, err = StringIO(), StringIO()
    call_command("report", *args, "--json", stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


@pytest.fixture
def stores() -> tuple[Store, Store]:
    """The hand-checked shops of tests/analytics/shops.py (figures explained there and in the assertions below)."""
    return make_shops(Workspace.objects.create(name="Shops"))


def test_report_prints_every_key_with_the_currencys_decimals(stores: tuple[Store, Store]) -> None:
    ny, _ = stores
    data, err = report("--source", str(ny.pk), "--from", "2025-03-01", "--to", "2025-03-31")
    assert set(data) == KEYS
    assert data == {
        "orders": 3,  # 1, 2, 5 (3 is unpaid; 4 is February)
        "net_sales": "140.00",  # 100 + 40 + 20 − 20 refund
        "total_sales": "146.40",  # 113 + 40 + 20 − 26.60
        "gross_sales": "170.00",  # 110 + 40 + 20
        "coupons": "10.00",
        "refunds": "26.60",
        "taxes": "6.40",  # 8.00 − 1.60
        "shipping": "0.00",  # 5.00 − 5.00
        "aov": "46.67",  # 140 / 3
        "items_sold": 3,  # 2 + 1 + 1 sold, 1 refunded on 6 March (WooCommerce Analytics takes it off)
        "new_customers": 1,  # ann
        "returning_customers": 1,  # cy
        "currency": "USD",
        "from": "2025-03-01",
        "to": "2025-03-31",
        "timezone": "America/New_York",
    }
    assert err == ""


def test_overrides_replace_the_stores_settings_for_this_report_only(stores: tuple[Store, Store]) -> None:
    ny, _ = stores
    created, _ = report("--source", str(ny.pk), "--from", "2025-03-01", "--to", "2025-03-31", "--date-basis", "created")
    assert (created["orders"], created["net_sales"], created["new_customers"]) == (4, "165.00", 2)
    nothing_excluded, _ = report(
        "--source", str(ny.pk), "--from", "2025-03-01", "--to", "2025-03-01", "--exclude-statuses", "completed"
    )
    assert nothing_excluded["orders"] == 0 and nothing_excluded["refunds"] == "0.00"
    ny.refresh_from_db()
    assert ny.date_basis == "paid" and ny.excluded_statuses == ["pending", "failed", "cancelled"]


def test_all_stores_in_one_currency_at_ecb_rates(stores: tuple[Store, Store]) -> None:
    with pytest.raises(CommandError, match="pass --currency"):
        report("--all", "--from", "2025-03-01", "--to", "2025-03-31")
    data, _ = report("--all", "--from", "2025-03-01", "--to", "2025-03-31", "--currency", "USD")
    # 100.00 EUR on 7 March at 1.0857 → 108.57 USD; plus the NY store's 140.00.
    assert (data["orders"], data["net_sales"], data["currency"]) == (4, "248.57", "USD")
    assert data["timezone"] == "America/New_York, Europe/Berlin"
    assert Decimal(data["aov"]) == Decimal("62.14")  # 248.57 / 4 = 62.1425


def test_errors_say_what_to_do(stores: tuple[Store, Store]) -> None:
    with pytest.raises(CommandError, match="sources list"):
        report("--source", "999", "--from", "2025-03-01", "--to", "2025-03-31")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        report("--source", str(stores[0].pk), "--from", "March", "--to", "2025-03-31")
    with pytest.raises(CommandError, match="after --to"):
        report("--source", str(stores[0].pk), "--from", "2025-03-31", "--to", "2025-03-01")
    with pytest.raises(CommandError, match="XAF"):
        report("--source", str(stores[0].pk), "--from", "2025-03-01", "--to", "2025-03-31", "--currency", "XAF")

"""The workspace's reporting currency: chosen on Settings (ECB currencies only), and then the currency of every
combined view — the pages, the API and `storelens report --all` — while a single store keeps its own currency."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from storelens.accounts.models import Workspace
from storelens.analytics.models import WorkspaceReporting
from storelens.analytics.reports.currency import (
    ReportingCurrencyError,
    combined_currency,
    reporting_currency,
    set_reporting_currency,
)
from storelens.analytics.reports.summary import build
from storelens.stores.models import Store
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db
MARCH = (date(2025, 3, 1), date(2025, 3, 31))


@pytest.fixture
def workspace(alice: Any) -> Workspace:
    return Workspace.objects.get(name="Alice's Shop")


@pytest.fixture
def shops(workspace: Workspace) -> tuple[Store, Store]:
    return make_shops(workspace)


def gbp_net_sales(shops: tuple[Store, Store]) -> str:
    """The combined March net sales converted into GBP, as an explicit --currency GBP computes them."""
    return build(list(shops), *MARCH, currency="GBP", with_customers=False).as_json()["net_sales"]


def test_without_a_setting_the_old_rule_stands(workspace: Workspace, shops: tuple[Store, Store]) -> None:
    ny, berlin = shops
    assert combined_currency(workspace, [ny, berlin]) == "USD"  # stores in two currencies: the first store's
    assert combined_currency(workspace, [berlin]) is None  # one currency: unconverted
    assert combined_currency(workspace, [ny, berlin], "chf") == "CHF"  # asked for wins


def test_the_setting_wins_over_the_first_store_but_not_over_an_explicit_currency(
    workspace: Workspace, shops: tuple[Store, Store]
) -> None:
    ny, berlin = shops
    set_reporting_currency(workspace, "gbp")
    assert reporting_currency(workspace) == "GBP"
    assert combined_currency(workspace, [ny, berlin]) == "GBP"
    assert combined_currency(workspace, [berlin]) == "GBP"
    assert combined_currency(workspace, [ny, berlin], "EUR") == "EUR"


def test_only_ecb_currencies_are_accepted_and_blank_clears(workspace: Workspace) -> None:
    with pytest.raises(ReportingCurrencyError, match="ECB"):
        set_reporting_currency(workspace, "XAF")
    assert reporting_currency(workspace) is None
    set_reporting_currency(workspace, "EUR")  # the ECB's base currency is in no column of its history, but valid
    assert reporting_currency(workspace) == "EUR"
    set_reporting_currency(workspace, " ")
    assert not WorkspaceReporting.objects.filter(workspace=workspace).exists()


def test_owner_sets_it_on_the_settings_page(workspace: Workspace, alice: Any, client_for: Any) -> None:
    client = client_for(alice)
    page = client.get("/settings/").content.decode()
    assert "Reporting currency" in page and '<option value="GBP" >GBP</option>' in page
    client.post("/settings/reporting-currency/", {"currency": "GBP"})
    assert reporting_currency(workspace) == "GBP"
    assert '<option value="GBP" selected>GBP</option>' in client.get("/settings/").content.decode()
    answer = client.post("/settings/reporting-currency/", {"currency": "XAF"}, follow=True).content.decode()
    assert "not a currency the ECB publishes" in answer and reporting_currency(workspace) == "GBP"


def test_an_analyst_cannot_change_it(workspace: Workspace, make_member: Any, client_for: Any) -> None:
    carol = make_member("carol@example.com", "Alice's Shop", role="analyst")
    client_for(carol).post("/settings/reporting-currency/", {"currency": "GBP"})
    assert reporting_currency(workspace) is None


def test_combined_pages_use_it_and_a_single_store_keeps_its_own(
    workspace: Workspace, shops: tuple[Store, Store], alice: Any, client_for: Any
) -> None:
    ny, _ = shops
    set_reporting_currency(workspace, "GBP")
    client = client_for(alice)
    expected = gbp_net_sales(shops)
    combined = client.get("/sales/?from=2025-03-01&to=2025-03-31").content.decode()
    assert f"£{expected}" in combined
    assert "$140.00" in client.get(f"/sales/?from=2025-03-01&to=2025-03-31&source={ny.pk}").content.decode()


def test_the_api_uses_it_for_every_store_added_up(
    workspace: Workspace, shops: tuple[Store, Store], alice: Any, api_client_for: Any
) -> None:
    ny, _ = shops
    set_reporting_currency(workspace, "GBP")
    client = api_client_for(alice)
    body = client.get("/api/v1/metrics/summary?date_from=2025-03-01&date_to=2025-03-31").json()
    assert (body["currency"], body["net_sales"]) == ("GBP", gbp_net_sales(shops))
    one = client.get(f"/api/v1/metrics/summary?source={ny.pk}&date_from=2025-03-01&date_to=2025-03-31").json()
    assert (one["currency"], one["net_sales"]) == ("USD", "140.00")


def test_report_all_defaults_to_it(workspace: Workspace, shops: tuple[Store, Store]) -> None:
    set_reporting_currency(workspace, "GBP")
    out = StringIO()
    call_command("report", "--all", "--from", "2025-03-01", "--to", "2025-03-31", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["currency"], data["net_sales"]) == ("GBP", gbp_net_sales(shops))

"""The Sales page gives one answer for a status the owner excludes from their figures, with or without a country
filter, and says in words that it is shown only because it was asked for; the orders list's comparison net agrees and
says the same (the rule: `analytics.reports.cells.by_status`)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.commerce import upsert_orders
from tests.analytics.payloads import order_payload
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db
MARCH = "from=2025-03-01&to=2025-03-31"
NOTE = (
    "Cancelled orders are excluded from your figures (Settings → how figures are counted): these figures count them"
    " only because you filtered by “cancelled”; without a status filter they are left out."
)
PAID = "These figures count orders by date paid: cancelled orders never paid have no such date and are not shown."


@pytest.fixture
def ny(alice: Any) -> Any:
    """The New York shop (cancelled is excluded: WooCommerce's default) with cancelled March orders of 7.77 to France
    and 3.00 to the US."""
    store, _ = make_shops(Workspace.objects.get(name="Alice's Shop"))
    at = "2025-03-10T15:00:00"
    upsert_orders(
        store,
        [
            order_payload(2000, status="cancelled", created=at, paid=at, country="FR", net=777),
            order_payload(2001, status="cancelled", created=at, paid=at, country="US", net=300),
        ],
    )
    return store


def kpis(html: str) -> tuple[str, str]:
    """The page's Net sales and Orders figures."""
    net = re.search(r'<h2>Net sales</h2><p class="kpi-value">([^<]*)<', html)
    orders = re.search(r'<h2>Orders</h2><p class="kpi-value">([^<]*)<', html)
    assert net and orders
    return unescape(net.group(1)), orders.group(1)


def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_sales_shows_an_excluded_status_asked_for_with_and_without_a_country(
    ny: Any, alice: Any, client_for: Any
) -> None:
    client = client_for(alice)
    page = f"/sales/?{MARCH}&source={ny.pk}&status=cancelled"
    assert kpis(client.get(page).content.decode()) == ("$10.77", "2")
    assert kpis(client.get(f"{page}&country=FR").content.decode()) == ("$7.77", "1")
    assert kpis(client.get(f"{page}&country=US").content.decode()) == ("$3.00", "1")


def test_sales_says_in_words_why_an_excluded_status_is_shown(ny: Any, alice: Any, client_for: Any) -> None:
    client = client_for(alice)
    for country in ("", "&country=FR"):
        html = client.get(f"/sales/?{MARCH}&source={ny.pk}&status=cancelled{country}").content.decode()
        assert NOTE in text(html)
        assert 'href="/settings/#figures"' in html
    for other in ("", "&status=completed", "&country=FR"):
        assert "are excluded from" not in client.get(f"/sales/?{MARCH}&source={ny.pk}{other}").content.decode()
    # All stores: the note names the stores that leave the status out (Berlin does too, by default).
    every = text(client.get(f"/sales/?{MARCH}&status=cancelled").content.decode())
    assert "Cancelled orders are excluded from the figures of NY, Berlin (Settings" in every


def test_sales_says_why_never_paid_orders_of_the_status_are_not_shown(ny: Any, alice: Any, client_for: Any) -> None:
    """A cancelled order is often never paid: on a paid-basis page it has no date, so asking for "cancelled" leaves
    it out whatever the status rule; the note says so, and not on a created-basis page, which shows it."""
    upsert_orders(ny, [order_payload(2002, status="cancelled", created="2025-03-11T15:00:00", net=500)])
    client = client_for(alice)
    page = f"/sales/?{MARCH}&source={ny.pk}&status=cancelled"
    html = client.get(page).content.decode()
    assert kpis(html) == ("$10.77", "2")
    assert PAID in text(html)
    ny.date_basis = "created"
    ny.save()
    html = client.get(page).content.decode()
    assert kpis(html) == ("$15.77", "3")
    assert NOTE in text(html) and PAID not in text(html)


def test_orders_comparison_net_follows_the_rule_and_says_so(ny: Any, alice: Any, client_for: Any) -> None:
    client = client_for(alice)
    html = client.get(f"/orders/?{MARCH}&source={ny.pk}&status=cancelled").content.decode()
    assert kpis(html) == ("$10.77", "2")
    assert "are excluded from your figures" in text(html)
    assert "the net sales above count them only because you filtered by “cancelled”" in text(html)
    assert PAID not in text(html)  # the list's net counts by date created
    html = client.get(f"/orders/?{MARCH}&source={ny.pk}&status=cancelled&country=FR").content.decode()
    assert kpis(html) == ("$7.77", "1")
    assert "are excluded from" not in client.get(f"/orders/?{MARCH}&source={ny.pk}").content.decode()

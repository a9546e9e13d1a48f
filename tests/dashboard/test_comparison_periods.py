"""Range-based pages compare with the previous period or the same period last year: the user's choice, remembered
per user and workspace until changed (issue 16 #3). Figures from the two small shops (tests/analytics/shops.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from storelens.accounts.middleware import SESSION_KEY
from storelens.accounts.models import Membership, Workspace
from storelens.analytics.metrics.periods import comparison_range
from storelens.commerce import upsert_orders
from tests.analytics.payloads import order_payload
from tests.analytics.shops import make_shops

pytestmark = pytest.mark.django_db
MARCH = "from=2025-03-01&to=2025-03-31"


@pytest.fixture
def shops(alice: Any) -> tuple[Any, Any]:
    ny, berlin = make_shops(Workspace.objects.get(name="Alice's Shop"))
    # March 2024 in New York: one paid order of net 70.00, so March 2025 (net 140.00) is +100 % year over year.
    upsert_orders(ny, [order_payload(70, created="2024-03-12T15:00:00", paid="2024-03-12T15:00:00", net=7000)])
    return ny, berlin


def test_comparison_ranges_are_the_days_before_or_the_same_days_a_year_earlier() -> None:
    assert comparison_range(date(2025, 3, 1), date(2025, 3, 31)) == (date(2025, 1, 29), date(2025, 2, 28))
    assert comparison_range(date(2025, 3, 1), date(2025, 3, 31), "last_year") == (date(2024, 3, 1), date(2024, 3, 31))
    # A range ending on February's last day ends on February's last day a year earlier (29 days in 2024).
    assert comparison_range(date(2025, 2, 1), date(2025, 2, 28), "last_year") == (date(2024, 2, 1), date(2024, 2, 29))


def test_sales_compares_with_last_year_when_asked_and_remembers_it(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    client = client_for(alice)
    html = client.get(f"/sales/?{MARCH}&source={ny.pk}").content.decode()
    assert "vs previous period" in html
    html = client.get(f"/sales/?{MARCH}&source={ny.pk}&compare=last_year").content.decode()
    assert "vs same period last year" in html and "+100" in html
    # The next page, with no compare in its address, keeps the choice; so does the home page's order of comparisons.
    again = client.get(f"/sales/?{MARCH}&source={ny.pk}").content.decode()
    assert "vs same period last year" in again and 'value="last_year" selected' in again
    home = client.get(f"/?{MARCH}&source={ny.pk}").content.decode()
    assert home.index("vs same days last year") < home.index("vs 1 Feb")
    # Back to the previous period.
    back = client.get(f"/sales/?{MARCH}&source={ny.pk}&compare=previous").content.decode()
    assert "vs previous period" in back


def test_the_choice_is_each_users_own(shops: Any, alice: Any, make_member: Any, client_for: Any) -> None:
    ny, _ = shops
    carol = make_member("carol@example.com", "Carol's own")
    Membership.objects.create(user=carol, workspace=Workspace.objects.get(name="Alice's Shop"), role="admin")
    client_for(alice).get(f"/sales/?{MARCH}&source={ny.pk}&compare=last_year")
    carol_client = client_for(carol)
    session = carol_client.session
    session[SESSION_KEY] = ny.workspace_id
    session.save()
    html = carol_client.get(f"/sales/?{MARCH}&source={ny.pk}").content.decode()
    assert "vs previous period" in html


def test_an_unknown_comparison_is_ignored(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    page = client_for(alice).get(f"/sales/?{MARCH}&source={ny.pk}&compare=yesterday")
    assert page.status_code == 200 and "vs previous period" in page.content.decode()

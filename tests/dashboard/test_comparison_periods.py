"""Range-based pages compare with the previous period or the same period last year: the user's choice, remembered
per user and workspace until changed (issue 16 #3). Figures from the two small shops (tests/analytics/shops.py)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
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


def dashed_of(page: Any) -> list[Decimal]:
    chart = json.loads(page.context["chart"])
    assert len(chart["series"][1]["data"]) == len(chart["x"])
    return [Decimal(v) for v in chart["series"][1]["data"]]


def test_sales_by_week_and_month_the_dashed_line_holds_the_matching_days(
    shops: Any, alice: Any, client_for: Any
) -> None:
    ny, _ = shops
    client = client_for(alice)
    url = f"/sales/?{MARCH}&source={ny.pk}"
    # 29 Jan – 28 Feb holds order 4 (10 Feb, net 10.00). By its own calendar March's one point was 29–31 Jan: 0.00.
    page = client.get(f"{url}&grain=month&compare=previous")
    assert dashed_of(page) == [Decimal("10.00")]
    assert (
        "Dashed: net sales of the previous period, 29 Jan 2025 – 28 Feb 2025, month by month." in page.content.decode()
    )
    # By week: 10 Feb stands beside 13 Mar, in the week of 10 March (weeks of 24 Feb, 3, 10, 17, 24 and 31 Mar).
    week = dashed_of(client.get(f"{url}&grain=week&compare=previous"))
    assert week == [Decimal(0)] * 2 + [Decimal("10.00")] + [Decimal(0)] * 3
    # March 2024 (one order of 70.00, 12 Mar) by month, and by week beside 12 Mar 2025 (the week of 10 March).
    assert dashed_of(client.get(f"{url}&grain=month&compare=last_year")) == [Decimal("70.00")]
    assert dashed_of(client.get(f"{url}&grain=week&compare=last_year"))[2] == Decimal("70.00")
    # A range of parts of months: 15 Feb – 16 Mar 2025 against 16 Jan – 14 Feb (30 days); order 4 stands beside 12 Mar.
    part = dashed_of(client.get(f"/sales/?from=2025-02-15&to=2025-03-16&source={ny.pk}&grain=month&compare=previous"))
    assert part == [Decimal(0), Decimal("10.00")]


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


def test_products_compare_each_line_with_the_chosen_period(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    client = client_for(alice)
    # Product 7 in March 2025: net 140.00; 29 Jan – 28 Feb: order 4, 10.00; March 2024: 70.00.
    html = client.get(f"/products/?{MARCH}&source={ny.pk}&compare=previous").content.decode()
    assert "vs previous period" in html and "+1300.0 %" in html
    html = client.get(f"/products/?{MARCH}&source={ny.pk}&compare=last_year").content.decode()
    assert "vs same period last year" in html and "+100.0 %" in html
    csv = client.get(f"/products/?{MARCH}&source={ny.pk}&format=csv").content.decode().splitlines()
    assert csv[0].endswith(",compared_net_sales") and csv[1].endswith(",70.00")


def test_breakdowns_compare_each_value_and_the_total(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    client = client_for(alice)
    # Countries in March 2025: US 120.00 (orders 1, 2 and the refund), CA 20.00; 29 Jan – 28 Feb: US 10.00.
    html = client.get(f"/sales/breakdowns/?{MARCH}&source={ny.pk}&tab=country&compare=previous").content.decode()
    assert "vs previous period" in html
    assert "+1100.0 %" in html and ">new<" in html and "+1300.0 %" in html  # US, Canada, the total
    csv = client.get(f"/sales/breakdowns/?{MARCH}&source={ny.pk}&tab=country&format=csv").content.decode()
    rows = csv.splitlines()
    assert rows[0].endswith(",compared_net_sales")
    assert rows[1].startswith("US,") and rows[1].endswith(",10.00") and rows[2].endswith(",0.00")
    # March 2024's 70.00 was in the US too: +71.4 % against the same period last year.
    html = client.get(f"/sales/breakdowns/?{MARCH}&source={ny.pk}&tab=country&compare=last_year").content.decode()
    assert "vs same period last year" in html and "+71.4 %" in html
    customers = client.get(f"/sales/breakdowns/?{MARCH}&source={ny.pk}&tab=customers").content.decode()
    assert "vs same period last year" in customers and "compare-row" in customers


def test_customers_compare_new_and_returning_with_the_chosen_period(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    client = client_for(alice)
    # March 2025: ann is new, cy returning; 29 Jan – 28 Feb: cy was new (order 4); March 2024: the one order of
    # net 70.00 has no e-mail, so no customer.
    html = client.get(f"/customers/?{MARCH}&source={ny.pk}&compare=previous").content.decode()
    assert '+0.0 % <span class="muted">vs previous period (1)</span>' in html  # new: 1 against 1
    assert 'new <span class="muted">vs previous period (0)</span>' in html  # returning: 1 against 0


def test_heatmap_says_the_total_and_busiest_hour_of_the_chosen_period(shops: Any, alice: Any, client_for: Any) -> None:
    ny, _ = shops
    client = client_for(alice)
    # Paid basis, New York clock: March 2025 has 3 orders; 29 Jan – 28 Feb has order 4 (Mon 10 Feb, 10 am).
    html = client.get(f"/sales/heatmap/?{MARCH}&source={ny.pk}&compare=previous").content.decode()
    assert "3 orders, +200.0 %" in html and "busiest then Monday 10 am" in html
    html = client.get(f"/sales/heatmap/?{MARCH}&source={ny.pk}&compare=last_year").content.decode()
    assert "vs same period last year" in html and "busiest then Tuesday 11 am" in html  # 12 Mar 2024, 15:00 UTC

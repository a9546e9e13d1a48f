"""The product page compares its figures and its series with the chosen period (issue 16 #3): the previous period or
the same period last year, the user's remembered choice. The store of `test_insights_product` (March 2025: T-shirt
net 45.00, 3 units, 3 orders, 15.00 refunded), plus:

- order 70 (10 Feb 2025): T-shirt red × 2 = 20.00; order 71 (20 Feb): T-shirt blue × 1 = 15.00, refunded on 21 Feb
  (refund 61). 29 Jan – 28 Feb: net 20.00, 2 units, 2 orders, 15.00 refunded.
- order 80 (15 Mar 2024): T-shirt red × 1 = 9.00. March 2024: net 9.00, 1 unit, 1 order.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from storelens.commerce import upsert_orders, upsert_refunds
from storelens.stores.models import Store
from tests.dashboard.test_insights_product import TSHIRT, line, order, shop  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
MARCH = "from=2025-03-01&to=2025-03-31"
BEFORE = "from=2025-01-29&to=2025-02-28"  # March's previous period
YEAR_BEFORE = "from=2024-03-01&to=2024-03-31"


def dated(payload: dict[str, Any], when: str) -> dict[str, Any]:
    return {**payload, "date_created_gmt": when, "date_modified_gmt": when, "date_paid_gmt": when}


@pytest.fixture
def compared_shop(shop: Store) -> Store:  # noqa: F811
    upsert_orders(
        shop,
        [
            dated(order(70, 1, "di@x.org", [line(701, TSHIRT, 21, 2, 2000)]), "2025-02-10T15:00:00"),
            {
                **dated(order(71, 1, "di@x.org", [line(711, TSHIRT, 22, 1, 1500)]), "2025-02-20T15:00:00"),
                "refunds": [{"id": 61}],
            },
            dated(order(80, 1, "ed@x.org", [line(801, TSHIRT, 21, 1, 900)]), "2024-03-15T15:00:00"),
        ],
    )
    refund_line = {"id": 611, "product_id": TSHIRT, "variation_id": 22, "quantity": -1, "total": "-15.00"}
    upsert_refunds(
        shop,
        [
            {
                "id": 61,
                "parent_id": 71,
                "date_created_gmt": "2025-02-21T15:00:00",
                "amount": "15.00",
                "reason": "",
                "line_items": [{**refund_line, "subtotal": "-15.00", "total_tax": "0.00"}],
                "shipping_lines": [],
                "fee_lines": [],
            }
        ],
    )
    return shop


def dashed(context: Any) -> list[Decimal]:
    series = json.loads(context["chart"])["series"]
    assert series[1]["type"] == "line"
    return [Decimal(v) for v in series[1]["data"]]


def test_product_page_compares_with_the_previous_period(compared_shop: Store, alice: Any, client_for: Any) -> None:
    client = client_for(alice)
    url = f"/products/{compared_shop.pk}/{TSHIRT}/"
    page = client.get(f"{url}?{MARCH}&compare=previous")
    before, html = page.context["before"], page.content.decode()
    assert (before["net_minor"], before["units"], before["orders"], before["refunds_minor"]) == (2000, 2, 2, 1500)
    # The comparison is exactly the page opened on the comparison's own days.
    assert before == client.get(f"{url}?{BEFORE}").context["totals"]
    assert "+125.0 % <span" in html and "vs previous period ($20.00)" in html  # 45.00 against 20.00
    assert "29 Jan 2025 – 28 Feb 2025" in html
    # The dashed series is the comparison's days beside the range's: 10 Feb stands beside 13 Mar, 20 and 21 Feb beside
    # 23 and 24 Mar; it adds up to the comparison's net.
    line_ = dashed(page.context)
    assert len(line_) == 31 and sum(line_) == Decimal("20.00")
    assert (line_[12], line_[22], line_[23]) == (Decimal("20.00"), Decimal("15.00"), Decimal("-15.00"))


def test_by_week_and_month_the_dashed_line_holds_the_comparisons_matching_days(
    compared_shop: Store, alice: Any, client_for: Any
) -> None:
    client = client_for(alice)
    url = f"/products/{compared_shop.pk}/{TSHIRT}/?{MARCH}&compare=previous"
    month = client.get(f"{url}&grain=month").context
    # Cut by its own calendar, 29 Jan – 28 Feb by month would be 3 days of January first: here one bucket, all of it.
    assert dashed(month) == [Decimal("20.00")]
    week = client.get(f"{url}&grain=week").context
    assert len(dashed(week)) == len(json.loads(week["chart"])["x"]) and sum(dashed(week)) == Decimal("20.00")


def test_a_variation_compares_with_its_own_comparison(compared_shop: Store, alice: Any, client_for: Any) -> None:
    client = client_for(alice)
    url = f"/products/{compared_shop.pk}/{TSHIRT}/"
    for variation, expected in ((21, (2000, 2, 1, 0)), (22, (0, 0, 1, 1500))):
        before = client.get(f"{url}?{MARCH}&compare=previous&variation={variation}").context["before"]
        assert (before["net_minor"], before["units"], before["orders"], before["refunds_minor"]) == expected
        assert before == client.get(f"{url}?{BEFORE}&variation={variation}").context["totals"]


def test_the_remembered_choice_applies_on_the_product_page(compared_shop: Store, alice: Any, client_for: Any) -> None:
    client = client_for(alice)
    url = f"/products/{compared_shop.pk}/{TSHIRT}/"
    client.get(f"/sales/?{MARCH}&source={compared_shop.pk}&compare=last_year")  # chosen on another page
    page = client.get(f"{url}?{MARCH}")
    html = page.content.decode()
    assert 'value="last_year" selected' in html and "vs same period last year ($9.00)" in html
    assert page.context["before"] == client.get(f"{url}?{YEAR_BEFORE}").context["totals"]
    assert page.context["before"]["net_minor"] == 900 and "+400.0 %" in html
    assert sum(dashed(page.context)) == Decimal("9.00") and dashed(page.context)[14] == Decimal("9.00")  # 15 Mar
    assert json.loads(page.context["chart"])["series"][1]["name"] == "Net sales, same period last year"
    # Chosen back on the product page, the next page keeps it.
    client.get(f"{url}?{MARCH}&compare=previous")
    assert "vs previous period" in client.get(f"/sales/?{MARCH}&source={compared_shop.pk}").content.decode()


def test_more_refunds_than_before_is_shown_as_worse(compared_shop: Store, alice: Any, client_for: Any) -> None:
    # March 2025 refunded 15.00; March 2024 nothing: "new", coloured as a fall. Against February (15.00): flat.
    html = client_for(alice).get(f"/products/{compared_shop.pk}/{TSHIRT}/?{MARCH}&compare=last_year").content.decode()
    assert '<p class="compare down">new <span class="muted">vs $0.00</span>' in html
    html = client_for(alice).get(f"/products/{compared_shop.pk}/{TSHIRT}/?{MARCH}&compare=previous").content.decode()
    assert '<p class="compare flat">+0.0 % <span class="muted">vs $15.00</span>' in html

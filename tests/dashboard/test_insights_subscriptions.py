"""The Subscriptions page, its CSVs and `/api/v1/subscriptions` on a hand-made store: MRR by month with movements
that add up, Putler's ARPPU and LTV, failed renewals, the keyset-paged list; support sees none of it."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

import pytest

from storelens.accounts.models import Workspace
from storelens.commerce.models import Order, Subscription
from storelens.stores.models import Store

pytestmark = pytest.mark.django_db
RANGE = "from=2025-01-01&to=2025-03-31&grain=month"


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


@pytest.fixture
def store(alice: Any) -> Store:
    s = Store.objects.create(
        workspace=Workspace.objects.get(name="Alice's Shop"), currency="USD", timezone_string="UTC"
    )

    def sub(wc_id: int, customer: int, total: int, start: str, period: str = "month", **dates: str) -> None:
        Subscription.objects.create(
            store=s, wc_id=wc_id, wc_customer_id=customer, status="cancelled" if dates else "active",
            billing_period=period, billing_interval=1, total_minor=total, currency="USD", start_at=at(start),
            next_payment_at=None if dates else at("2025-04-10"), **{k: at(v) for k, v in dates.items()},
        )  # fmt: skip

    sub(1, 10, 3000, "2024-12-10")  # 30.00 from December
    sub(2, 11, 12000, "2024-12-20", period="year")  # 10.00 a month
    sub(3, 12, 5000, "2024-11-01", cancelled_at="2025-02-15")  # churned in February
    sub(4, 10, 2000, "2025-01-05")  # customer 10 expands in January
    sub(5, 13, 4000, "2025-03-02")  # new in March
    Order.objects.create(
        store=s, wc_id=900, number="900", status="failed", currency="USD", created_via="subscription",
        total_minor=3000, created_at=at("2025-03-10"),
        raw={"meta_data": [{"key": "_subscription_renewal", "value": 1}]},
    )  # fmt: skip
    return s


def test_page_shows_mrr_movements_by_month_that_add_up(store: Store, alice: Any, client_for: Any) -> None:
    html = client_for(alice).get(f"/subscriptions/?{RANGE}").content.decode()
    assert "MRR by month" in html and "mrr-mismatch" not in html
    assert "Jan 2025" in html and "Mar 2025" in html
    assert "ARPPU" in html and "LTV" in html and "ARPPU ÷ user churn" in html
    assert "#900" in html and "#1</td>" in html  # the failed renewal and the subscription it renews
    assert "2025-04-10" in html  # next payment in the list


def test_movements_csv_has_hand_checked_months(store: Store, alice: Any, client_for: Any) -> None:
    body = client_for(alice).get(f"/subscriptions/?{RANGE}&format=csv&what=mrr").content.decode()
    rows = [(r["period_from"], r["mrr_start"], r["new"], r["expansion"], r["contraction"], r["churned"], r["mrr_end"])
            for r in csv.DictReader(io.StringIO(body))]  # fmt: skip
    assert rows == [
        ("2025-01-01", "90.00", "0.00", "20.00", "0.00", "0.00", "110.00"),  # 30 + 10 + 50; customer 10 adds 20
        ("2025-02-01", "110.00", "0.00", "0.00", "0.00", "50.00", "60.00"),  # customer 12 cancels
        ("2025-03-01", "60.00", "40.00", "0.00", "0.00", "0.00", "100.00"),  # customer 13 starts
    ]


def test_list_csv_and_failed_renewals_csv(store: Store, alice: Any, client_for: Any) -> None:
    client = client_for(alice)
    listed = list(
        csv.DictReader(io.StringIO(client.get(f"/subscriptions/?{RANGE}&format=csv&what=list").content.decode()))
    )
    assert [r["subscription"] for r in listed] == ["5", "4", "3", "2", "1"]
    assert listed[3]["monthly"] == "10.00" and listed[3]["next_payment"] == "2025-04-10"
    failed = list(
        csv.DictReader(io.StringIO(client.get(f"/subscriptions/?{RANGE}&format=csv&what=failed").content.decode()))
    )
    assert [(r["order"], r["subscription"], r["total"]) for r in failed] == [("900", "1", "30.00")]


def test_api_subscriptions_series_lifetime_and_list(store: Store, alice: Any, api_client_for: Any) -> None:
    body = api_client_for(alice).get("/api/v1/subscriptions?date_from=2025-01-01&date_to=2025-03-31&limit=2").json()
    [s] = body["stores"]
    assert [p["mrr_end"] for p in s["periods"]] == ["110.00", "60.00", "100.00"]
    assert (s["running_at_start"], s["new"], s["churned"], s["running_at_end"]) == (3, 2, 1, 4)
    # 31 March: 100.00 over 3 paying customers; of the 3 paying on 1 March nobody stopped: no LTV.
    assert (s["arppu"], s["user_churn"], s["ltv"]) == ("33.33", "0.0000", None)
    assert [x["id"] for x in body["subscriptions"]] == [5, 4] and body["next_after"] is not None
    more = api_client_for(alice).get(f"/api/v1/subscriptions?after={body['next_after']}&limit=2").json()
    assert [x["id"] for x in more["subscriptions"]] == [3, 2]


def test_support_sees_no_mrr(store: Store, make_member: Any, client_for: Any, api_client_for: Any) -> None:
    support = make_member("support@example.com", "Alice's Shop", role="support")
    assert client_for(support).get(f"/subscriptions/?{RANGE}").status_code == 403
    assert api_client_for(support).get("/api/v1/subscriptions").status_code == 403


def test_api_weeks_chain_and_an_unknown_grain_is_refused(store: Store, alice: Any, api_client_for: Any) -> None:
    client = api_client_for(alice)
    weeks = client.get("/api/v1/subscriptions?date_from=2025-01-01&date_to=2025-03-31&grain=week").json()
    periods = weeks["stores"][0]["periods"]
    assert periods[0]["date_from"] == "2025-01-01" and periods[1]["date_from"] == "2025-01-06"  # Monday weeks
    assert all(a["mrr_end"] == b["mrr_start"] for a, b in pairwise(periods))
    assert periods[-1]["mrr_end"] == "100.00"
    assert client.get("/api/v1/subscriptions?grain=day").status_code == 422


def test_page_charts_mrr_with_what_was_gained_and_lost(store: Store, alice: Any, client_for: Any) -> None:
    html = client_for(alice).get(f"/subscriptions/?{RANGE}").content.decode()
    blob = html.split(f'<script id="mrr-chart-{store.pk}" type="application/json">', 1)[1].split("</script>", 1)[0]
    chart = json.loads(json.loads(blob))  # the page embeds the chart's JSON text as a JSON string
    assert chart["x"] == ["Jan 2025", "Feb 2025", "Mar 2025"]
    by_name = {s["name"]: s["data"] for s in chart["series"]}
    assert by_name == {  # the hand-checked months of the movements CSV
        "MRR at end": ["110.00", "60.00", "100.00"],
        "Gained": ["20.00", "0.00", "40.00"],
        "Lost": ["0.00", "-50.00", "0.00"],
    }
    assert f'data-chart="mrr-chart-{store.pk}"' in html

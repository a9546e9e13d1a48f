"""Two small shops (New York in USD, Berlin in EUR) with hand-checked figures, written through the sync's upserts.

March 2025 in the New York shop, paid basis: orders 1, 2, 5 → net 100 + 40 + 20 − 20 (refund on 6 March) = 140.00.
"""

from __future__ import annotations

from typing import Any

from storelens.commerce.upsert import upsert_orders, upsert_refunds
from storelens.sources.models import Source
from tests.analytics.payloads import order_payload, refund_payload


def make_shops(workspace: Any) -> tuple[Source, Source]:
    ny = Source.objects.create(workspace=workspace, currency="USD", timezone_string="America/New_York", name="NY")
    berlin = Source.objects.create(workspace=workspace, currency="EUR", timezone_string="Europe/Berlin", name="Berlin")
    upsert_orders(
        ny,
        [
            order_payload(
                1,
                created="2025-03-02T04:59:00",
                paid="2025-03-02T04:59:00",
                net=10000,
                tax=800,
                shipping=500,
                discount=1000,
                quantity=2,
                email="ann@x.org",
                refund_ids=[50],
            ),
            order_payload(2, created="2025-03-03T15:00:00", paid="2025-03-03T15:00:00", net=4000, email="ann@x.org"),
            order_payload(3, status="on-hold", created="2025-03-04T15:00:00", net=2500, email="bo@x.org"),
            order_payload(4, created="2025-02-10T15:00:00", paid="2025-02-10T15:00:00", net=1000, email="cy@x.org"),
            order_payload(
                5, created="2025-03-05T15:00:00", paid="2025-03-05T15:00:00", net=2000, email="cy@x.org", country="CA"
            ),
        ],
    )
    upsert_refunds(ny, [refund_payload(50, 1, "2025-03-06T15:00:00", items=2000, tax=160, shipping=500)])
    upsert_orders(
        berlin,
        [order_payload(9, currency="EUR", created="2025-03-07T10:00:00", paid="2025-03-07T10:00:00", net=10000)],
    )
    return ny, berlin

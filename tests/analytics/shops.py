"""Two small shops (New York in USD, Berlin in EUR) with hand-checked figures, written through the sync's upserts.

March 2025 in the New York shop, paid basis: orders 1, 2, 5 → net 100 + 40 + 20 − 20 (refund on 6 March) = 140.00.
"""

from __future__ import annotations

from typing import Any

from storelens.commerce import upsert_orders, upsert_refunds
from storelens.stores.models import Store
from tests.analytics.payloads import order_payload, refund_payload


def make_shops(workspace: Any) -> tuple[Store, Store]:
    ny = Store.objects.create(workspace=workspace, currency="USD", timezone_string="America/New_York", name="NY")
    berlin = Store.objects.create(workspace=workspace, currency="EUR", timezone_string="Europe/Berlin", name="Berlin")
    upsert_orders(
        ny,
        [
            # 1 March local (04:59 UTC on the 2nd is 23:59 EST on the 1st): net 100.00, tax 8.00, ship 5.00,
            # coupon 10.00, 2 items.
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
            # 3 March: net 40.00, same customer; her first order is also in range, so she is one new customer.
            order_payload(2, created="2025-03-03T15:00:00", paid="2025-03-03T15:00:00", net=4000, email="ann@x.org"),
            # on-hold, never paid: counted only on the created basis or when on-hold is included.
            order_payload(3, status="on-hold", created="2025-03-04T15:00:00", net=2500, email="bo@x.org"),
            # February: makes cy@x.org a returning customer in March.
            order_payload(4, created="2025-02-10T15:00:00", paid="2025-02-10T15:00:00", net=1000, email="cy@x.org"),
            order_payload(
                5, created="2025-03-05T15:00:00", paid="2025-03-05T15:00:00", net=2000, email="cy@x.org", country="CA"
            ),
        ],
    )
    # Refund on 6 March of order 1: 20.00 items + 1.60 tax + 5.00 shipping = 26.60, net −20.00, 1 item back.
    upsert_refunds(ny, [refund_payload(50, 1, "2025-03-06T15:00:00", items=2000, tax=160, shipping=500)])
    upsert_orders(
        berlin,
        [order_payload(9, currency="EUR", created="2025-03-07T10:00:00", paid="2025-03-07T10:00:00", net=10000)],
    )
    return ny, berlin

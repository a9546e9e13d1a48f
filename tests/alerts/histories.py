"""Fake-store histories for the alert detectors, written through the sync's upserts (so the hourly and daily rollup
cells are the ones a real import keeps), in New York's clock.

`regular_shop` sells one order at a quarter past every hour from 09:00 to 20:00 local, every day for ten weeks
before `today`, at 50.00 each; what happens on `today` is the test's to write (`sell`, `refund`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from storelens.commerce import upsert_orders, upsert_refunds
from storelens.stores.models import Store
from tests.analytics.payloads import order_payload, refund_payload

NEW_YORK = ZoneInfo("America/New_York")
OPEN_HOURS = range(9, 21)
PRICE = 5000


def utc(day: date, hour: int, minute: int = 15) -> datetime:
    """The UTC instant of `hour:minute` on `day` in New York."""
    return datetime.combine(day, time(hour, minute), tzinfo=NEW_YORK).astimezone(UTC)


def gmt(instant: datetime) -> str:
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


class Shop:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.next_id = 1
        self.next_refund = 100_000

    def sell(self, day: date, hours: Any, *, per_hour: int = 1, net: int = PRICE) -> list[int]:
        payloads, ids = [], []
        for hour in hours:
            for n in range(per_hour):
                at = gmt(utc(day, hour, 15 + n % 40))
                payloads.append(
                    order_payload(self.next_id, created=at, paid=at, net=net, email=f"c{self.next_id}@x.org")
                )
                ids.append(self.next_id)
                self.next_id += 1
        upsert_orders(self.store, payloads)
        return ids

    def refund(self, order_id: int, day: date, hour: int, amount: int) -> None:
        at = gmt(utc(day, hour, 30))
        upsert_refunds(self.store, [refund_payload(self.next_refund, order_id, at, items=amount)])
        self.next_refund += 1

    def synced(self, at: datetime) -> None:
        """The sync's last successful pass was at `at` (what the detectors measure silence against)."""
        self.store.last_sync_at = at
        self.store.save(update_fields=["last_sync_at"])


def regular_shop(
    workspace: Any, today: date, *, weeks: int = 10, hours: Any = OPEN_HOURS, name: str = "Corner"
) -> Shop:
    store = Store.objects.create(
        workspace=workspace,
        name=name,
        currency="USD",
        timezone_string="America/New_York",
        status=Store.Status.CONNECTED,
        keys_verified_at=timezone.now(),
        last_sync_at=timezone.now(),
    )
    shop = Shop(store)
    for back in range(weeks * 7, 0, -1):
        shop.sell(today - timedelta(days=back), hours)
    return shop

"""Generated WooCommerce Subscriptions records: a copy of the parent order with the subscription's schedule."""

from __future__ import annotations

import random
import string
from datetime import UTC, datetime

from .books import STATUSES, Book
from .pricing import (
    apply_totals,
)
from .vocabulary import DAY


class SubscriptionRecords:
    """OrderFactory's subscription builder (a mixin: parents and seed live on the factory)."""

    seed: int
    orders: Book | None
    subscription_parent: dict[int, tuple[int, str, int]]

    def build_subscription(self, sub_id: int, pos: int, book: Book) -> dict:
        assert self.orders is not None
        parent_id, _, _ = self.subscription_parent[sub_id]
        ppos = self.orders.position(parent_id)
        assert ppos is not None
        parent = self.build_order(parent_id, ppos)
        rng = random.Random(self.seed * 2_000_003 + sub_id)
        status = STATUSES[book.status[pos]]
        created, modified = book.created[pos], book.modified[pos]
        period = rng.choice(["month", "month", "month", "year"])
        step = 30 * DAY if period == "month" else 365 * DAY
        line = dict(parent["line_items"][0])
        line["id"] = sub_id * 100
        sub = {k: v for k, v in parent.items() if k not in ("refunds", "transaction_id")}
        sub.update(
            {
                "id": sub_id,
                "parent_id": parent_id,
                "status": status,
                "date_created": created,
                "date_modified": modified,
                "date_created_gmt": created,
                "date_modified_gmt": modified,
                "number": str(sub_id),
                "order_key": "wc_order_" + "".join(rng.choices(string.ascii_letters + string.digits, k=13)),
                "line_items": [line],
                "coupon_lines": [],
                "fee_lines": [],
                "date_completed": None,
                "date_completed_gmt": None,
                "needs_payment": False,
                "is_editable": status in ("pending", "on-hold"),
                "payment_url": f"/checkout/order-pay/{sub_id}/?pay_for_order=true&key=wc_order_sub{sub_id}",
            }
        )
        sub["shipping_lines"] = [dict(s, id=sub_id * 100 + 1) for s in parent["shipping_lines"]]
        sub["tax_lines"] = []
        apply_totals(sub, sub_id * 100 + 2)
        ended = status in ("cancelled", "expired", "switched")
        last_payment = max(created, modified - rng.randint(0, 3) * DAY)
        sub.update(
            {
                "billing_period": period,
                "billing_interval": "1",
                "start_date_gmt": _gmt(created),
                "trial_end_date_gmt": "",
                "next_payment_date_gmt": "" if ended or status == "pending-cancel" else _gmt(last_payment + step),
                "payment_retry_date_gmt": "",
                "last_payment_date_gmt": _gmt(last_payment),
                "cancelled_date_gmt": _gmt(modified) if status in ("cancelled", "pending-cancel") else "",
                "end_date_gmt": _gmt(modified)
                if ended
                else ("" if status != "pending-cancel" else _gmt(last_payment + step)),
                "resubscribed_from": "",
                "resubscribed_subscription": "",
                "removed_line_items": [],
            }
        )
        return sub


def _gmt(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S")

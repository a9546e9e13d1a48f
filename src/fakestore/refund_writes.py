"""Refund writes: wc_create_refund() and the automatic refund of what is left when an order is set `refunded`."""

from __future__ import annotations

import copy
import threading
from typing import Any

from .books import Book
from .errors import StoreError
from .money import ZERO, d, fmt, number, round_dp, trim
from .pricing import RATE_BY_ID
from .refund_lines import full_refund_lines, new_refund, refund_summary, refund_tax_line, refunded_item_meta

REFUNDED_STATUS_REASON = (
    "Order status set to refunded. To return funds to the customer you will need to issue a refund through your "
    "payment gateway."
)
OFFLINE_GATEWAYS = {"bacs", "cheque", "cod"}


class RefundWrites:
    """FakeStore's refund writes (a mixin: the state lives on the store)."""

    lock: threading.RLock
    orders: Book
    refunds: Book
    refunds_of: dict[int, list[int]]

    def create_refund(
        self,
        order_id: int,
        amount: object = None,
        reason: str = "",
        line_items: list[dict] | None = None,
        *,
        api_refund: bool = False,
        refunded_by: int = 1,
    ) -> dict:
        """wc_create_refund(): a positive amount, negative lines, parent bumped, `refunded` when nothing is left."""
        with self.lock:
            order = self.orders.get(order_id)
            if order is None:
                raise StoreError(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
            if api_refund:
                gateway = order.get("payment_method") or ""
                if gateway in OFFLINE_GATEWAYS:
                    message = "The payment gateway for this order does not support automatic refunds."
                else:
                    message = "The payment gateway for this order does not exist."
                raise StoreError(500, "woocommerce_rest_cannot_create_order_refund", message)
            order = self._writable_order(order_id)
            now = self.now()
            rid = self.next_id()
            refund = new_refund(rid, order_id, now, "0.00", reason or "", refunded_by)
            computed = self._refund_lines(order, refund, line_items or [])
            value = d(amount) if amount not in (None, "") else computed
            if value <= 0:
                raise StoreError(
                    400, "woocommerce_rest_invalid_order_refund", "Refund amount must be greater than zero."
                )
            remaining = d(order["total"]) - self._refunded_total(order_id)
            if value > remaining:
                raise StoreError(500, "woocommerce_rest_cannot_create_order_refund", "Invalid refund amount.")
            refund["amount"] = fmt(value)
            self._store_refund(order_id, order, refund, now)
            if value == remaining and order["status"] != "refunded":
                order["status"] = "refunded"
                self.orders.set_columns(order_id, status="refunded")
            self._emit("order", "updated", order_id)
            return refund

    def delete_refund(self, order_id: int, refund_id: int) -> dict:
        with self.lock:
            refund = self.refunds.get(refund_id)
            if refund is None or refund["parent_id"] != order_id:
                raise StoreError(404, "woocommerce_rest_invalid_id", "Invalid ID.")
            before = copy.deepcopy(refund)
            self.refunds.delete(refund_id)
            order = self._writable_order(order_id)
            order["refunds"] = [r for r in order["refunds"] if r["id"] != refund_id]
            if refund_id in self.refunds_of.get(order_id, []):
                self.refunds_of[order_id].remove(refund_id)
            return before

    def _refunded_total(self, order_id: int) -> Any:
        return sum((d(self.refunds.get(r)["amount"]) for r in self.refund_ids_of(order_id)), ZERO)

    def _store_refund(self, order_id: int, order: dict, refund: dict, now: int) -> None:
        self.refunds.append(refund["id"], "completed", now, now, order_id)
        self.refunds.put(refund["id"], refund)
        self.refunds_of.setdefault(order_id, []).append(refund["id"])
        order["refunds"].insert(0, refund_summary(refund))
        order["date_modified"] = order["date_modified_gmt"] = now
        self.orders.set_columns(order_id, modified=now)

    def _refund_remaining(self, order_id: int, order: dict, now: int) -> None:
        remaining = d(order["total"]) - self._refunded_total(order_id)
        if remaining <= 0:
            return
        rid = self.next_id()
        refund = new_refund(rid, order_id, now, fmt(remaining), REFUNDED_STATUS_REASON, 1)
        if not self.refund_ids_of(order_id):
            full_refund_lines(refund, order, rid)
        self._store_refund(order_id, order, refund, now)

    def _refund_lines(self, order: dict, refund: dict, requested: list[dict]) -> Any:
        """Refund lines from `line_items: [{id, quantity, refund_total, refund_tax: [{id, refund_total}]}]`."""
        rid = refund["id"]
        item_id, meta_id = rid * 100, rid * 1000
        total = ZERO
        groups = {"line_items": "line_items", "shipping_lines": "shipping_lines", "fee_lines": "fee_lines"}
        tax_by_rate: dict[int, list] = {}
        for req in requested:
            target_id = int(req.get("id", 0))
            found = None
            for group in groups:
                for item in order[group]:
                    if item["id"] == target_id:
                        found = (group, item)
            if found is None:
                continue
            group, item = found
            qty = int(req.get("quantity") or 0)
            line_total = d(req.get("refund_total", 0))
            taxes = []
            tax_sum = ZERO
            for t in req.get("refund_tax") or []:
                amount = d(t.get("refund_total", 0))
                taxes.append(
                    {
                        "id": int(t["id"]),
                        "total": trim(-amount),
                        "subtotal": trim(-amount) if group == "line_items" else "",
                    }
                )
                tax_sum += round_dp(amount)
                bucket = tax_by_rate.setdefault(int(t["id"]), [ZERO, ZERO])
                bucket[1 if group == "shipping_lines" else 0] += round_dp(amount)
            x = dict(item)
            x["id"] = item_id
            x["total"] = fmt(-line_total)
            x["total_tax"] = fmt(-tax_sum)
            x["taxes"] = taxes
            x["meta_data"] = [refunded_item_meta(meta_id, item["id"])]
            if group == "line_items":
                x["quantity"] = -qty
                x["subtotal"] = fmt(-line_total)
                x["subtotal_tax"] = fmt(-tax_sum)
                x["price"] = number(line_total / qty) if qty else 0
            refund[group].append(x)
            total += line_total + tax_sum
            item_id += 1
            meta_id += 10
        for rate_id, (cart, ship) in sorted(tax_by_rate.items()):
            if rate_id in RATE_BY_ID:
                refund["tax_lines"].append(refund_tax_line(item_id, rate_id, cart, ship))
                item_id += 1
        return total

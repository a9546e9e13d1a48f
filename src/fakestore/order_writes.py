"""Order writes: what POST/PUT/DELETE /orders do to a stored order, and WooCommerce's status rules."""

from __future__ import annotations

import copy
import threading

from . import generator as gen
from .books import Book
from .errors import StoreError
from .money import d
from .order_lines import ItemIds, OrderLines
from .vocabulary import EVERY_STATUS, PAID_STATUSES, WC_VERSION, currency_symbol


class OrderWrites(OrderLines):
    """FakeStore's order writes (a mixin: the state lives on the store)."""

    lock: threading.RLock
    orders: Book
    customers: Book
    _pre_trash: dict[tuple[str, int], str]

    def create_order(self, payload: dict, *, created_via: str = "rest-api") -> dict:
        """POST /orders: the order as WooCommerce computes it from products, coupons and the tax address."""
        with self.lock:
            now = self.now()
            oid = self.next_id()
            status = payload.get("status") or "pending"
            self._check_order_status(status)
            order = self._blank_order(oid, now, created_via=payload.get("created_via") or created_via)
            self._merge_order_fields(order, payload)
            items = ItemIds(oid)
            self._set_lines(order, payload, items, replace=True)
            if payload.get("set_paid"):
                status = "processing" if status in ("pending", "on-hold", "failed") else status
            self._apply_status(order, status, now, set_paid=bool(payload.get("set_paid")))
            self.orders.append(oid, order["status"], now, now, order["customer_id"])
            self.orders.put(oid, order)
            self._emit("order", "created", oid)  # webhooks turn this into order.created and order.updated
            return order

    def update_order(self, order_id: int, changes: dict) -> dict:
        """PUT /orders/<id>: merge the changes, recompute totals, bump date_modified, fire order.updated."""
        with self.lock:
            order = self._writable_order(order_id)
            now = self.now()
            before = order["status"]
            self._merge_order_fields(order, changes)
            if any(k in changes for k in ("line_items", "shipping_lines", "fee_lines", "coupon_lines")):
                self._set_lines(order, changes, ItemIds(order_id, order), replace=False)
            status = changes.get("status") or before
            if status != before:
                self._check_order_status(status)
            if changes.get("set_paid") and status in ("pending", "on-hold", "failed"):
                status = "processing"
            self._apply_status(order, status, now, set_paid=bool(changes.get("set_paid")))
            order["date_modified"] = order["date_modified_gmt"] = now
            self.orders.set_columns(order_id, status=order["status"], modified=now, owner=order["customer_id"])
            if order["status"] == "refunded" and before != "refunded":
                self._refund_remaining(order_id, order, now)
            self._emit("order", "updated", order_id)
            return order

    def silent_edit_order(self, order_id: int, changes: dict) -> dict:
        """An edit that leaves date_modified alone and fires nothing (WooCommerce issue 34798: item edits).

        Reconciliation tests use it: the change is visible on a full re-read, invisible to modified_after.
        """
        with self.lock:
            order = self._writable_order(order_id)
            self._merge_order_fields(order, changes)
            if any(k in changes for k in ("line_items", "shipping_lines", "fee_lines", "coupon_lines")):
                self._set_lines(order, changes, ItemIds(order_id, order), replace=False)
            if "status" in changes:
                order["status"] = changes["status"]
            self.orders.set_columns(order_id, status=order["status"], owner=order["customer_id"])
            return order

    def trash_order(self, order_id: int) -> dict:
        """DELETE /orders/<id> without force: returns the order as it was before (WooCommerce does too)."""
        with self.lock:
            order = self._writable_order(order_id)
            if order["status"] == "trash":
                raise StoreError(410, "woocommerce_rest_already_trashed", "The order has already been deleted.")
            before = copy.deepcopy(order)
            now = self.now()
            self._pre_trash[("order", order_id)] = order["status"]
            order["status"] = "trash"
            order["date_modified"] = order["date_modified_gmt"] = now
            self.orders.set_columns(order_id, status="trash", modified=now)
            self._emit("order", "deleted", order_id)
            return before

    def restore_order(self, order_id: int) -> dict:
        with self.lock:
            order = self._writable_order(order_id)
            if order["status"] != "trash":
                return order
            now = self.now()
            order["status"] = self._pre_trash.pop(("order", order_id), "pending")
            order["date_modified"] = order["date_modified_gmt"] = now
            self.orders.set_columns(order_id, status=order["status"], modified=now)
            self._emit("order", "restored", order_id)
            return order

    def delete_order(self, order_id: int) -> dict:
        """Force delete: the row is gone, its refunds too; WooCommerce 9.9 fires no webhook for it."""
        with self.lock:
            order = self.orders.get(order_id)
            if order is None:
                raise StoreError(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
            before = copy.deepcopy(order)
            for rid in self.refunds_of.pop(order_id, []):
                if self.refunds.exists(rid):
                    self.refunds.delete(rid)
            self.orders.delete(order_id)
            self._pre_trash.pop(("order", order_id), None)
            return before

    # --- order helpers -------------------------------------------------------------------------------------
    def _writable_order(self, order_id: int) -> dict:
        if self.orders.get(order_id) is None:
            raise StoreError(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        return self.orders.materialize(order_id)

    def _check_order_status(self, status: str) -> None:
        allowed = [s for s in EVERY_STATUS if s != "trash"]
        if status not in allowed and status != "trash":
            message = f"status is not one of {_enum_text(allowed)}."
            raise StoreError(400, "rest_invalid_param", "Invalid parameter(s): status", {"status": message})

    def _blank_order(self, oid: int, now: int, *, created_via: str) -> dict:
        key = gen.new_order_key()
        empty_billing = {
            "first_name": "",
            "last_name": "",
            "company": "",
            "address_1": "",
            "address_2": "",
            "city": "",
            "state": "",
            "postcode": "",
            "country": "",
            "email": "",
            "phone": "",
        }
        return {
            "id": oid,
            "parent_id": 0,
            "status": "pending",
            "currency": self.config.currency,
            "version": WC_VERSION,
            "prices_include_tax": self.config.tax_profile == "eu",  # the eu profile enters prices with tax
            "date_created": now,
            "date_modified": now,
            "discount_total": "0.00",
            "discount_tax": "0.00",
            "shipping_total": "0.00",
            "shipping_tax": "0.00",
            "cart_tax": "0.00",
            "total": "0.00",
            "total_tax": "0.00",
            "customer_id": 0,
            "order_key": key,
            "billing": dict(empty_billing),
            "shipping": {k: "" for k in empty_billing if k != "email"},
            "payment_method": "",
            "payment_method_title": "",
            "transaction_id": "",
            "customer_ip_address": "",
            "customer_user_agent": "",
            "created_via": created_via,
            "customer_note": "",
            "date_completed": None,
            "date_paid": None,
            "cart_hash": "",
            "number": str(oid),
            "meta_data": [],
            "line_items": [],
            "tax_lines": [],
            "shipping_lines": [],
            "fee_lines": [],
            "coupon_lines": [],
            "refunds": [],
            "payment_url": f"/checkout/order-pay/{oid}/?pay_for_order=true&key={key}",
            "is_editable": True,
            "needs_payment": False,
            "needs_processing": True,
            "date_created_gmt": now,
            "date_modified_gmt": now,
            "date_completed_gmt": None,
            "date_paid_gmt": None,
            "currency_symbol": currency_symbol(self.config.currency),
        }

    def _merge_order_fields(self, order: dict, changes: dict) -> None:
        for key in ("billing", "shipping"):
            if isinstance(changes.get(key), dict):
                for k, v in changes[key].items():
                    if k in order[key]:
                        order[key][k] = "" if v is None else str(v)
        for key in (
            "payment_method",
            "payment_method_title",
            "transaction_id",
            "customer_note",
            "customer_ip_address",
            "customer_user_agent",
        ):
            if key in changes and changes[key] is not None:
                order[key] = str(changes[key])
        if changes.get("currency"):
            order["currency"] = str(changes["currency"]).upper()
            order["currency_symbol"] = currency_symbol(order["currency"])
        if "customer_id" in changes and changes["customer_id"] is not None:
            cid = int(changes["customer_id"])
            if cid and self.customers.get(cid) is None:
                raise StoreError(400, "woocommerce_rest_invalid_customer_id", "Customer ID is invalid.")
            order["customer_id"] = cid
        if "parent_id" in changes and changes["parent_id"] is not None:
            order["parent_id"] = int(changes["parent_id"])
        if isinstance(changes.get("meta_data"), list):
            existing = {m["key"]: m for m in order["meta_data"]}
            for m in changes["meta_data"]:
                if "key" not in m:
                    continue
                if m["key"] in existing:
                    existing[m["key"]]["value"] = m.get("value")
                else:
                    entry = {
                        "id": order["id"] * 1000 + 800 + len(order["meta_data"]),
                        "key": m["key"],
                        "value": m.get("value"),
                    }
                    order["meta_data"].append(entry)

    def _apply_status(self, order: dict, status: str, now: int, *, set_paid: bool) -> None:
        order["status"] = status
        if (set_paid or status in PAID_STATUSES) and order["date_paid"] is None and status != "refunded":
            order["date_paid"] = order["date_paid_gmt"] = now
        if status == "completed" and order["date_completed"] is None:
            order["date_completed"] = order["date_completed_gmt"] = now
        order["is_editable"] = status in ("pending", "on-hold", "checkout-draft", "auto-draft")
        order["needs_payment"] = status in ("pending", "failed") and d(order["total"]) > 0


def _enum_text(values: list[str]) -> str:
    """WordPress lists enum values as "a, b, and c"."""
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + ", and " + values[-1]

"""One fake WooCommerce store: its settings, WordPress users and keys, data, webhooks and clock.

Everything that changes data goes through the methods here (REST handlers, the admin endpoint, tests and the
mutate command alike), so that every write bumps dates, keeps totals consistent and announces itself on the
`ChangeBus` exactly once, the way WooCommerce's hooks fire.
"""

from __future__ import annotations

import copy
import json
import secrets
import string
import threading
import time
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from . import generator as gen
from .accounts import Accounts
from .books import Book
from .config import FakeStoreConfig
from .events import ChangeBus
from .money import ZERO, d, fmt, number, round_dp, tax_of, trim
from .pricing import RATE_BY_ID, apply_totals, coupon_line, discounts, fee_line, line_item, rate_for, shipping_line
from .serializers import View
from .serializers import order as order_view
from .serializers import refund as refund_view

SITE_DESCRIPTION = "Just another WooCommerce store"
REFUNDED_STATUS_REASON = (
    "Order status set to refunded. To return funds to the customer you will need to issue a refund through your "
    "payment gateway."
)
ONLINE_GATEWAYS = {"stripe", "ppcp-gateway", "woocommerce_payments"}  # labels only: their plugins are not installed
OFFLINE_GATEWAYS = {"bacs", "cheque", "cod"}


class StoreError(Exception):
    """A write WooCommerce refuses; carries the REST error it would answer."""

    def __init__(self, status: int, code: str, message: str, params: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.params = status, code, message, params


WEBHOOK_HOOKS: dict[str, list[str]] = {
    "coupon.created": ["woocommerce_process_shop_coupon_meta", "woocommerce_new_coupon"],
    "coupon.updated": ["woocommerce_process_shop_coupon_meta", "woocommerce_update_coupon"],
    "coupon.deleted": ["wp_trash_post"],
    "coupon.restored": ["untrashed_post"],
    "customer.created": ["user_register", "woocommerce_created_customer", "woocommerce_new_customer"],
    "customer.updated": ["profile_update", "woocommerce_update_customer"],
    "customer.deleted": ["delete_user"],
    "order.created": ["woocommerce_new_order"],
    "order.updated": ["woocommerce_update_order", "woocommerce_order_refunded"],
    "order.deleted": ["wp_trash_post", "woocommerce_trash_order"],
    "order.restored": ["untrashed_post", "woocommerce_untrash_order"],
    "product.created": [
        "woocommerce_process_product_meta",
        "woocommerce_new_product",
        "woocommerce_new_product_variation",
    ],
    "product.updated": [
        "woocommerce_process_product_meta",
        "woocommerce_update_product",
        "woocommerce_update_product_variation",
    ],
    "product.deleted": ["wp_trash_post"],
    "product.restored": ["untrashed_post"],
    "product.published": ["woocommerce_product_published"],
}
SUBSCRIPTION_HOOKS: dict[str, list[str]] = {
    "subscription.created": [
        "wcs_api_subscription_created",
        "wcs_webhook_subscription_created",
        "woocommerce_process_shop_subscription_meta",
    ],
    "subscription.updated": [
        "wc_api_subscription_updated",
        "woocommerce_subscription_status_changed",
        "wcs_webhook_subscription_updated",
        "woocommerce_process_shop_subscription_meta",
    ],
    "subscription.deleted": [
        "woocommerce_subscription_trashed",
        "woocommerce_subscription_deleted",
        "woocommerce_api_delete_subscription",
    ],
    "subscription.switched": ["wcs_webhook_subscription_switched"],
}


def _load_json(name: str) -> Any:
    return json.loads(resources.files("storelens.fakestore").joinpath("data", name).read_text(encoding="utf-8"))


class FakeStore:
    def __init__(self, config: FakeStoreConfig) -> None:
        self.config = config
        self.accounts = Accounts(config.admin_user, config.admin_password)
        self.bus = ChangeBus()
        self.lock = threading.RLock()
        self.webhooks: dict[int, Webhook] = {}
        self._next_webhook_id = 1
        self._now_override: float | None = None
        self._pre_trash: dict[tuple[str, int], str] = {}
        self.site_name = config.site_name
        self.site_description = SITE_DESCRIPTION
        self.settings_general: list[dict] = _load_json("settings-general.json")
        self.history_start = 0
        self.history_end = 0
        if config.dataset_dir:
            from .dataset import load_dataset

            load_dataset(self, config.dataset_dir)
        else:
            self._generate()
        for setting in self.settings_general:
            if setting["id"] == "woocommerce_currency" and not config.dataset_dir:
                setting["value"] = config.currency

    # --- clock ---------------------------------------------------------------------------------------------
    def now(self) -> int:
        """UTC seconds; real time unless a test pinned it with `set_now`."""
        return int(self._now_override if self._now_override is not None else time.time())

    def set_now(self, ts: float | None) -> None:
        self._now_override = ts

    # --- data ----------------------------------------------------------------------------------------------
    def _generate(self) -> None:
        c = self.config
        g = gen.generate(
            seed=c.seed,
            orders=c.orders,
            months=c.months,
            currency=c.currency,
            subscriptions=c.subscriptions,
            history_end=gen.history_end_ts(getattr(c, "history_end", None)),
        )
        self.factory: gen.OrderFactory | None = g.factory
        self.products = Book()
        for pid in sorted(g.catalog.products):
            p = g.catalog.products[pid]
            self.products.append(pid, p["status"], p["date_created_gmt"], p["date_modified_gmt"])
            self.products.put(pid, p)
        self.variations = Book()
        for vid in sorted(g.catalog.variations):
            v = g.catalog.variations[vid]
            self.variations.append(vid, v["status"], v["date_created_gmt"], v["date_modified_gmt"], v["parent_id"])
            self.variations.put(vid, v)
        self.categories = g.catalog.categories
        self.coupons = g.coupons
        self.customers = g.customers
        self.customer_names = g.customer_names
        self.orders = g.orders
        self.refunds = g.refunds
        self.refunds_of = g.refunds_of
        self.subscriptions = g.subscriptions if c.subscriptions else None
        self._next_id = g.next_id
        self.history_start, self.history_end = g.history_start, g.history_end

    def next_id(self) -> int:
        """Posts, orders, refunds and subscriptions share one id sequence, as on WordPress."""
        with self.lock:
            value = self._next_id
            self._next_id += 1
            return value

    @property
    def timezone(self) -> str:
        return self.config.timezone

    def view(self, dp: int = 2) -> View:
        """Printing settings for Python callers: links from the configured home URL."""
        origin = self.config.home_url.rstrip("/")
        prefix = origin + ("/index.php?rest_route=/" if self.config.has("plain-permalinks") else "/wp-json/")
        return View(origin=origin, rest_prefix=prefix, tz=self.timezone, dp=dp)

    # --- reads ---------------------------------------------------------------------------------------------
    def order(self, order_id: int) -> dict | None:
        """The stored order record (UTC seconds in date keys); read-only."""
        return self.orders.get(order_id)

    def order_json(self, order_id: int, view: View | None = None) -> dict | None:
        rec = self.orders.get(order_id)
        return None if rec is None else order_view(rec, view or self.view())

    def refund_json(self, refund_id: int, view: View | None = None, *, with_parent: bool = False) -> dict | None:
        rec = self.refunds.get(refund_id)
        return None if rec is None else refund_view(rec, view or self.view(), with_parent=with_parent)

    def refund_ids_of(self, order_id: int) -> list[int]:
        return [r for r in self.refunds_of.get(order_id, []) if self.refunds.exists(r)]

    def customer_json(self, customer_id: int, view: View | None = None) -> dict | None:
        from .serializers import customer as customer_view

        rec = self.customers.get(customer_id)
        return None if rec is None else customer_view(rec, view or self.view())

    def product_json(self, product_id: int, view: View | None = None) -> dict | None:
        from .serializers import simple

        rec = self.products.get(product_id)
        if rec is None:
            var = self.variations.get(product_id)
            if var is None:
                return None
            from .serializers import variation

            return variation(var, view or self.view())
        return simple(rec, view or self.view(), "products")

    def coupon_json(self, coupon_id: int, view: View | None = None) -> dict | None:
        from .serializers import simple

        rec = self.coupons.get(coupon_id)
        return None if rec is None else simple(rec, view or self.view(), "coupons")

    def subscription_json(self, subscription_id: int, view: View | None = None) -> dict | None:
        if self.subscriptions is None:
            return None
        rec = self.subscriptions.get(subscription_id)
        return None if rec is None else order_view(rec, view or self.view(), resource="subscriptions")

    def coupon_by_code(self, code: str) -> dict | None:
        code = code.strip().lower()
        for pos in range(len(self.coupons)):
            rec = self.coupons.get(self.coupons.ids[pos])
            if rec is not None and rec["code"].lower() == code and rec["status"] != "trash":
                return rec
        return None

    # --- orders: writes ------------------------------------------------------------------------------------
    def create_order(self, payload: dict, *, created_via: str = "rest-api") -> dict:
        """POST /orders: the order as WooCommerce computes it from products, coupons and the tax address."""
        with self.lock:
            now = self.now()
            oid = self.next_id()
            status = payload.get("status") or "pending"
            self._check_order_status(status)
            order = self._blank_order(oid, now, created_via=payload.get("created_via") or created_via)
            self._merge_order_fields(order, payload)
            items = _ItemIds(oid)
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
                self._set_lines(order, changes, _ItemIds(order_id, order), replace=False)
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
                self._set_lines(order, changes, _ItemIds(order_id, order), replace=False)
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

    # --- refunds -------------------------------------------------------------------------------------------
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
            refund = {
                "id": rid,
                "parent_id": order_id,
                "date_created": now,
                "date_created_gmt": now,
                "amount": "0.00",
                "reason": reason or "",
                "refunded_by": refunded_by,
                "refunded_payment": False,
                "meta_data": [],
                "line_items": [],
                "shipping_lines": [],
                "tax_lines": [],
                "fee_lines": [],
            }
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
        order["refunds"].insert(0, {"id": refund["id"], "reason": refund["reason"], "total": "-" + refund["amount"]})
        order["date_modified"] = order["date_modified_gmt"] = now
        self.orders.set_columns(order_id, modified=now)

    def _refund_remaining(self, order_id: int, order: dict, now: int) -> None:
        remaining = d(order["total"]) - self._refunded_total(order_id)
        if remaining <= 0:
            return
        rid = self.next_id()
        refund = {
            "id": rid,
            "parent_id": order_id,
            "date_created": now,
            "date_created_gmt": now,
            "amount": fmt(remaining),
            "reason": REFUNDED_STATUS_REASON,
            "refunded_by": 1,
            "refunded_payment": False,
            "meta_data": [],
            "line_items": [],
            "shipping_lines": [],
            "tax_lines": [],
            "fee_lines": [],
        }
        if not self.refund_ids_of(order_id):
            gen._full_refund_lines(refund, order, rid)
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
            x["meta_data"] = [gen._refunded_item_meta(meta_id, item["id"])]
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
                refund["tax_lines"].append(gen._refund_tax_line(item_id, rate_id, cart, ship))
                item_id += 1
        return total

    # --- order helpers -------------------------------------------------------------------------------------
    def _writable_order(self, order_id: int) -> dict:
        if self.orders.get(order_id) is None:
            raise StoreError(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        return self.orders.materialize(order_id)

    def _check_order_status(self, status: str) -> None:
        allowed = ["pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "checkout-draft"]
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
            "version": gen.WC_VERSION,
            "prices_include_tax": False,
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
            "currency_symbol": gen.currency_symbol(self.config.currency),
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
            order["currency_symbol"] = gen.currency_symbol(order["currency"])
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

    def _tax_rate(self, order: dict) -> Any:
        ship = order["shipping"]
        if ship.get("country"):
            return rate_for(ship["country"], ship.get("state", ""))
        return rate_for(order["billing"].get("country", ""), order["billing"].get("state", ""))

    def _set_lines(self, order: dict, payload: dict, ids: _ItemIds, *, replace: bool) -> None:
        rate = self._tax_rate(order)
        if "line_items" in payload and payload["line_items"] is not None:
            lines = [] if replace else list(order["line_items"])
            for req in payload["line_items"]:
                existing = next((li for li in lines if req.get("id") and li["id"] == int(req["id"])), None)
                if existing is not None:
                    lines.remove(existing)
                    if int(req.get("quantity", existing["quantity"]) or 0) == 0:
                        continue
                    merged = {
                        "product_id": existing["product_id"],
                        "variation_id": existing["variation_id"],
                        "quantity": existing["quantity"],
                    }
                    merged.update({k: v for k, v in req.items() if k != "id"})
                    if "quantity" in req and "total" not in req:
                        merged.pop("subtotal", None)
                    lines.append(self._line_from_request(merged, existing["id"], rate))
                else:
                    lines.append(self._line_from_request(req, ids.take(), rate))
            order["line_items"] = lines
        if "shipping_lines" in payload and payload["shipping_lines"] is not None:
            ships = [] if replace else list(order["shipping_lines"])
            for req in payload["shipping_lines"]:
                existing = next((s for s in ships if req.get("id") and s["id"] == int(req["id"])), None)
                if existing is not None:
                    ships.remove(existing)
                    if req.get("method_id") is None and req.get("total") is None:
                        continue
                base = existing or {}
                ships.append(
                    shipping_line(
                        existing["id"] if existing else ids.take(),
                        str(req.get("method_id", base.get("method_id", "flat_rate"))),
                        str(req.get("method_title", base.get("method_title", "Flat rate"))),
                        str(req.get("instance_id", base.get("instance_id", ""))),
                        d(req.get("total", base.get("total", "0"))),
                        rate,
                    )
                )
            order["shipping_lines"] = ships
        if "fee_lines" in payload and payload["fee_lines"] is not None:
            fees = [] if replace else list(order["fee_lines"])
            for req in payload["fee_lines"]:
                existing = next((f for f in fees if req.get("id") and f["id"] == int(req["id"])), None)
                if existing is not None:
                    fees.remove(existing)
                base = existing or {}
                fees.append(
                    fee_line(
                        existing["id"] if existing else ids.take(),
                        str(req.get("name", base.get("name", "Fee"))),
                        d(req.get("total", base.get("total", "0"))),
                        str(req.get("tax_status", base.get("tax_status", "taxable"))) == "taxable",
                        rate,
                    )
                )
            order["fee_lines"] = fees
        if "coupon_lines" in payload and payload["coupon_lines"] is not None:
            order["coupon_lines"] = []
            for req in payload["coupon_lines"]:
                code = str(req.get("code", ""))
                coupon = self.coupon_by_code(code)
                if coupon is None:
                    raise StoreError(400, "woocommerce_rest_invalid_coupon", f'Coupon "{code}" does not exist!')
                subs = [d(li["subtotal"]) for li in order["line_items"]]
                qtys = [li["quantity"] for li in order["line_items"]]
                per_line = discounts(subs, qtys, coupon)
                for li, disc in zip(order["line_items"], per_line, strict=True):
                    new_total = max(ZERO, d(li["total"]) - disc)
                    li.update(
                        line_item(
                            li["id"],
                            li["id"] * 10,
                            name=li["name"],
                            product_id=li["product_id"],
                            variation_id=li["variation_id"],
                            quantity=li["quantity"],
                            subtotal=d(li["subtotal"]),
                            total=new_total,
                            sku=li["sku"],
                            parent_name=li["parent_name"],
                            attributes=None,
                            rate=rate,
                        )
                        | {"meta_data": li["meta_data"], "image": li["image"]}
                    )
                disc_total = sum(per_line, ZERO)
                disc_tax = sum((tax_of(x, rate.percent) for x in per_line), ZERO) if rate else ZERO
                order["coupon_lines"].append(
                    coupon_line(ids.take(), ids.take() * 10, coupon, disc_total, round_dp(disc_tax))
                )
        apply_totals(order, ids.take())
        order["needs_processing"] = (
            any(not self._is_virtual(li) for li in order["line_items"]) or not order["line_items"]
        )

    def _is_virtual(self, line: dict) -> bool:
        product = self.products.get(line["product_id"])
        return bool(product and product.get("virtual"))

    def _line_from_request(self, req: dict, item_id: int, rate: Any) -> dict:
        pid = int(req.get("product_id") or 0)
        vid = int(req.get("variation_id") or 0)
        product = self.products.get(pid) if pid else None
        variation = self.variations.get(vid) if vid else None
        if product is None and variation is None and not req.get("name"):
            raise StoreError(400, "woocommerce_rest_invalid_product_id", "Product ID provided is invalid.")
        if variation is not None and product is None:
            product = self.products.get(variation["parent_id"])
            pid = variation["parent_id"]
        if product is not None and product["type"] == "variable" and variation is None:
            raise StoreError(400, "woocommerce_rest_invalid_product_id", "Product ID provided is invalid.")
        qty = int(req.get("quantity") or 1)
        source = variation or product or {}
        price = d(source.get("price") or req.get("price") or 0)
        subtotal = d(req["subtotal"]) if req.get("subtotal") not in (None, "") else price * qty
        total = d(req["total"]) if req.get("total") not in (None, "") else subtotal
        attrs = [(a["name"], a["option"]) for a in variation["attributes"]] if variation else None
        if variation is not None and product is not None:
            name = f"{product['name']} - {variation['name']}"
            parent_name = product["name"]
        else:
            name = product["name"] if product else str(req.get("name"))
            parent_name = None
        return line_item(
            item_id,
            item_id * 10,
            name=name,
            product_id=pid,
            variation_id=vid,
            quantity=qty,
            subtotal=subtotal,
            total=total,
            sku=source.get("sku", ""),
            parent_name=parent_name,
            attributes=attrs,
            rate=rate,
        )

    def _apply_status(self, order: dict, status: str, now: int, *, set_paid: bool) -> None:
        order["status"] = status
        if (set_paid or status in gen.PAID_STATUSES) and order["date_paid"] is None and status != "refunded":
            order["date_paid"] = order["date_paid_gmt"] = now
        if status == "completed" and order["date_completed"] is None:
            order["date_completed"] = order["date_completed_gmt"] = now
        order["is_editable"] = status in ("pending", "on-hold", "checkout-draft", "auto-draft")
        order["needs_payment"] = status in ("pending", "failed") and d(order["total"]) > 0

    # --- customers -----------------------------------------------------------------------------------------
    def create_customer(self, payload: dict) -> dict:
        with self.lock:
            email = str(payload.get("email") or "").strip()
            if not email or "@" not in email:
                raise StoreError(
                    400, "rest_invalid_param", "Invalid parameter(s): email", {"email": "Invalid email address."}
                )
            for pos in range(len(self.customers)):
                rec = self.customers.get(self.customers.ids[pos])
                if rec is not None and rec["email"].lower() == email.lower():
                    raise StoreError(
                        400,
                        "registration-error-email-exists",
                        "An account is already registered with your email address. "
                        '<a href="#" class="showlogin">Please log in.</a>',
                    )
            now = self.now()
            cid = self.customers.ids[-1] + 1
            first, last = str(payload.get("first_name", "")), str(payload.get("last_name", ""))
            username = str(payload.get("username") or email.split("@")[0])
            billing = {
                k: ""
                for k in (
                    "first_name",
                    "last_name",
                    "company",
                    "address_1",
                    "address_2",
                    "city",
                    "postcode",
                    "country",
                    "state",
                    "email",
                    "phone",
                )
            }
            shipping = {k: "" for k in billing if k != "email"}
            billing.update({k: str(v) for k, v in (payload.get("billing") or {}).items() if k in billing})
            shipping.update({k: str(v) for k, v in (payload.get("shipping") or {}).items() if k in shipping})
            from .people import gravatar

            rec = {
                "id": cid,
                "date_created": now,
                "date_created_gmt": now,
                "date_modified": now,
                "date_modified_gmt": now,
                "email": email,
                "first_name": first,
                "last_name": last,
                "role": "customer",
                "username": username,
                "billing": billing,
                "shipping": shipping,
                "is_paying_customer": False,
                "avatar_url": gravatar(email),
                "meta_data": [],
            }
            self.customers.append(cid, "customer", now, now)
            self.customers.put(cid, rec)
            self.customer_names.append((f"{first} {last}").strip() or username)
            self._emit("customer", "created", cid)
            return rec

    def update_customer(self, customer_id: int, changes: dict) -> dict:
        with self.lock:
            if self.customers.get(customer_id) is None:
                raise StoreError(400, "woocommerce_rest_invalid_id", "Invalid resource ID.")
            rec = self.customers.materialize(customer_id)
            now = self.now()
            for key in ("email", "first_name", "last_name"):
                if key in changes and changes[key] is not None:
                    rec[key] = str(changes[key])
            for key in ("billing", "shipping"):
                for k, v in (changes.get(key) or {}).items():
                    if k in rec[key]:
                        rec[key][k] = "" if v is None else str(v)
            rec["date_modified"] = rec["date_modified_gmt"] = now
            pos = self.customers.position(customer_id)
            assert pos is not None
            self.customer_names[pos] = (f"{rec['first_name']} {rec['last_name']}").strip() or rec["username"]
            self.customers.set_columns(customer_id, modified=now)
            self._emit("customer", "updated", customer_id)
            return rec

    def delete_customer(self, customer_id: int) -> dict:
        with self.lock:
            rec = self.customers.get(customer_id)
            if rec is None:
                raise StoreError(400, "woocommerce_rest_invalid_id", "Invalid resource id.")
            before = copy.deepcopy(rec)
            self.customers.delete(customer_id)
            self._emit("customer", "deleted", customer_id)
            return before

    # --- products and coupons ------------------------------------------------------------------------------
    def update_product(self, product_id: int, changes: dict) -> dict:
        with self.lock:
            if self.products.get(product_id) is None:
                raise StoreError(404, "woocommerce_rest_product_invalid_id", "Invalid ID.")
            rec = self.products.materialize(product_id)
            now = self.now()
            for key in (
                "name",
                "regular_price",
                "sale_price",
                "status",
                "sku",
                "description",
                "short_description",
                "stock_status",
            ):
                if key in changes and changes[key] is not None:
                    rec[key] = str(changes[key])
            if "regular_price" in changes or "sale_price" in changes:
                rec["price"] = rec["sale_price"] or rec["regular_price"]
                rec["on_sale"] = bool(rec["sale_price"])
            rec["date_modified"] = rec["date_modified_gmt"] = now
            self.products.set_columns(product_id, status=rec["status"], modified=now)
            self._emit("product", "updated", product_id)
            return rec

    def update_coupon(self, coupon_id: int, changes: dict) -> dict:
        with self.lock:
            if self.coupons.get(coupon_id) is None:
                raise StoreError(404, "woocommerce_rest_shop_coupon_invalid_id", "Invalid ID.")
            rec = self.coupons.materialize(coupon_id)
            now = self.now()
            for key in ("amount", "description", "discount_type", "status"):
                if key in changes and changes[key] is not None:
                    rec[key] = str(changes[key])
            if changes.get("code"):
                rec["code"] = str(changes["code"]).lower()
            rec["date_modified"] = rec["date_modified_gmt"] = now
            self.coupons.set_columns(coupon_id, status=rec["status"], modified=now)
            self._emit("coupon", "updated", coupon_id)
            return rec

    def create_coupon(self, payload: dict) -> dict:
        with self.lock:
            code = str(payload.get("code") or "").strip().lower()
            if not code:
                raise StoreError(400, "woocommerce_rest_empty_coupon_code", "The coupon code cannot be empty.")
            if self.coupon_by_code(code) is not None:
                raise StoreError(400, "woocommerce_rest_coupon_code_already_exists", "The coupon code already exists")
            now = self.now()
            cid = self.next_id()
            template = copy.deepcopy(self.coupons.get(self.coupons.ids[0]) or {})
            template.update(
                {
                    "id": cid,
                    "code": code,
                    "amount": fmt(payload.get("amount", "0")),
                    "status": "publish",
                    "date_created": now,
                    "date_created_gmt": now,
                    "date_modified": now,
                    "date_modified_gmt": now,
                    "discount_type": str(payload.get("discount_type", "fixed_cart")),
                    "description": str(payload.get("description", "")),
                    "usage_count": 0,
                    "used_by": [],
                    "free_shipping": bool(payload.get("free_shipping", False)),
                }
            )
            self.coupons.append(cid, "publish", now, now)
            self.coupons.put(cid, template)
            self._emit("coupon", "created", cid)
            return template

    # --- webhooks ------------------------------------------------------------------------------------------
    def webhook_topics(self) -> dict[str, list[str]]:
        topics = dict(WEBHOOK_HOOKS)
        if self.subscriptions is not None:
            topics.update(SUBSCRIPTION_HOOKS)
        return topics

    def create_webhook(self, payload: dict, *, user_id: int = 1) -> Webhook:
        """POST /webhooks: always created `active` (a requested status is ignored, as captured)."""
        with self.lock:
            topic = str(payload.get("topic") or "")
            if not self._valid_topic(topic):
                raise StoreError(
                    400, "woocommerce_rest_shop_webhook_invalid_topic", "Webhook topic is required and must be valid."
                )
            url = str(payload.get("delivery_url") or "")
            if not _valid_delivery_url(url):
                raise StoreError(
                    400,
                    "woocommerce_rest_shop_webhook_invalid_delivery_url",
                    "Webhook delivery URL must be a valid URL starting with http:// or https://.",
                )
            now = self.now()
            wid = self._next_webhook_id
            self._next_webhook_id += 1
            secret = payload.get("secret")
            if not secret:
                alphabet = string.ascii_letters + string.digits + "!@#$%^&*()-_ []{}<>~`+=,.;:/?|"
                secret = "".join(secrets.choice(alphabet) for _ in range(50))
            record = Webhook(
                id=wid,
                name=str(
                    payload.get("name")
                    or f"Webhook created on {time.strftime('%B %d, %Y @ %I:%M %p', time.gmtime(now))}"
                ),
                status="active",
                topic=topic,
                delivery_url=url,
                secret=str(secret),
                user_id=user_id,
                date_created=now,
                hooks=self.webhook_topics().get(topic, [topic.removeprefix("action.")]),
            )
            self.webhooks[wid] = record
            self._emit("webhook", "created", wid)
            return record

    def update_webhook(self, webhook_id: int, changes: dict) -> Webhook:
        with self.lock:
            record = self.webhooks.get(webhook_id)
            if record is None:
                raise StoreError(404, "woocommerce_rest_webhook_invalid_id", "Invalid ID.")
            if "topic" in changes and changes["topic"] is not None:
                topic = str(changes["topic"])
                if not self._valid_topic(topic):
                    raise StoreError(
                        400,
                        "woocommerce_rest_shop_webhook_invalid_topic",
                        "Webhook topic is required and must be valid.",
                    )
                record.topic = topic
                record.hooks = self.webhook_topics().get(topic, [topic.removeprefix("action.")])
            if "delivery_url" in changes and changes["delivery_url"] is not None:
                if not _valid_delivery_url(str(changes["delivery_url"])):
                    raise StoreError(
                        400,
                        "woocommerce_rest_shop_webhook_invalid_delivery_url",
                        "Webhook delivery URL must be a valid URL starting with http:// or https://.",
                    )
                record.delivery_url = str(changes["delivery_url"])
            if changes.get("status") in ("active", "paused", "disabled"):
                if changes["status"] == "active" and record.status != "active":
                    record.failure_count = 0
                record.status = changes["status"]
            if changes.get("name") is not None:
                record.name = str(changes["name"])
            if changes.get("secret") is not None:
                record.secret = str(changes["secret"])
            record.date_modified = self.now()
            self._emit("webhook", "updated", webhook_id)
            return record

    def delete_webhook(self, webhook_id: int) -> Webhook:
        with self.lock:
            record = self.webhooks.pop(webhook_id, None)
            if record is None:
                raise StoreError(404, "woocommerce_rest_webhook_invalid_id", "Invalid ID.")
            return record

    def _valid_topic(self, topic: str) -> bool:
        if topic.startswith("action.") and len(topic) > len("action."):
            return True
        return topic in self.webhook_topics()

    # --- events --------------------------------------------------------------------------------------------
    def _emit(self, resource: str, event: str, object_id: int) -> None:
        self.bus.emit(resource, event, object_id)


@dataclass
class Webhook:
    """A row of WooCommerce's webhooks table; the dispatcher (webhooks.py) reads and updates it in place."""

    id: int
    name: str
    status: str  # active, paused, disabled
    topic: str
    delivery_url: str
    secret: str
    user_id: int
    date_created: int
    date_modified: int | None = None
    failure_count: int = 0
    pending_delivery: bool = False
    api_version: str = "wp_api_v3"
    hooks: list[str] = field(default_factory=list)

    @property
    def resource(self) -> str:
        return self.topic.partition(".")[0]

    @property
    def event(self) -> str:
        return self.topic.partition(".")[2]

    def as_rest(self) -> dict:
        """The stored form the serializer prints (the secret never leaves the store)."""
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "topic": self.topic,
            "resource": self.resource,
            "event": self.event,
            "hooks": list(self.hooks),
            "delivery_url": self.delivery_url,
            "date_created": self.date_created,
            "date_created_gmt": self.date_created,
            "date_modified": self.date_modified,
            "date_modified_gmt": self.date_modified,
        }


class _ItemIds:
    """Order item ids for new lines: id*100+k like the generator, past every id the order already uses."""

    def __init__(self, order_id: int, order: dict | None = None) -> None:
        used = [order_id * 100 - 1]
        if order is not None:
            for group in ("line_items", "shipping_lines", "fee_lines", "tax_lines", "coupon_lines"):
                used.extend(x["id"] for x in order[group])
        self._next = max(max(used) + 1, order_id * 100)

    def take(self) -> int:
        value = self._next
        self._next += 1
        return value


def _valid_delivery_url(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _enum_text(values: list[str]) -> str:
    """WordPress lists enum values as "a, b, and c"."""
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + ", and " + values[-1]

"""Product and coupon writes: price fields kept consistent, coupon codes unique and lower-case."""

from __future__ import annotations

import copy
import threading

from .books import Book
from .errors import StoreError
from .money import fmt


class CatalogWrites:
    """FakeStore's product and coupon writes (a mixin: the state lives on the store)."""

    lock: threading.RLock
    products: Book
    coupons: Book

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

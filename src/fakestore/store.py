"""One fake WooCommerce store: its settings, WordPress users and keys, data, webhooks and clock.

Everything that changes data goes through the methods here (REST handlers, the admin endpoint, tests and the
mutate command alike), so that every write bumps dates, keeps totals consistent and announces itself on the
`ChangeBus` exactly once, the way WooCommerce's hooks fire.

Writes are grouped by what they change (`order_writes`, `order_lines`, `refund_writes`, `customer_writes`,
`catalog_writes`, `webhook_registry`); this module holds the state they share and the reads.
"""

from __future__ import annotations

import json
import threading
import time
from importlib import resources
from typing import Any

from . import generator as gen
from .accounts import Accounts
from .books import Book
from .catalog_writes import CatalogWrites
from .config import FakeStoreConfig
from .customer_writes import CustomerWrites
from .errors import StoreError
from .events import ChangeBus
from .order_writes import OrderWrites
from .refund_writes import RefundWrites
from .serializers import View
from .serializers import order as order_view
from .serializers import refund as refund_view
from .webhook_registry import SUBSCRIPTION_HOOKS, WEBHOOK_HOOKS, Webhook, WebhookRegistry

__all__ = ["SUBSCRIPTION_HOOKS", "WEBHOOK_HOOKS", "FakeStore", "StoreError", "Webhook"]

SITE_DESCRIPTION = "Just another WooCommerce store"


def _load_json(name: str) -> Any:
    return json.loads(resources.files("fakestore").joinpath("data", name).read_text(encoding="utf-8"))


class FakeStore(OrderWrites, RefundWrites, CustomerWrites, CatalogWrites, WebhookRegistry):
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
            shared_email_guests=c.shared_email_guests,
            mixed_case_emails=c.mixed_case_emails,
            tax_profile=c.tax_profile,
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

    # --- events --------------------------------------------------------------------------------------------
    def _emit(self, resource: str, event: str, object_id: int) -> None:
        self.bus.emit(resource, event, object_id)

"""The store's webhooks table: topics and the hooks behind them, and the REST writes that manage its rows.

The dispatcher (webhooks.py) reads these rows and delivers; this module only keeps them.
"""

from __future__ import annotations

import secrets
import string
import threading
import time
from dataclasses import dataclass, field

from .errors import StoreError

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


class WebhookRegistry:
    """FakeStore's webhook writes (a mixin: the state lives on the store)."""

    lock: threading.RLock
    webhooks: dict[int, Webhook]
    _next_webhook_id: int
    subscriptions: object | None

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
                raise StoreError(400, "woocommerce_rest_shop_webhook_invalid_id", "ID is invalid.")
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
                raise StoreError(404, "woocommerce_rest_shop_webhook_invalid_id", "Invalid ID.")
            return record

    def _valid_topic(self, topic: str) -> bool:
        if topic.startswith("action.") and len(topic) > len("action."):
            return True
        return topic in self.webhook_topics()


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


def _valid_delivery_url(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)

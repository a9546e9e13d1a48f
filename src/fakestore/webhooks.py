"""Webhook deliveries as WooCommerce 9.9.5 sends them (`WC_Webhook`, Action Scheduler), from the store's change bus.

* Topics are `resource.event`, from the changes the store announces on its bus: a new order fires `order.created`
  and `order.updated` (WooCommerce saves it twice), a refund `order.updated` on its order, a trash
  `order.deleted`, a permanent delete nothing.
* Asynchronous and coalesced: a change queues one delivery per webhook and resource, run `config.webhook_delay_s`
  later (Action Scheduler's "at most one pending per webhook and argument"); further changes while it is queued
  add nothing, and the payload is built when it runs, so it carries the latest state.
* Request: POST, `Content-Type: application/json`, `User-Agent: WooCommerce/9.9.5 Hookshot (WordPress/6.8.3)`,
  `X-WC-Webhook-Source` (home URL with a trailing slash), `-Topic`, `-Resource`, `-Event`, `-ID`, `-Delivery-ID`
  (`wp_hash(id . time())`: the same for two deliveries of one webhook in the same second), and `-Signature` =
  base64 HMAC-SHA256 of the raw body with the secret. Body = the resource as `GET /wc/v3/...` returns it; for
  `deleted` only `{"id": N}`.
* No retries, no redirects followed. Success is 200-302; a failure increments `failure_count`, and a failure
  when the count is already above 5 (the 7th in a row) disables the webhook; one success resets the count.
* Ping: `webhook_id=N` form-encoded, no X-WC headers, when a webhook is created; until a ping has been answered
  with exactly 200, every later save of the webhook (each delivery saves it) pings again, as captured.
* URL safety, TLS (against `config.ca_file`) and timeouts as for the wc-auth callback (`outbound.py`).
* Only webhooks that are `active` when the change happens get a delivery (a queued one still goes out if the
  webhook is paused before it runs, as with Action Scheduler). The payload is built as the webhook's owner: once
  that WordPress user lost `manage_woocommerce` it is the REST error WooCommerce would send.

Every ping and delivery is kept in `dispatcher.log` (the admin endpoint lists it); `await dispatcher.drain()`
waits until nothing is queued or in flight, which lets tests avoid sleeping.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from fakestore import outbound
from fakestore.events import Change
from fakestore.rest.http import php_json

USER_AGENT = f"WooCommerce/{outbound.WC_VERSION} Hookshot (WordPress/{outbound.WP_VERSION})"
MAX_FAILURES = 5  # woocommerce_max_webhook_delivery_failures
LOG_SIZE = 2000


@dataclass
class DeliveryRecord:
    """One request the store sent to a delivery URL, and what came of it."""

    kind: str  # "ping" or "delivery"
    webhook_id: int
    url: str
    topic: str | None = None
    resource_id: int | None = None
    delivery_id: str | None = None
    status: int | None = None
    error: str | None = None
    success: bool = False
    duration_ms: int = 0
    at: float = field(default_factory=time.time)
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def topics_for(change: Change) -> set[str]:
    """The webhook topics a change fires. A new order fires `order.created` and `order.updated`: WooCommerce saves
    a new order twice (if the store also announces the update, the two coalesce into one delivery)."""
    if change.resource == "order" and change.event == "created":
        return {"order.created", "order.updated"}
    if change.event in ("created", "updated", "deleted", "restored"):
        return {f"{change.resource}.{change.event}"}
    return set()  # anything else (a permanent delete, say) fires nothing


def signature(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


class WebhookDispatcher:
    def __init__(self, store: Any) -> None:
        self.store = store
        self.log: collections.deque[DeliveryRecord] = collections.deque(maxlen=LOG_SIZE)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._queued: dict[tuple[int, int], asyncio.TimerHandle] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._subscribed = False
        self._running = False
        self._salt = secrets.token_bytes(16)  # stands in for wp_hash()'s salt
        self._pings: dict[int, asyncio.Task[None]] = {}
        store.webhook_dispatcher = self

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._idle = asyncio.Event()
        self._update_idle()
        self._running = True
        if not self._subscribed:
            self.store.bus.subscribe(self._on_change)
            self._subscribed = True

    async def stop(self) -> None:
        self._running = False
        for handle in self._queued.values():
            handle.cancel()
        self._queued.clear()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        self._update_idle()

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait until no delivery is queued or in flight (queued ones still wait for their delay)."""
        await asyncio.wait_for(self._idle.wait(), timeout)

    @property
    def queued(self) -> int:
        return len(self._queued)

    # --- from the change bus ---------------------------------------------------------------------------------

    def _on_change(self, change: Change) -> None:
        if not self._running or self._loop is None:
            return
        if threading.get_ident() == self._loop_thread:
            self._handle(change)
        else:
            self._loop.call_soon_threadsafe(self._handle, change)

    def _handle(self, change: Change) -> None:
        if change.resource == "webhook":
            hook = self._webhook(change.object_id)
            if hook is not None and change.event == "created":
                hook.pending_delivery = True  # until a ping is answered with 200
                if hook.status == "active":
                    self._start_ping(hook.id)
            return
        topics = topics_for(change)
        for hook in self._webhooks():
            if hook.status == "active" and hook.topic in topics:
                self._enqueue(hook.id, change.object_id)

    def _enqueue(self, webhook_id: int, resource_id: int) -> None:
        key = (webhook_id, resource_id)
        if key in self._queued or self._loop is None:
            return  # coalesced: the queued delivery will carry the latest state
        delay = max(float(self.store.config.webhook_delay_s), 0.0)
        self._queued[key] = self._loop.call_later(delay, self._fire, key)
        self._update_idle()

    def _fire(self, key: tuple[int, int]) -> None:
        self._queued.pop(key, None)
        self._spawn(self._deliver(*key))

    def _spawn(self, coro: Any) -> asyncio.Task[None]:
        assert self._loop is not None
        task = self._loop.create_task(coro)
        self._tasks.add(task)
        self._update_idle()

        def done(t: asyncio.Task[None]) -> None:
            self._tasks.discard(t)
            self._update_idle()

        task.add_done_callback(done)
        return task

    def _start_ping(self, webhook_id: int) -> None:
        """One ping at a time per webhook (WooCommerce pings synchronously, inside the save that causes it)."""
        running = self._pings.get(webhook_id)
        if running is None or running.done():
            self._pings[webhook_id] = self._spawn(self._ping(webhook_id))

    def _update_idle(self) -> None:
        if self._queued or self._tasks:
            self._idle.clear()
        else:
            self._idle.set()

    # --- requests --------------------------------------------------------------------------------------------

    async def _deliver(self, webhook_id: int, resource_id: int) -> None:
        ping = self._pings.get(webhook_id)
        if ping is not None and not ping.done():
            await asyncio.wait([ping])  # on WooCommerce the creation ping finished before anything was queued
        hook = self._webhook(webhook_id)
        if hook is None:
            return
        topic, url = hook.topic, hook.delivery_url
        resource, _, event = topic.partition(".")
        owner = getattr(hook, "user_id", 1)
        payload = {"id": resource_id} if event == "deleted" else self._payload(resource, resource_id, owner)
        body = php_json(payload)
        delivery_id = hmac.new(self._salt, f"{webhook_id}{int(time.time())}".encode(), hashlib.md5).hexdigest()
        headers = {
            "User-Agent": USER_AGENT,
            "Content-Type": "application/json",
            "X-WC-Webhook-Source": self.store.config.home_url.rstrip("/") + "/",
            "X-WC-Webhook-Topic": topic,
            "X-WC-Webhook-Resource": resource,
            "X-WC-Webhook-Event": event,
            "X-WC-Webhook-Signature": signature(body, hook.secret or ""),
            "X-WC-Webhook-ID": str(webhook_id),
            "X-WC-Webhook-Delivery-ID": delivery_id,
        }
        outcome = await outbound.safe_remote_post(self.store, url, body, headers, timeout=60.0, max_redirects=0)
        success = outcome.ok and outcome.status is not None and 200 <= outcome.status <= 302
        self.log.append(
            DeliveryRecord(
                "delivery",
                webhook_id,
                url,
                topic=topic,
                resource_id=resource_id,
                delivery_id=delivery_id,
                status=outcome.status,
                error=outcome.error,
                success=success,
                duration_ms=outcome.elapsed_ms,
                headers=headers,
                body=body.decode(),
            )
        )
        if success:
            hook.failure_count = 0
        elif hook.failure_count > MAX_FAILURES:
            hook.status = "disabled"  # woocommerce_webhook_disabled_due_delivery_failures
        else:
            hook.failure_count += 1
        self._saved(hook)

    async def _ping(self, webhook_id: int) -> None:
        hook = self._webhook(webhook_id)
        if hook is None:
            return
        url = hook.delivery_url
        body = f"webhook_id={webhook_id}".encode()
        outcome = await outbound.safe_remote_post(
            self.store,
            url,
            body,
            {"User-Agent": USER_AGENT, "Content-Type": "application/x-www-form-urlencoded"},
            timeout=60.0,
        )
        success = outcome.ok and outcome.status == 200
        if success:
            hook.pending_delivery = False
        self.log.append(
            DeliveryRecord(
                "ping",
                webhook_id,
                url,
                status=outcome.status,
                error=outcome.error,
                success=success,
                duration_ms=outcome.elapsed_ms,
                body=body.decode(),
            )
        )

    def _saved(self, hook: Any) -> None:
        """WooCommerce saves the webhook after each delivery; an active one whose ping never got a 200 is pinged
        again then (captured: ping, failed delivery, ping, failed delivery, ping ...)."""
        now = getattr(self.store, "now", None)
        hook.date_modified = int(now() if now else time.time())
        if hook.status == "active" and hook.pending_delivery:
            self._start_ping(hook.id)

    # --- the store -------------------------------------------------------------------------------------------

    def _payload(self, resource: str, resource_id: int, user_id: int) -> Any:
        """The resource as `GET /wc/v3/{resource}s/{id}` returns it now to the webhook's owner (WooCommerce builds
        the payload as that user), or the REST error that request gives: the owner demoted (403) or deleted
        (401), the resource gone (404)."""
        user = self.store.accounts.users.get(user_id)
        if user is None or not user.can_manage_woocommerce:
            return {
                "code": "woocommerce_rest_cannot_view",
                "message": "Sorry, you cannot view this resource.",
                "data": {"status": 401 if user is None else 403},
            }
        build = getattr(self.store, f"{resource}_json", None)
        found = None
        if build is not None:
            try:
                found = build(resource_id)
            except (KeyError, LookupError):
                found = None
        if found is not None:
            return found
        return {
            "code": f"woocommerce_rest_{'shop_order' if resource == 'order' else resource}_invalid_id",
            "message": "Invalid ID.",
            "data": {"status": 404},
        }

    def _webhooks(self) -> list[Any]:
        return list(self.store.webhooks.values())

    def _webhook(self, webhook_id: int) -> Any:
        return self.store.webhooks.get(webhook_id)

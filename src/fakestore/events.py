"""Change notifications inside the fake store.

Every write (REST or the admin commands) announces what changed so that webhooks can be delivered the way
WooCommerce delivers them, without the REST layer knowing about webhooks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    resource: str  # order, product, customer, coupon, subscription
    event: str  # created, updated, deleted, restored
    object_id: int


class ChangeBus:
    def __init__(self) -> None:
        self._listeners: list[Callable[[Change], None]] = []

    def subscribe(self, listener: Callable[[Change], None]) -> None:
        self._listeners.append(listener)

    def emit(self, resource: str, event: str, object_id: int) -> None:
        change = Change(resource, event, object_id)
        for listener in list(self._listeners):
            listener(change)

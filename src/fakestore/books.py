"""Compact, indexed storage for objects that can number in the hundreds of thousands.

A `Book` keeps only a few columns per object (id, status, created, modified, owner) in `array`s, enough to
filter, sort and paginate; the full record is built on demand (deterministically, by a builder) or taken from
the overlay of objects that were written since generation. 100k orders therefore cost a few megabytes.
"""

from __future__ import annotations

import copy
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterable

STATUSES: list[str] = [
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
    "checkout-draft",
    "trash",
    "auto-draft",
    "deleted",  # gone for good: never listed, never found
    # WooCommerce Subscriptions
    "active",
    "switched",
    "expired",
    "pending-cancel",
    # products, coupons
    "publish",
    "draft",
    "private",
    # customers (roles)
    "customer",
    "administrator",
    "shop_manager",
    "subscriber",
]
CODE: dict[str, int] = {s: i for i, s in enumerate(STATUSES)}
DELETED = CODE["deleted"]


def status_code(status: str) -> int:
    """Plugins register custom statuses; they get a code the first time they are seen."""
    if status not in CODE:
        CODE[status] = len(STATUSES)
        STATUSES.append(status)
    return CODE[status]


Builder = Callable[[int, int], dict]  # (object id, position) -> record


class Book:
    def __init__(self, builder: Builder | None = None, cache_size: int = 2048) -> None:
        self.ids = array("q")
        self.status = array("H")
        self.created = array("q")
        self.modified = array("q")
        self.owner = array("q")  # customer of an order, parent order of a refund, ...
        self.overlay: dict[int, dict] = {}
        self.builder = builder
        self._cache: OrderedDict[int, dict] = OrderedDict()
        self._cache_size = cache_size
        self.version = 0

    def __len__(self) -> int:
        return len(self.ids)

    def append(self, object_id: int, status: str, created: int, modified: int, owner: int = 0) -> int:
        if self.ids and object_id <= self.ids[-1]:
            raise ValueError(f"ids must grow: {object_id} after {self.ids[-1]}")
        self.ids.append(object_id)
        self.status.append(status_code(status))
        self.created.append(created)
        self.modified.append(modified)
        self.owner.append(owner)
        self.version += 1
        return len(self.ids) - 1

    def position(self, object_id: int) -> int | None:
        i = bisect_left(self.ids, object_id)
        if i < len(self.ids) and self.ids[i] == object_id:
            return i
        return None

    def exists(self, object_id: int) -> bool:
        pos = self.position(object_id)
        return pos is not None and self.status[pos] != DELETED

    def status_of(self, object_id: int) -> str | None:
        pos = self.position(object_id)
        return None if pos is None else STATUSES[self.status[pos]]

    def get(self, object_id: int) -> dict | None:
        """The current record (shared: callers must not mutate it; use `materialize` to change it)."""
        pos = self.position(object_id)
        if pos is None or self.status[pos] == DELETED:
            return None
        return self.record_at(pos)

    def record_at(self, pos: int) -> dict:
        object_id = self.ids[pos]
        rec = self.overlay.get(object_id)
        if rec is not None:
            return rec
        rec = self._cache.get(object_id)
        if rec is not None:
            self._cache.move_to_end(object_id)
            return rec
        if self.builder is None:
            raise KeyError(object_id)
        rec = self.builder(object_id, pos)
        self._cache[object_id] = rec
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return rec

    def materialize(self, object_id: int) -> dict:
        """The record as a private, writable copy kept in the overlay from now on."""
        rec = self.overlay.get(object_id)
        if rec is None:
            pos = self.position(object_id)
            if pos is None:
                raise KeyError(object_id)
            rec = copy.deepcopy(self.record_at(pos))
            self.overlay[object_id] = rec
            self._cache.pop(object_id, None)
        return rec

    def put(self, object_id: int, record: dict) -> None:
        self.overlay[object_id] = record
        self._cache.pop(object_id, None)

    def set_columns(
        self,
        object_id: int,
        *,
        status: str | None = None,
        created: int | None = None,
        modified: int | None = None,
        owner: int | None = None,
    ) -> None:
        pos = self.position(object_id)
        if pos is None:
            raise KeyError(object_id)
        if status is not None:
            self.status[pos] = status_code(status)
        if created is not None:
            self.created[pos] = created
        if modified is not None:
            self.modified[pos] = modified
        if owner is not None:
            self.owner[pos] = owner
        self.version += 1

    def delete(self, object_id: int) -> None:
        pos = self.position(object_id)
        if pos is None:
            raise KeyError(object_id)
        self.status[pos] = DELETED
        self.overlay.pop(object_id, None)
        self._cache.pop(object_id, None)
        self.version += 1

    def positions(
        self,
        statuses: Iterable[int] | None = None,
        *,
        created_after: int | None = None,
        created_before: int | None = None,
        modified_after: int | None = None,
        modified_before: int | None = None,
        owner: int | None = None,
        include: set[int] | None = None,
        exclude: set[int] | None = None,
    ) -> list[int]:
        """Positions matching column filters; date bounds are strict as WP_Date_Query's after/before are."""
        if include is not None:
            candidates: Iterable[int] = sorted(p for p in (self.position(i) for i in include) if p is not None)
        else:
            candidates = range(len(self.ids))
        allowed = set(statuses) if statuses is not None else None
        st, cr, mo, ow, ids = self.status, self.created, self.modified, self.owner, self.ids
        out = []
        for p in candidates:
            s = st[p]
            if s == DELETED or (allowed is not None and s not in allowed):
                continue
            if created_after is not None and not cr[p] > created_after:
                continue
            if created_before is not None and not cr[p] < created_before:
                continue
            if modified_after is not None and not mo[p] > modified_after:
                continue
            if modified_before is not None and not mo[p] < modified_before:
                continue
            if owner is not None and ow[p] != owner:
                continue
            if exclude and ids[p] in exclude:
                continue
            out.append(p)
        return out

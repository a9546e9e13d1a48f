"""A sync pass as one object: the store, its client, the pass's horizon (`now`) and counters, with what every step
shares (paging with re-reads in smaller pages, streaming listings, progress, the orders writer); and the constants.

The steps (`history`, `incremental`, `refetches`, `refund_fetches`, `catalogue`, `reconciliation`) are plain
functions that take the `Pass`; `engine.run_pass` strings them together.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from storelens import commerce
from storelens.stores.models import Store
from storelens.woocommerce.client import StoreClient
from storelens.woocommerce.connector_routes import ConnectorSettings
from storelens.woocommerce.errors import Retriable

from .models import SyncState

log = logging.getLogger("storelens.sync.engine")  # the name log settings and readers know the pass by
T = TypeVar("T")

PER_PAGE = 100
SPLIT_SIZES = (20, 5)  # a page that keeps failing at 100 is fetched as smaller pages covering the same rows
RECENT_DAYS = 30
WINDOW_DAYS = 30
REREAD_DAYS = 7
ORDER_PARAMS = {"dp": 4}
CENSUS_FIELDS = "id,date_modified_gmt,status"
CATALOGUE_RESOURCES = ("products", "coupons")  # resources with their own modified_after cursor besides orders
ONE_SECOND = timedelta(seconds=1)

ProgressCallback = Callable[[SyncState], None]


def db(fn: Callable[..., T]) -> Callable[..., Awaitable[T]]:
    """Run a database function in the single writer thread."""
    return sync_to_async(fn, thread_sensitive=True)


@dataclass
class PassStats:
    pages: int = 0
    orders: int = 0
    refunds: int = 0
    deleted: int = 0
    refetched: int = 0
    requests: int = 0
    warnings: list[str] = field(default_factory=list)


class Pass:
    """One pass over one store. `now` is the pass's horizon: the copy is exact as of it when the pass returns."""

    def __init__(
        self,
        store: Store,
        client: StoreClient,
        *,
        progress: ProgressCallback | None = None,
        now: datetime | None = None,
        lag: timedelta | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.progress = progress
        self.now = (now or timezone.now()).replace(microsecond=0)
        self.lag = lag if lag is not None else timedelta(seconds=settings.STORELENS_SYNC_LAG_OVERLAP)
        self.concurrency = max(1, client.config.concurrency)
        self.stats = PassStats()
        self.rounded: list[str] = []  # the first amounts rounded on the way in, for the store's warning
        self.census_done = False  # the census runs once per pass: the copy is then exact as of `now`
        self.census_due = False  # the pass ends with a census anyway (exact or reconcile): no count probe first
        # The census's listing, when `engine.run_pass` started it early (`reconciliation.census` awaits it).
        self.census_listing: asyncio.Future[dict[int, tuple[datetime | None, str]]] | None = None
        self.connector: ConnectorSettings | None = None  # the Storelens Connector plugin, when the store has it
        self.connector_checked = False  # asked once per pass (sync.connector)

    async def page(self, route: str, params: dict[str, Any], offset: int, size: int = PER_PAGE) -> tuple[list, int]:
        """The rows at [offset, offset+size) and X-WP-Total; a page that keeps failing is re-read in smaller pages."""
        try:
            page = await self.client.get_page(route, params, page=offset // size + 1, per_page=size)
            self.stats.requests += 1
            return page.items, page.total if page.total is not None else len(page.items)
        except Retriable as err:
            smaller = [s for s in SPLIT_SIZES if s < size and size % s == 0]
            if not smaller or err.code not in ("timeout", "server_error", "connection_reset"):
                raise
            sub = smaller[0]
            items: list = []
            total = 0
            for sub_offset in range(offset, offset + size, sub):
                part, total = await self.page(route, params, sub_offset, sub)
                items.extend(part)
                if not part:
                    break
            return items, total

    async def notify(self) -> None:
        if self.progress is not None:
            state = await db(lambda: SyncState.objects.get(store=self.store))()
            self.progress(state)

    def set_phase(self, phase: str, *, orders_total: int | None = None, reset: bool = False) -> None:
        state, _ = SyncState.objects.get_or_create(store=self.store)
        state.phase = phase
        state.updated_at = timezone.now()
        if reset:
            state.pages_done = state.orders_done = 0
            state.pages_total = 0
            state.started_at = timezone.now()
        if orders_total is not None:
            state.orders_total = orders_total
        state.save()

    async def listing(self, route: str, params: dict[str, Any], size: int = PER_PAGE) -> list:
        """Every row of a listing: page 1 for the total, the rest concurrently."""
        first, total = await self.page(route, params, 0, size)
        if total <= size:
            return first
        rest = await asyncio.gather(*(self.page(route, params, off, size) for off in range(size, total, size)))
        rows = list(first)
        for items, _ in rest:
            rows.extend(items)
        return rows

    async def stream(self, route: str, params: dict[str, Any], write: Callable[[list], Any]) -> set[int]:
        """Every row of a listing, written page by page as it arrives (memory stays flat however big the listing);
        returns the ids seen."""
        seen: set[int] = set()

        def write_page(rows: list) -> None:
            with transaction.atomic():
                write(rows)

        first, total = await self.page(route, params, 0)
        offsets = iter(range(PER_PAGE, total, PER_PAGE))
        ahead: deque[asyncio.Future[tuple[list, int]]] = deque()

        def fetch_next() -> None:
            offset = next(offsets, None)
            if offset is not None:
                ahead.append(asyncio.ensure_future(self.page(route, params, offset)))

        # A sliding window of pages in flight, written in listing order as they arrive: the next fetch starts
        # before a page is written, so neither the writes nor the slowest page of a batch stall the others.
        for _ in range(self.concurrency * 2):
            fetch_next()
        try:
            await db(write_page)(first)
            seen.update(int(r["id"]) for r in first)
            while ahead:
                rows, _ = await ahead.popleft()
                fetch_next()
                await db(write_page)(rows)
                seen.update(int(r["id"]) for r in rows)
        finally:
            for task in ahead:
                task.cancel()
            await asyncio.gather(*ahead, return_exceptions=True)
        return seen

    def write_orders(self, rows: list) -> set[int]:
        with transaction.atomic():
            return self.upsert_orders(rows)

    def upsert_orders(self, rows: list) -> set[int]:
        """Orders written inside the caller's transaction, counted, their first rounded amounts kept for the pass's
        warning; returns the orders listing refunds we lack."""
        result = commerce.upsert_orders(self.store, rows)
        self.rounded.extend(result.rounded[: max(0, 3 - len(self.rounded))])
        self.stats.orders += result.written
        return result.refunds_missing


async def all_of(*aws: Awaitable[T]) -> list[T]:
    """Await concurrently; when one fails the others are cancelled (and awaited) before the error propagates, so
    nothing keeps writing after a pass has given up."""
    tasks = [asyncio.ensure_future(a) for a in aws]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC)

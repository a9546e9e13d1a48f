"""The sync engine: history import, incremental windows, pending re-fetches and reconciliation for one source.

Fetching is async (httpx, up to the store's concurrency cap); every database write goes through ONE writer (the
thread that called `async_to_sync`, via `sync_to_async(thread_sensitive=True)`), so SQLite keeps a single writer and
each page is written with its checkpoint and the change feed in one transaction. Fetches and writes are pipelined
through a bounded queue, so the store is never waiting on the database.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.db import transaction
from django.utils import timezone

from storelens.commerce import upsert
from storelens.commerce.models import Coupon, Customer, Order, Product, Refund, Subscription, Variation
from storelens.sources.models import Source
from storelens.woocommerce.client import StoreClient
from storelens.woocommerce.dates import gmt_filter, parse_gmt
from storelens.woocommerce.errors import DataError, NotFound, Retriable, StoreError

from . import conf
from .models import Cursor, ImportWindow, PendingFetch, SyncState

log = logging.getLogger(__name__)
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


class SyncEngine:
    """One pass over one source. `now` is the pass's horizon: the copy is exact as of it when the pass returns."""

    def __init__(
        self,
        source: Source,
        client: StoreClient,
        *,
        progress: ProgressCallback | None = None,
        now: datetime | None = None,
        lag: timedelta | None = None,
    ) -> None:
        self.source = source
        self.client = client
        self.progress = progress
        self.now = (now or timezone.now()).replace(microsecond=0)
        self.lag = lag if lag is not None else timedelta(seconds=conf.lag_overlap_seconds())
        self.concurrency = max(1, client.config.concurrency)
        self.stats = PassStats()
        self._rounded: list[str] = []

    # ------------------------------------------------------------------------------------------- helpers

    async def _page(self, route: str, params: dict[str, Any], offset: int, size: int = PER_PAGE) -> tuple[list, int]:
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
                part, total = await self._page(route, params, sub_offset, sub)
                items.extend(part)
                if not part:
                    break
            return items, total

    async def _notify(self) -> None:
        if self.progress is not None:
            state = await db(lambda: SyncState.objects.get(source=self.source))()
            self.progress(state)

    def _set_phase(self, phase: str, *, orders_total: int | None = None, reset: bool = False) -> None:
        state, _ = SyncState.objects.get_or_create(source=self.source)
        state.phase = phase
        state.updated_at = timezone.now()
        if reset:
            state.pages_done = state.orders_done = 0
            state.pages_total = 0
            state.started_at = timezone.now()
        if orders_total is not None:
            state.orders_total = orders_total
        state.save()

    # ------------------------------------------------------------------------------------ windowed import

    def _plan_import(self, earliest: datetime | None, total: int, trash_total: int) -> None:
        """Persist the import plan (windows) once; a restarted import finds it and continues."""
        with transaction.atomic():
            state, _ = SyncState.objects.get_or_create(source=self.source)
            if ImportWindow.objects.filter(source=self.source).exists():
                return
            horizon = state.import_started_at or self.now
            state.import_started_at = horizon
            state.phase = SyncState.Phase.IMPORTING
            state.orders_total = total + trash_total
            state.pages_total = 0  # known window by window as their first pages arrive
            state.orders_done = state.pages_done = 0
            state.started_at = timezone.now()
            state.save()
            windows = []
            end = horizon + ONE_SECOND  # `before` is exclusive at one-second granularity
            start = horizon - timedelta(days=RECENT_DAYS)
            priority = 0
            oldest = earliest.replace(microsecond=0) if earliest else start
            while True:
                low = start if start > oldest else None  # the oldest window is open-ended
                windows.append(
                    ImportWindow(source=self.source, resource="orders", after=low, before=end, priority=priority)
                )
                priority += 1
                if low is None:
                    break
                end, start = start, start - timedelta(days=WINDOW_DAYS)
            windows.append(ImportWindow(source=self.source, resource="orders", status="trash", priority=priority))
            ImportWindow.objects.bulk_create(windows)
            SyncState.objects.filter(pk=state.pk).update(pages_total=len(windows))

    def _window_params(self, window: ImportWindow) -> tuple[str, dict[str, Any]]:
        if window.resource == "refunds":
            return "/wc/v3/refunds", {"orderby": "id", "order": "asc", "dp": 4}
        params: dict[str, Any] = {"status": window.status, "orderby": "id", "order": "asc", **ORDER_PARAMS}
        # after/before are exclusive (`>`/`<`): `after` one second early makes the window [after, before).
        params.update(gmt_filter(after=window.after - ONE_SECOND if window.after else None, before=window.before))
        return "/wc/v3/orders", params

    def _write_window_page(self, window_id: int, offset: int, items: list, total: int) -> tuple[set[int], bool]:
        """Rows + checkpoint + progress in one transaction. Returns order ids listing refunds we lack, and whether
        the window is complete."""
        with transaction.atomic():
            window = ImportWindow.objects.select_for_update().get(pk=window_id)
            missing: set[int] = set()
            if offset not in window.done_offsets:
                if window.resource == "refunds":
                    self.stats.refunds += len(upsert.upsert_refunds(self.source, items, now=self.now))
                else:
                    result = upsert.upsert_orders(self.source, items)
                    missing = result.refunds_missing
                    self._rounded.extend(result.rounded[: max(0, 3 - len(self._rounded))])
                    self.stats.orders += result.written
                if window.total is None:
                    window.total = total
                    window.save(update_fields=["total"])
                    pages = 0
                    for w in ImportWindow.objects.filter(source=self.source).only("total", "per_page"):
                        pages += max(1, -(-(w.total or 0) // w.per_page)) if w.total is not None else 1
                    SyncState.objects.filter(source=self.source).update(pages_total=pages)
                window.done_offsets = [*window.done_offsets, offset]
                window.done = not window.pending_offsets()
                window.save(update_fields=["total", "done_offsets", "done"])
                state = SyncState.objects.get(source=self.source)
                state.pages_done += 1
                state.orders_done += len(items) if window.resource == "orders" else 0
                state.updated_at = timezone.now()
                state.save(update_fields=["pages_done", "orders_done", "updated_at"])
            self.stats.pages += 1
            return missing, window.done

    async def _run_windows(self, resource: str) -> set[int]:
        """Fetch every pending page of the pending windows, `concurrency` at a time, newest window first."""
        windows = await db(
            lambda: list(ImportWindow.objects.filter(source=self.source, resource=resource, done=False))
        )()
        if not windows:
            return set()
        queue: asyncio.Queue[tuple[ImportWindow, int, list, int] | None] = asyncio.Queue(maxsize=self.concurrency * 2)
        in_flight: set[tuple[int, int]] = set()
        fetched: set[tuple[int, int]] = set()
        probing: set[int] = set()
        wake = asyncio.Event()
        missing: set[int] = set()

        def next_task() -> tuple[ImportWindow, int] | None:
            for w in windows:
                if w.total is None:
                    if w.pk not in probing and (w.pk, 0) not in fetched:
                        probing.add(w.pk)
                        return w, 0
                    continue
                for off in w.pending_offsets():
                    if (w.pk, off) not in in_flight and (w.pk, off) not in fetched:
                        return w, off
            return None

        async def fetcher() -> None:
            while True:
                task = next_task()
                if task is None:
                    if not probing:
                        return
                    wake.clear()
                    await wake.wait()
                    continue
                window, offset = task
                in_flight.add((window.pk, offset))
                try:
                    route, params = self._window_params(window)
                    items, total = await self._page(route, params, offset)
                finally:
                    in_flight.discard((window.pk, offset))
                fetched.add((window.pk, offset))
                if window.total is None:
                    window.total = total
                    probing.discard(window.pk)
                    wake.set()
                await queue.put((window, offset, items, total))

        fetchers: list[asyncio.Task[None]] = []

        async def writer() -> None:
            try:
                while True:
                    entry = await queue.get()
                    if entry is None:
                        return
                    window, offset, items, total = entry
                    lacking, _ = await db(self._write_window_page)(window.pk, offset, items, total)
                    missing.update(lacking)
                    window.done_offsets = [*window.done_offsets, offset]
                    await self._notify()
            except BaseException:
                for task in fetchers:  # nothing more can be written: stop fetching (and unblock a full queue)
                    task.cancel()
                raise

        writer_task = asyncio.create_task(writer())
        fetchers.extend(asyncio.create_task(fetcher()) for _ in range(self.concurrency))
        try:
            await asyncio.gather(*fetchers)
        except BaseException:
            for task in fetchers:
                task.cancel()
            if writer_task.done() and not writer_task.cancelled() and writer_task.exception():
                raise writer_task.exception() from None
            writer_task.cancel()
            raise
        await queue.put(None)
        await writer_task
        return missing

    async def import_history(self) -> None:
        """Orders (last 30 days first, then older windows newest → oldest, trash), then refunds and catalogue."""
        state = await db(lambda: SyncState.objects.get_or_create(source=self.source)[0])()
        if state.import_completed_at is not None:
            return
        has_plan = await db(lambda: ImportWindow.objects.filter(source=self.source).exists())()
        if not has_plan:
            horizon = state.import_started_at or self.now
            first, trash = await all_of(
                self.client.get_page(
                    "/wc/v3/orders",
                    {
                        "status": "any",
                        "orderby": "date",
                        "order": "asc",
                        "_fields": "id,date_created_gmt",
                        **gmt_filter(before=horizon + ONE_SECOND),
                    },
                    page=1,
                    per_page=1,
                ),
                self.client.get_page("/wc/v3/orders", {"status": "trash", "_fields": "id"}, per_page=1),
            )
            earliest = parse_gmt(first.items[0].get("date_created_gmt")) if first.items else None
            await db(self._plan_import)(earliest, first.total or 0, trash.total or 0)
        await db(self._set_phase)(SyncState.Phase.IMPORTING)
        await self._notify()
        log.info("source %s: importing orders", self.source.pk)
        # Whether the store has /refunds is asked alongside the order pages, not as a round trip of its own after them.
        missing, has_refunds_route = await all_of(self._run_windows("orders"), self._has_refunds_route())
        log.info("source %s: orders imported (%s requests so far)", self.source.pk, self.client.stats.requests)
        await db(self._set_phase)(SyncState.Phase.REFUNDS)

        async def refunds() -> None:
            lacking = missing
            if has_refunds_route:
                await db(self._plan_refunds)()
                await self._run_windows("refunds")
                lacking = await db(self._orders_lacking_refunds)()
            else:
                lacking |= await db(self._orders_lacking_refunds)()
            await self.fetch_order_refunds(lacking)
            log.info("source %s: refunds imported (%s requests so far)", self.source.pk, self.client.stats.requests)

        async def catalogue() -> None:
            await self.sync_catalogue()
            log.info("source %s: catalogue imported (%s requests so far)", self.source.pk, self.client.stats.requests)

        # Refunds and the catalogue touch different rows (refunds link to orders, all written by now): fetched side by
        # side, each one's serial round trips (first pages, variations after products) overlap the other's pages.
        await all_of(refunds(), catalogue())
        await db(self._finish_import)()

    def _plan_refunds(self) -> None:
        with transaction.atomic():
            if not ImportWindow.objects.filter(source=self.source, resource="refunds").exists():
                ImportWindow.objects.create(source=self.source, resource="refunds", status="", priority=0)

    def _finish_import(self) -> None:
        with transaction.atomic():
            state = SyncState.objects.get(source=self.source)
            state.import_completed_at = timezone.now()
            state.phase = SyncState.Phase.IDLE
            state.save()
            Cursor.objects.update_or_create(
                source=self.source, resource="orders", defaults={"position": state.import_started_at or self.now}
            )
            ImportWindow.objects.filter(source=self.source).delete()

    async def _has_refunds_route(self) -> bool:
        if self.source.has_refunds_route is not None:
            return bool(self.source.has_refunds_route)
        try:
            await self.client.get_page("/wc/v3/refunds", {}, per_page=1)
            found = True
        except NotFound:
            found = False
        self.source.has_refunds_route = found
        await db(lambda: Source.objects.filter(pk=self.source.pk).update(has_refunds_route=found))()
        return found

    def _orders_lacking_refunds(self) -> set[int]:
        """Orders whose `refunds[]` lists refunds we do not hold (the per-order refund route fills them in)."""
        held = set(Refund.objects.filter(source=self.source, deleted_at__isnull=True).values_list("wc_id", flat=True))
        lacking = set()
        for wc_id, refund_ids in (
            Order.objects.filter(source=self.source, deleted_at__isnull=True)
            .exclude(refund_ids=[])
            .values_list("wc_id", "refund_ids")
        ):
            if set(refund_ids or ()) - held:
                lacking.add(wc_id)
        return lacking

    async def fetch_order_refunds(self, order_ids: set[int]) -> None:
        """Refunds of these orders via `/orders/{id}/refunds`: written, and those no longer listed marked deleted."""
        if not order_ids:
            return

        async def one(order_id: int) -> tuple[int, list] | None:
            try:
                items: list = []
                offset = 0
                while True:
                    page, total = await self._page(f"/wc/v3/orders/{order_id}/refunds", {"dp": 4}, offset)
                    items.extend(page)
                    offset += PER_PAGE
                    if not page or offset >= total:
                        return order_id, items
            except NotFound:
                return None

        def write(order_id: int, items: list) -> None:
            with transaction.atomic():
                changes = upsert.upsert_refunds(self.source, items, parent_wc_id=order_id, now=self.now)
                self.stats.refunds += len(changes)
                listed = {c.wc_id for c in changes}
                stale = (
                    Refund.objects.filter(source=self.source, parent_wc_id=order_id, deleted_at__isnull=True)
                    .exclude(wc_id__in=listed)
                    .values_list("wc_id", flat=True)
                )
                upsert.mark_refunds_deleted(self.source, list(stale), now=self.now)

        for result in asyncio.as_completed([one(i) for i in sorted(order_ids)]):
            got = await result
            if got is not None:
                await db(write)(*got)

    # ----------------------------------------------------------------------------------------- catalogue

    async def _listing(self, route: str, params: dict[str, Any]) -> list:
        """Every row of a listing: page 1 for the total, the rest concurrently."""
        first, total = await self._page(route, params, 0)
        if total <= PER_PAGE:
            return first
        rest = await asyncio.gather(*(self._page(route, params, off) for off in range(PER_PAGE, total, PER_PAGE)))
        rows = list(first)
        for items, _ in rest:
            rows.extend(items)
        return rows

    async def _stream(self, route: str, params: dict[str, Any], write: Callable[[list], Any]) -> set[int]:
        """Every row of a listing, written page by page as it arrives (memory stays flat however big the listing);
        returns the ids seen."""
        seen: set[int] = set()

        def write_page(rows: list) -> None:
            with transaction.atomic():
                write(rows)

        first, total = await self._page(route, params, 0)
        await db(write_page)(first)
        seen.update(int(r["id"]) for r in first)
        offsets = list(range(PER_PAGE, total, PER_PAGE))
        batch = self.concurrency * 2
        for i in range(0, len(offsets), batch):
            pages = await asyncio.gather(*(self._page(route, params, off) for off in offsets[i : i + batch]))
            for rows, _ in pages:
                await db(write_page)(rows)
                seen.update(int(r["id"]) for r in rows)
        return seen

    async def sync_catalogue(self) -> None:
        """Customers (full scan, role=all), products + variations, coupons, subscriptions when the store has them;
        what a full scan no longer finds is marked deleted."""
        now = self.now
        ordered = {"orderby": "id", "order": "asc"}

        async def customers_then_subscriptions() -> None:
            customer_ids, has_subscriptions = await all_of(
                self._stream(
                    "/wc/v3/customers",
                    {"role": "all", **ordered},
                    lambda rows: upsert.upsert_customers(self.source, rows),
                ),
                self._has_subscriptions(),  # asked alongside the customers' pages, not after them
            )
            await db(lambda: upsert.mark_customers_deleted(self.source, customer_ids, now=now))()
            if has_subscriptions:  # after customers: subscriptions link to them
                subscription_ids = await self._stream(
                    "/wc/v3/subscriptions",
                    {"status": "any", "dp": 4, **ordered},
                    lambda rows: upsert.upsert_subscriptions(self.source, rows, now=now),
                )
                await db(lambda: upsert.mark_missing_deleted(Subscription, self.source, subscription_ids, now=now))()

        async def products_then_variations() -> None:
            variable: list[int] = []

            def write_products(rows: list) -> None:
                upsert.upsert_products(self.source, rows, now=now)
                variable.extend(int(p["id"]) for p in rows if p.get("type") == "variable" or p.get("variations"))

            listed = await all_of(
                self._stream("/wc/v3/products", {"status": "any", **ordered}, write_products),
                self._stream("/wc/v3/products", {"status": "trash", **ordered}, write_products),
            )
            product_ids = set().union(*listed)
            await db(lambda: upsert.mark_missing_deleted(Product, self.source, product_ids, now=now))()
            await self._sync_variations(variable)

        async def coupons() -> None:
            coupon_ids = await self._stream(
                "/wc/v3/coupons", ordered, lambda rows: upsert.upsert_coupons(self.source, rows, now=now)
            )
            await db(lambda: upsert.mark_missing_deleted(Coupon, self.source, coupon_ids, now=now))()

        # Independent listings: concurrently (the client's cap still bounds the requests in flight), so the
        # catalogue costs the longest listing's round trips rather than the sum of them all.
        await all_of(customers_then_subscriptions(), products_then_variations(), coupons())
        # The full scans read the store after `now`: the catalogue's incremental windows can start there.
        await db(self._advance_cursors)(CATALOGUE_RESOURCES)

    async def _sync_variations(self, product_ids: Iterable[int]) -> None:
        """Every variation of these variable products; those a product no longer lists are marked deleted."""
        pids = sorted(set(product_ids))
        if not pids:
            return
        listings = await asyncio.gather(
            *(self._listing(f"/wc/v3/products/{pid}/variations", {"orderby": "id", "order": "asc"}) for pid in pids)
        )

        def write() -> None:
            with transaction.atomic():
                for pid, rows in zip(pids, listings, strict=True):
                    upsert.upsert_variations(self.source, pid, rows, now=self.now)
                    listed = {int(r["id"]) for r in rows}
                    Variation.objects.filter(source=self.source, product_wc_id=pid, deleted_at__isnull=True).exclude(
                        wc_id__in=listed
                    ).update(deleted_at=self.now)

        await db(write)()

    def _advance_cursors(self, resources: Iterable[str]) -> None:
        for resource in resources:
            cursor, created = Cursor.objects.get_or_create(
                source=self.source, resource=resource, defaults={"position": self.now}
            )
            if not created and cursor.position < self.now:
                Cursor.objects.filter(pk=cursor.pk).update(position=self.now)

    async def _has_subscriptions(self) -> bool:
        try:
            resp = await self.client.get("/wc/v3/subscriptions/statuses", authenticate=False)
            found = resp.status == 200 and bool(resp.data)
        except (NotFound, DataError):
            found = False
        if self.source.has_subscriptions != found:
            self.source.has_subscriptions = found
            await db(lambda: Source.objects.filter(pk=self.source.pk).update(has_subscriptions=found))()
        return found

    # --------------------------------------------------------------------------------------- incremental

    async def incremental(self) -> None:
        await all_of(self.incremental_orders(), self.incremental_catalogue())

    async def incremental_orders(self) -> None:
        """Orders modified since the cursor (minus the lag overlap), in windows of at most 100 rows."""
        cursor = await db(lambda: Cursor.objects.filter(source=self.source, resource="orders").first())()
        if cursor is None:
            return
        await db(self._set_phase)(SyncState.Phase.INCREMENTAL)
        start = cursor.position - self.lag
        end = self.now + ONE_SECOND
        missing: set[int] = set()
        legacy = False
        for result in await all_of(
            *(
                self._modified_window(
                    "/wc/v3/orders", {"status": status, **ORDER_PARAMS}, start, end, self._write_orders
                )
                for status in ("any", "trash")
            )
        ):
            if result is None:
                legacy = True
                break
            missing |= result
        if legacy:
            # The store ignores modified_after (WooCommerce < 5.8): the census below finds what changed.
            await db(lambda: Source.objects.filter(pk=self.source.pk).update(legacy_woocommerce=True))()
            self.source.legacy_woocommerce = True
            await self.census()
        await self.fetch_order_refunds(missing | await db(self._orders_lacking_refunds)())
        await db(lambda: Cursor.objects.filter(pk=cursor.pk).update(position=max(cursor.position, self.now)))()

    async def incremental_catalogue(self) -> None:
        """Products (with the variations of changed variable products) and coupons modified since their cursors, on
        the same windows as orders. Trashed coupons and hard-deleted products/coupons are not listed by these
        filters: webhooks and the hourly reconciliation's full scans find them. Customers have no modified filter in
        WooCommerce: they are re-read by the reconciliation's full scan only."""
        if self.source.legacy_woocommerce:
            return  # modified_after is ignored: the reconciliation's full scans keep the catalogue exact
        cursors = await db(
            lambda: {c.resource: c for c in Cursor.objects.filter(source=self.source, resource__in=CATALOGUE_RESOURCES)}
        )()
        end = self.now + ONE_SECOND
        if "products" in cursors:
            start = cursors["products"].position - self.lag
            windows = [
                self._modified_window("/wc/v3/products", {"status": status}, start, end, self._write_products)
                for status in ("any", "trash")
            ]
        else:
            windows = []
        if "coupons" in cursors:
            start = cursors["coupons"].position - self.lag
            windows.append(self._modified_window("/wc/v3/coupons", {}, start, end, self._write_coupons))
        found = await all_of(*windows)
        if any(f is None for f in found):
            return  # the store ignored modified_after (legacy): nothing to advance
        await self._sync_variations(set().union(*found))  # coupons contribute no ids
        await db(self._advance_cursors)(list(cursors))

    def _write_products(self, rows: list) -> set[int]:
        """Returns the variable products among them (their variations are re-read)."""
        with transaction.atomic():
            upsert.upsert_products(self.source, rows, now=self.now)
        return {int(p["id"]) for p in rows if p.get("type") == "variable" or p.get("variations")}

    def _write_coupons(self, rows: list) -> set[int]:
        with transaction.atomic():
            upsert.upsert_coupons(self.source, rows, now=self.now)
        return set()

    async def _modified_window(
        self,
        route: str,
        base: dict[str, Any],
        start: datetime,
        end: datetime,
        write: Callable[[list], set[int]],
    ) -> set[int] | None:
        """Write the rows of `route` modified in (start, end), splitting windows of more than a page; returns what
        `write` returns for them, or None when the store ignored the filter (legacy)."""
        params = {
            **base,
            "orderby": "modified",
            "order": "asc",
            **gmt_filter(modified_after=start - ONE_SECOND, modified_before=end),
        }
        items, total = await self._page(route, params, 0)
        for row in items:
            modified = parse_gmt(row.get("date_modified_gmt"))
            if modified is not None and modified < start - ONE_SECOND:
                return None
        if total > PER_PAGE and end - start > timedelta(seconds=2):
            middle = start + (end - start) / 2
            middle = middle.replace(microsecond=0)
            low = await self._modified_window(route, base, start, middle + ONE_SECOND, write)
            high = await self._modified_window(route, base, middle, end, write)
            if low is None or high is None:
                return None
            return low | high
        rows = list(items)
        for offset in range(PER_PAGE, total, PER_PAGE):
            more, _ = await self._page(route, params, offset)
            rows.extend(more)
        return await db(write)(rows)

    def _write_orders(self, rows: list) -> set[int]:
        with transaction.atomic():
            result = upsert.upsert_orders(self.source, rows)
            self._rounded.extend(result.rounded[: max(0, 3 - len(self._rounded))])
            self.stats.orders += result.written
            return result.refunds_missing

    # ---------------------------------------------------------------------------------- pending re-fetches

    async def drain_pending(self) -> None:
        """Objects webhooks pointed at: re-read from the store (the payload is never trusted as data)."""
        pending = await db(lambda: list(PendingFetch.objects.filter(source=self.source)))()
        if not pending:
            return
        by_resource: dict[str, set[int]] = {}
        for p in pending:
            by_resource.setdefault(p.resource, set()).add(p.wc_id)
        orders = by_resource.get("order", set())
        if orders:
            await self.refetch_orders(orders)
        for resource, route in (("product", "/wc/v3/products"), ("coupon", "/wc/v3/coupons")):
            ids = by_resource.get(resource)
            if ids:
                rows = await self._listing(route, {"include": ",".join(map(str, sorted(ids))), "status": "any"})
                rows += await self._listing(route, {"include": ",".join(map(str, sorted(ids))), "status": "trash"})
                model = Product if resource == "product" else Coupon
                writer = upsert.upsert_products if resource == "product" else upsert.upsert_coupons
                await db(lambda rows=rows, writer=writer: writer(self.source, rows, now=self.now))()
                gone = ids - {int(r["id"]) for r in rows}
                if gone:
                    await db(
                        lambda gone=gone, model=model: model.objects.filter(
                            source=self.source, wc_id__in=gone, deleted_at__isnull=True
                        ).update(deleted_at=self.now)
                    )()
        customers = by_resource.get("customer", set())
        if customers:
            rows = await self._listing(
                "/wc/v3/customers", {"include": ",".join(map(str, sorted(customers))), "role": "all"}
            )
            gone = customers - {int(r["id"]) for r in rows}

            def write_customers() -> None:
                with transaction.atomic():
                    upsert.upsert_customers(self.source, rows, now=self.now)
                    if gone:  # WordPress deletes users outright
                        Customer.objects.filter(
                            source=self.source, is_registered=True, wc_id__in=gone, deleted_at__isnull=True
                        ).update(deleted_at=self.now)

            await db(write_customers)()
        subscriptions = by_resource.get("subscription", set())
        if subscriptions and await self._has_subscriptions():
            rows = await self._listing(
                "/wc/v3/subscriptions",
                {"include": ",".join(map(str, sorted(subscriptions))), "status": "any", "dp": 4},
            )
            await db(lambda: upsert.upsert_subscriptions(self.source, rows, now=self.now))()
        done = [p.pk for p in pending]
        await db(lambda: PendingFetch.objects.filter(pk__in=done).delete())()

    async def refetch_orders(self, wc_ids: set[int]) -> None:
        """Re-read these orders (any status, trash included); those the store no longer has are marked deleted."""
        ids = sorted(wc_ids)
        rows: list = []
        for i in range(0, len(ids), PER_PAGE):
            chunk = ",".join(map(str, ids[i : i + PER_PAGE]))
            for status in ("any", "trash"):
                items, _ = await self._page("/wc/v3/orders", {"include": chunk, "status": status, **ORDER_PARAMS}, 0)
                rows.extend(items)
        found = {int(r["id"]) for r in rows}
        gone = set(ids) - found
        self.stats.refetched += len(found)

        def write() -> set[int]:
            with transaction.atomic():
                missing = self._write_orders(rows) if rows else set()
                self.stats.deleted += upsert.mark_orders_deleted(self.source, gone, now=self.now)
                return missing

        missing = await db(write)()
        await self.fetch_order_refunds(missing)

    # ----------------------------------------------------------------------------------- reconciliation

    async def census(self) -> None:
        """Every order id with its modified date and status, diffed with our copy: hard deletes, trash, and any
        change we missed are fixed by re-reading exactly those orders."""
        await db(self._set_phase)(SyncState.Phase.RECONCILING)
        remote: dict[int, tuple[datetime | None, str]] = {}
        for status in ("any", "trash"):
            rows = await self._listing(
                "/wc/v3/orders", {"status": status, "orderby": "id", "order": "asc", "_fields": CENSUS_FIELDS}
            )
            for row in rows:
                remote[int(row["id"])] = (parse_gmt(row.get("date_modified_gmt")), str(row.get("status", "")))

        def local() -> dict[int, tuple[datetime | None, str, bool]]:
            return {
                wc: (modified, status, deleted is not None)
                for wc, modified, status, deleted in Order.objects.filter(source=self.source).values_list(
                    "wc_id", "modified_at", "status", "deleted_at"
                )
            }

        ours = await db(local)()
        suspects = set()
        for wc_id, (modified, status) in remote.items():
            mine = ours.get(wc_id)
            if mine is None or mine[2] or mine[0] != modified or mine[1] != status:
                suspects.add(wc_id)
        # Ours but not listed: deleted, or skipped by a listing that shifted under concurrent writes. Re-reading
        # by id tells them apart (a missing id is gone for good).
        suspects |= {wc for wc, (_, _, deleted) in ours.items() if not deleted and wc not in remote}
        if suspects:
            await self.refetch_orders(suspects)

    async def reread_recent(self, days: int = REREAD_DAYS) -> None:
        """Re-read the last `days` by creation date: catches edits that did not move date_modified."""
        params = {
            "status": "any",
            "orderby": "id",
            "order": "asc",
            **ORDER_PARAMS,
            **gmt_filter(after=self.now - timedelta(days=days), before=self.now + ONE_SECOND),
        }
        rows = await self._listing("/wc/v3/orders", params)
        missing = await db(self._write_orders)(rows)
        await self.fetch_order_refunds(missing)

    async def reconcile(self) -> None:
        await self.census()
        await self.reread_recent()
        await self.sync_catalogue()
        await db(lambda: Source.objects.filter(pk=self.source.pk).update(last_reconcile_at=self.now))()

    # --------------------------------------------------------------------------------------------- passes

    def _record_warnings(self) -> None:
        if not self._rounded and "php_notices" not in self.client.warnings:
            return
        source = Source.objects.get(pk=self.source.pk)
        warnings = [w for w in source.data_warnings if isinstance(w, dict)]
        codes = {w.get("code") for w in warnings}
        if self._rounded and "rounded_amounts" not in codes:
            warnings.append(
                {
                    "code": "rounded_amounts",
                    "message": (
                        "Some amounts had more decimals than the currency allows (e.g. "
                        f"{self._rounded[0]}); Storelens rounded them half-up to the currency's minor unit."
                    ),
                }
            )
        for code, warning in self.client.warnings.items():
            if code not in codes:
                warnings.append(warning.as_dict())
        Source.objects.filter(pk=self.source.pk).update(data_warnings=warnings)

    def _finish_pass(self, *, reconciled: bool) -> None:
        fields: dict[str, Any] = {"last_sync_at": self.now}
        if self.client.auth_method and self.client.auth_method != self.source.auth_method:
            fields["auth_method"] = str(self.client.auth_method)
        Source.objects.filter(pk=self.source.pk).update(**fields)
        SyncState.objects.filter(source=self.source).update(phase=SyncState.Phase.IDLE, updated_at=timezone.now())
        self._record_warnings()

    async def run(self, *, reconcile: bool = False, exact: bool = False) -> PassStats:
        """Import (or continue importing), then the incremental pass and pending re-fetches; `exact` adds the
        census (the copy is then exact as of `now`); `reconcile` the full reconciliation."""
        from .status import clear_status, set_status_from_error

        try:
            state = await db(lambda: SyncState.objects.get_or_create(source=self.source)[0])()
            if state.import_completed_at is None:
                await db(lambda: Source.objects.filter(pk=self.source.pk).update(status=Source.Status.IMPORTING))()
                await self.import_history()
            await self.incremental()
            await self.drain_pending()
            if reconcile:
                await self.reconcile()
            elif exact:
                await self.census()
            await db(self._finish_pass)(reconciled=reconcile)
            source = await db(lambda: Source.objects.get(pk=self.source.pk))()
            await db(clear_status)(source)
        except StoreError as err:
            source = await db(lambda: Source.objects.get(pk=self.source.pk))()
            await db(set_status_from_error)(source, err)
            message = str(err)
            await db(lambda: SyncState.objects.filter(source=self.source).update(last_error=message))()
            raise
        return self.stats


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

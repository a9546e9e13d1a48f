"""History import: the persisted plan of order windows, the windows fetched and written page by page with
their checkpoints, then refunds and the catalogue side by side."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from storelens.commerce import upsert
from storelens.woocommerce.dates import gmt_filter, parse_gmt

from .catalogue import CataloguePass
from .models import Cursor, ImportWindow, SyncState
from .pass_core import (
    ONE_SECOND,
    ORDER_PARAMS,
    RECENT_DAYS,
    WINDOW_DAYS,
    all_of,
    db,
    log,
)
from .refund_fetches import RefundFetches


class HistoryImport(RefundFetches, CataloguePass):
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
                    missing = self._upsert_orders(items)
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

"""History import: the persisted plan of order windows, the windows fetched and written (a few pages per transaction,
each with its checkpoint), the catalogue alongside them and the refunds as soon as the order pages are fetched."""

from __future__ import annotations

import asyncio
import math
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from storelens import commerce
from storelens.woocommerce import connector_routes
from storelens.woocommerce.dates import gmt_filter, parse_gmt

from . import catalogue, connector, refund_fetches
from .models import Cursor, ImportWindow, SyncState
from .passes import (
    ONE_SECOND,
    ORDER_PARAMS,
    RECENT_DAYS,
    WINDOW_DAYS,
    Pass,
    all_of,
    db,
    log,
)

# At most this many fetched pages are written in one transaction (bounded by what the fetch queue holds anyway).
WRITE_BATCH_PAGES = 4
# A history of at most this many order pages per fetcher is small: its refunds are fetched alongside its orders.
SMALL_HISTORY_PAGES = 2
# Order windows read through the Storelens Connector: the same listing, 500 a page, refunds embedded.
CONNECTOR_ORDERS = "connector_orders"
ORDER_RESOURCES = ("orders", CONNECTOR_ORDERS)


def _plan_import(p: Pass, earliest: datetime | None, total: int, trash_total: int, resource: str) -> None:
    """Persist the import plan (windows) once; a restarted import finds it and continues. `resource` is "orders"
    (wc/v3, 100 a page) or CONNECTOR_ORDERS (the plugin's route, 500 a page)."""
    with transaction.atomic():
        state, _ = SyncState.objects.get_or_create(store=p.store)
        if ImportWindow.objects.filter(store=p.store).exists():
            return
        horizon = state.import_started_at or p.now
        state.import_started_at = horizon
        state.phase = SyncState.Phase.IMPORTING
        state.orders_total = total + trash_total
        state.pages_total = 0  # known window by window as their first pages arrive
        state.orders_done = state.pages_done = 0
        state.started_at = timezone.now()
        state.save()
        windows = []
        per_page = connector_routes.ORDERS_PER_REQUEST if resource == CONNECTOR_ORDERS else 100
        end = horizon + ONE_SECOND  # `before` is exclusive at one-second granularity
        start = horizon - timedelta(days=RECENT_DAYS)
        priority = 0
        oldest = earliest.replace(microsecond=0) if earliest else start
        span = _window_span(oldest, horizon, total, per_page)
        while True:
            low = start if start > oldest else None  # the oldest window is open-ended
            windows.append(
                ImportWindow(
                    store=p.store, resource=resource, after=low, before=end, priority=priority, per_page=per_page
                )
            )
            priority += 1
            if low is None:
                break
            end, start = start, start - span
        windows.append(
            ImportWindow(store=p.store, resource=resource, status="trash", priority=priority, per_page=per_page)
        )
        ImportWindow.objects.bulk_create(windows)
        SyncState.objects.filter(pk=state.pk).update(pages_total=len(windows))


def _window_span(oldest: datetime, horizon: datetime, total: int, per_page: int) -> timedelta:
    """The span of the windows older than the last 30 days: WINDOW_DAYS, or longer when the store's history is so
    sparse that a month holds less than a page (at the store's average rate, a window is then expected to fill
    one page). Why: every window costs at least one request, and a request's fixed cost (WordPress's bootstrap,
    the REST dispatch) dominates a page of a few orders. A small store's two years of 30-day windows cost 25
    requests; at the real US store's rate (268 orders over ~17 months) the windows are ~6 months each, so its
    older history takes 3 requests. A busy store (a month holds a page or more) keeps WINDOW_DAYS."""
    days = max(1.0, (horizon - oldest).total_seconds() / 86400)
    per_day = total / days
    if per_day <= 0:
        return timedelta(days=WINDOW_DAYS)
    return timedelta(days=max(WINDOW_DAYS, math.ceil(per_page / per_day)))


def _window_params(window: ImportWindow) -> tuple[str, dict[str, Any]]:
    if window.resource == "refunds":
        return "/wc/v3/refunds", {"orderby": "id", "order": "asc", "dp": 4}
    params: dict[str, Any] = {"status": window.status, "orderby": "id", "order": "asc", **ORDER_PARAMS}
    # after/before are exclusive (`>`/`<`): `after` one second early makes the window [after, before).
    params.update(gmt_filter(after=window.after - ONE_SECOND if window.after else None, before=window.before))
    return connector_routes.ORDERS_ROUTE if window.resource == CONNECTOR_ORDERS else "/wc/v3/orders", params


def _write_window_pages(p: Pass, pages: list[tuple[int, int, list, int]]) -> set[int]:
    """Pages (window id, offset, rows, X-WP-Total) that arrived while the writer was busy: rows + checkpoints +
    progress in ONE transaction, so each page still commits together with its checkpoint. Writing them as one
    upsert is what lets the single writer keep up with four fetchers: the per-transaction costs (the change
    feed's rollup reads and writes, the commit, the progress rows) are paid once per batch instead of once per
    page. Returns the order ids listing refunds we lack."""
    with transaction.atomic():
        windows = {w.pk: w for w in ImportWindow.objects.select_for_update().filter(pk__in={wid for wid, *_ in pages})}
        fresh: list[tuple[ImportWindow, int, list, int]] = []
        for window_id, offset, items, total in pages:
            window = windows[window_id]
            if offset not in window.done_offsets:  # a page a previous (killed) run already wrote is skipped
                window.done_offsets = [*window.done_offsets, offset]
                fresh.append((window, offset, items, total))
        p.stats.pages += len(pages)
        if not fresh:
            return set()
        missing: set[int] = set()
        # Arrival order is kept, so the last copy of an order seen twice wins as when pages were written one by
        # one (the upserts de-duplicate by id).
        orders = [row for window, _, items, _ in fresh if window.resource in ORDER_RESOURCES for row in items]
        refunds = [row for window, _, items, _ in fresh if window.resource == "refunds" for row in items]
        orders, embedded = connector_routes.split_refunds(orders)
        if orders:
            missing = p.upsert_orders(orders)
        if embedded:  # the plugin's pages carry each order's refunds: nothing is left to fetch for those orders
            connector.write_embedded_refunds(p, embedded)
            missing -= set(embedded)
        if refunds:
            p.stats.refunds += len(commerce.upsert_refunds(p.store, refunds, now=p.now))
        recount = False
        for window, _, _, total in fresh:
            if window.total is None:
                window.total = total
                recount = True
        for window in {w.pk: w for w, *_ in fresh}.values():
            window.done = not window.pending_offsets()
            window.save(update_fields=["total", "done_offsets", "done"])
        if recount:
            pages_total = 0
            for w in ImportWindow.objects.filter(store=p.store).only("total", "per_page"):
                pages_total += max(1, -(-(w.total or 0) // w.per_page)) if w.total is not None else 1
            SyncState.objects.filter(store=p.store).update(pages_total=pages_total)
        state = SyncState.objects.get(store=p.store)
        state.pages_done += len(fresh)
        state.orders_done += sum(len(items) for window, _, items, _ in fresh if window.resource in ORDER_RESOURCES)
        state.updated_at = timezone.now()
        state.save(update_fields=["pages_done", "orders_done", "updated_at"])
        return missing


async def _run_windows(
    p: Pass,
    resource: str,
    *,
    fetch_after: asyncio.Event | None = None,
    all_fetched: asyncio.Event | None = None,
    write_after: asyncio.Event | None = None,
) -> set[int]:
    """Fetch every pending page of the pending windows, `concurrency` at a time, newest window first.

    The windows are read at once; fetching starts when `fetch_after` is set (no database round trip then, while
    the writer may be busy), `all_fetched` is set once every page has been fetched (the writer may still be
    writing the last ones), and the writer starts once `write_after` is set (pages fetched meanwhile wait in
    the bounded queue)."""
    windows = await db(lambda: list(ImportWindow.objects.filter(store=p.store, resource=resource, done=False)))()
    if fetch_after is not None:
        await fetch_after.wait()
    if not windows:
        if all_fetched is not None:
            all_fetched.set()
        return set()
    queue: asyncio.Queue[tuple[ImportWindow, int, list, int] | None] = asyncio.Queue(maxsize=p.concurrency * 2)
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
                route, params = _window_params(window)
                items, total = await p.page(route, params, offset, window.per_page)
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
            if write_after is not None:
                await write_after.wait()
            finished = False
            while not finished:
                entry = await queue.get()
                if entry is None:
                    return
                batch = [entry]
                # Whatever else arrived while the last batch was being written goes into this one.
                while len(batch) < WRITE_BATCH_PAGES and not queue.empty():
                    more = queue.get_nowait()
                    if more is None:
                        finished = True
                        break
                    batch.append(more)
                lacking = await db(_write_window_pages)(
                    p, [(window.pk, offset, items, total) for window, offset, items, total in batch]
                )
                missing.update(lacking)
                for window, offset, _, _ in batch:
                    window.done_offsets = [*window.done_offsets, offset]
                await p.notify()
        except BaseException:
            for task in fetchers:  # nothing more can be written: stop fetching (and unblock a full queue)
                task.cancel()
            raise

    writer_task = asyncio.create_task(writer())
    fetchers.extend(asyncio.create_task(fetcher()) for _ in range(p.concurrency))
    try:
        await asyncio.gather(*fetchers)
    except BaseException:
        for task in fetchers:
            task.cancel()
        if writer_task.done() and not writer_task.cancelled() and writer_task.exception():
            raise writer_task.exception() from None
        writer_task.cancel()
        raise
    if all_fetched is not None:
        all_fetched.set()
    await queue.put(None)
    await writer_task
    return missing


async def import_history(p: Pass) -> None:
    """Orders (last 30 days first, then older windows newest → oldest, trash), then refunds and catalogue."""
    state = await db(lambda: SyncState.objects.get_or_create(store=p.store)[0])()
    if state.import_completed_at is not None:
        return
    resource = CONNECTOR_ORDERS if await connector.connector(p) else "orders"
    has_plan = await db(lambda: ImportWindow.objects.filter(store=p.store).exists())()
    if has_plan:
        resource = await db(_planned_resource)(p, resource)
    else:
        horizon = state.import_started_at or p.now
        first, trash = await all_of(
            p.client.get_page(
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
            p.client.get_page("/wc/v3/orders", {"status": "trash", "_fields": "id"}, per_page=1),
        )
        earliest = parse_gmt(first.items[0].get("date_created_gmt")) if first.items else None
        await db(_plan_import)(p, earliest, first.total or 0, trash.total or 0, resource)
    await db(p.set_phase)(SyncState.Phase.IMPORTING)
    await p.notify()
    log.info("store %s: importing orders", p.store.pk)
    orders_fetched = asyncio.Event()  # the refund pages are fetched from then on, while the last orders are written
    orders_written = asyncio.Event()  # ... and written only after them: a refund links to its order
    refunds_route = asyncio.ensure_future(refund_fetches.has_refunds_route(p))  # asked alongside the order pages

    async def orders() -> set[int]:
        missing = await _run_windows(p, resource, all_fetched=orders_fetched)
        orders_written.set()
        log.info("store %s: orders imported (%s requests so far)", p.store.pk, p.client.stats.requests)
        await db(p.set_phase)(SyncState.Phase.REFUNDS)
        return missing

    orders_task = asyncio.ensure_future(orders())

    # A history of a few pages leaves most of the concurrency cap idle: its refund pages are fetched at once instead
    # of after the order pages (one round trip less on the chain); a bigger one keeps the cap for its order pages.
    planned = await db(lambda: SyncState.objects.get(store=p.store).orders_total)()
    refunds_after = None if planned <= SMALL_HISTORY_PAGES * p.concurrency * 100 else orders_fetched

    async def refunds() -> None:
        has_refunds_route = await refunds_route
        if has_refunds_route and resource != CONNECTOR_ORDERS:  # the plugin's order pages carry their refunds
            await db(_plan_refunds)(p)
            await _run_windows(p, "refunds", fetch_after=refunds_after, write_after=orders_written)
        lacking = await orders_task
        if has_refunds_route:
            lacking = await db(refund_fetches.orders_lacking_refunds)(p)
        else:
            lacking |= await db(refund_fetches.orders_lacking_refunds)(p)
        await refund_fetches.fetch_order_refunds(p, lacking)
        log.info("store %s: refunds imported (%s requests so far)", p.store.pk, p.client.stats.requests)

    async def whole_catalogue() -> None:
        await catalogue.sync_catalogue(p, orders_written=orders_written)
        log.info("store %s: catalogue imported (%s requests so far)", p.store.pk, p.client.stats.requests)

    # The catalogue does not depend on orders (customers are keyed alike from either side): its listings run
    # alongside the order windows under the same concurrency cap, so its serial first pages and the variations
    # after the products hide behind order pages instead of forming a phase of their own with fewer than
    # `concurrency` requests in flight. Phase boundaries are overlapped the same way: refund pages are fetched
    # while the writer finishes the last order pages.
    await all_of(orders_task, refunds_route, refunds(), whole_catalogue())
    await db(_finish_import)(p)


def _planned_resource(p: Pass, available: str) -> str:
    """The order windows' resource in a plan already made. A plan made through the Storelens Connector whose
    plugin has since gone continues through wc/v3: its unfinished windows start over at 100 a page (pages written
    already are written again, as upserts)."""
    planned = set(ImportWindow.objects.filter(store=p.store).values_list("resource", flat=True))
    if CONNECTOR_ORDERS not in planned:
        return "orders"
    if available == CONNECTOR_ORDERS:
        return CONNECTOR_ORDERS
    ImportWindow.objects.filter(store=p.store, resource=CONNECTOR_ORDERS).update(
        resource="orders", per_page=100, done_offsets=[], total=None
    )
    return "orders"


def _plan_refunds(p: Pass) -> None:
    with transaction.atomic():
        if not ImportWindow.objects.filter(store=p.store, resource="refunds").exists():
            ImportWindow.objects.create(store=p.store, resource="refunds", status="", priority=0)


def _finish_import(p: Pass) -> None:
    with transaction.atomic():
        state = SyncState.objects.get(store=p.store)
        state.import_completed_at = timezone.now()
        state.phase = SyncState.Phase.IDLE
        state.save()
        Cursor.objects.update_or_create(
            store=p.store, resource="orders", defaults={"position": state.import_started_at or p.now}
        )
        ImportWindow.objects.filter(store=p.store).delete()

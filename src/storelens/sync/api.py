"""Synchronous entry points (CLI, huey tasks): hold the source's lease, run one engine pass, release.

`async_to_sync` runs the engine's event loop in a helper thread while every database call comes back to the calling
thread, so the whole pass uses the caller's database connection (one SQLite writer; test transactions see it).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from asgiref.sync import async_to_sync, sync_to_async
from django.db import connection, connections

from storelens.stores.client import client_for
from storelens.stores.models import Store
from storelens.woocommerce.errors import StoreError

from . import failures, lease
from .engine import run_pass
from .passes import Pass, PassStats, ProgressCallback


@dataclass
class SyncResult:
    store_id: int
    ran: bool
    stats: PassStats | None = None
    skipped_because: str = ""


log = logging.getLogger(__name__)

# The cyclic collector's first threshold while a pass runs (Python's default is 700 allocations). A pass holds
# pages of parsed JSON (hundreds of thousands of tracked dicts and lists) that live until they are written, and
# every collection of the older generations walks them all although nearly everything is freed by reference
# counting. Measured on the 10k-order import's writer (issue 17): 1,030 collections took ~2 s of its ~11 s CPU;
# at 20,000 a few dozen remain and the cyclic garbage a pass makes is still collected.
PASS_GC_THRESHOLD = 20_000
# SQLite's page cache on the connection that writes a pass (its default is 2 MB): the rollup tables' indexes grow past
# that within the first thousands of orders, and their upserts land all over them. 10k-order import's writer
# (offline replay): ~0.35 s less CPU of ~7.8 s. Negative: KiB, as SQLite reads it; it is a ceiling, not an allocation.
SQLITE_CACHE_KIB = 65_536
_gc_lock = threading.Lock()
_gc_passes = 0
_gc_saved: tuple[int, ...] = ()


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's first threshold for the duration of one or more overlapping passes (a worker may run
    several in threads), restoring the process's own setting when the last one ends."""
    global _gc_passes, _gc_saved
    with _gc_lock:
        if _gc_passes == 0:
            _gc_saved = gc.get_threshold()
            if _gc_saved[0] and _gc_saved[0] < PASS_GC_THRESHOLD:  # 0: collection is off; leave it so
                gc.set_threshold(PASS_GC_THRESHOLD, *_gc_saved[1:])
        _gc_passes += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_passes -= 1
            if _gc_passes == 0:
                gc.set_threshold(*_gc_saved)


def run_sync(
    store_id: int,
    *,
    exact: bool = True,
    reconcile: bool = False,
    progress: ProgressCallback | None = None,
    holder: str | None = None,
    wait_for_lease: bool = False,
    client_options: dict[str, Any] | None = None,
) -> SyncResult:
    """One pass over a source while holding its lease. A source whose lease is held elsewhere is skipped (or, with
    `wait_for_lease`, waited for)."""
    holder = holder or lease.new_holder()
    while not lease.acquire(store_id, holder):
        if not wait_for_lease:
            return SyncResult(store_id, ran=False, skipped_because=lease.holder_of(store_id))
        import time

        time.sleep(1)
    pass_id = failures.new_pass_id()
    try:
        store = Store.objects.get(pk=store_id)
        # Renew the lease on a connection of its own (read here: the caller's thread and connection), except inside a
        # transaction (tests) and on SQLite: there a second connection's write waits for the writer's transaction
        # anyway (one writer per database file), and on the tests' shared-cache database it fails at once with
        # "database table is locked", which failed real-store imports as a Storelens bug.
        apart = not connection.in_atomic_block and connection.vendor != "sqlite"
        widen_writer_cache()
        with fewer_collections():
            stats = async_to_sync(_run)(store, holder, exact, reconcile, progress, client_options or {}, apart)
        return SyncResult(store_id, ran=True, stats=stats)
    except (StoreError, lease.LeaseHeld, Store.DoesNotExist):
        raise  # the store's problems are its status already (`stores.status`); a lost lease is another pass's turn
    except Exception as err:
        # Not the store: a bug in Storelens. The status says so, with a detail to copy, instead of "Importing", and
        # automatic passes back off (`failures`).
        try:
            failures.record(store_id, err, pass_id)
        except Exception:  # the database itself may be what failed: never hide the pass's own error behind it
            log.exception("sync pass %s of store %s: could not record its failure", pass_id, store_id)
        raise
    finally:
        lease.release(store_id, holder)


def widen_writer_cache() -> None:
    """`SQLITE_CACHE_KIB` of page cache on this thread's connection, the one the pass writes through (SQLite only)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")


def _renew_apart(store_id: int, holder: str) -> bool:
    """`lease.renew` on a worker thread's own connection, closed again (the thread belongs to a shared pool)."""
    try:
        return lease.renew(store_id, holder)
    finally:
        connections.close_all()


async def _run(
    store: Store,
    holder: str,
    exact: bool,
    reconcile: bool,
    progress: ProgressCallback | None,
    client_options: dict[str, Any],
    apart: bool = False,
) -> PassStats:
    # Which pass sent a request (process id and the lease's random tag, no host name): a store's access log (and the
    # fleet test) can tell passes apart and see that two never overlap.
    sync_tag = ":".join(holder.split(":")[-2:])
    client = client_for(store, **{"headers": {"X-Storelens-Sync": sync_tag}, **client_options})
    sync_pass = Pass(store, client, progress=progress)
    # The renewal must not queue behind page writes on the single writer thread: on a starved machine (the fleet
    # test, load 16 on 2 cores) that made it later than the TTL, another worker took the lease and two passes
    # overlapped. So it runs on its own thread and connection, unless the caller is inside a transaction (tests),
    # where another connection could not see the lease row.
    renew = sync_to_async(_renew_apart if apart else lease.renew, thread_sensitive=not apart)
    holder_of = sync_to_async(lease.holder_of, thread_sensitive=True)

    async def keep_lease() -> None:
        interval = lease.lease_ttl().total_seconds() / 3
        while True:
            await asyncio.sleep(interval)
            if not await renew(store.pk, holder):
                raise lease.LeaseHeld(store.pk, await holder_of(store.pk))

    keeper = asyncio.create_task(keep_lease())
    work = asyncio.create_task(run_pass(sync_pass, reconcile=reconcile, exact=exact))
    try:
        done, _ = await asyncio.wait({keeper, work}, return_when=asyncio.FIRST_COMPLETED)
        if keeper in done:
            work.cancel()
            keeper.result()  # raises LeaseHeld
        return work.result()
    finally:
        keeper.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await keeper
        await client.aclose()

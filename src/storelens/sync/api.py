"""Synchronous entry points (CLI, huey tasks): hold the source's lease, run one engine pass, release.

`async_to_sync` runs the engine's event loop in a helper thread while every database call comes back to the calling
thread, so the whole pass uses the caller's database connection (one SQLite writer; test transactions see it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from asgiref.sync import async_to_sync, sync_to_async

from storelens.sources.client import client_for
from storelens.sources.models import Source
from storelens.woocommerce.errors import StoreError

from . import failures, lease
from .engine import PassStats, ProgressCallback, SyncEngine


@dataclass
class SyncResult:
    source_id: int
    ran: bool
    stats: PassStats | None = None
    skipped_because: str = ""


log = logging.getLogger(__name__)

# Tests (and benchmarks) that serve the fake store in-process set a transport factory here.
transport_factory: Callable[[Source], httpx.AsyncBaseTransport | None] | None = None


def run_sync(
    source_id: int,
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
    while not lease.acquire(source_id, holder):
        if not wait_for_lease:
            return SyncResult(source_id, ran=False, skipped_because=lease.holder_of(source_id))
        import time

        time.sleep(1)
    pass_id = failures.new_pass_id()
    try:
        source = Source.objects.get(pk=source_id)
        stats = async_to_sync(_run)(source, holder, exact, reconcile, progress, client_options or {})
        return SyncResult(source_id, ran=True, stats=stats)
    except (StoreError, lease.LeaseHeld, Source.DoesNotExist):
        raise  # the store's problems are its status already (`status`); a lost lease is another pass's turn
    except Exception as err:
        # Not the store: a bug in Storelens. The status says so, with a detail to copy, instead of "Importing", and
        # automatic passes back off (`failures`).
        try:
            failures.record(source_id, err, pass_id)
        except Exception:  # the database itself may be what failed: never hide the pass's own error behind it
            log.exception("sync pass %s of source %s: could not record its failure", pass_id, source_id)
        raise
    finally:
        lease.release(source_id, holder)


async def _run(
    source: Source,
    holder: str,
    exact: bool,
    reconcile: bool,
    progress: ProgressCallback | None,
    client_options: dict[str, Any],
) -> PassStats:
    transport = transport_factory(source) if transport_factory else None
    client = client_for(source, transport=transport, **client_options)
    engine = SyncEngine(source, client, progress=progress)
    renew = sync_to_async(lease.renew, thread_sensitive=True)

    async def keep_lease() -> None:
        interval = lease.DEFAULT_TTL.total_seconds() / 3
        while True:
            await asyncio.sleep(interval)
            if not await renew(source.pk, holder):
                raise lease.LeaseHeld(source.pk, lease.holder_of(source.pk))

    keeper = asyncio.create_task(keep_lease())
    work = asyncio.create_task(engine.run(reconcile=reconcile, exact=exact))
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

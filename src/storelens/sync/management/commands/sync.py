"""`storelens sync ID… | --all [--wait] [--reconcile]`: sync stores now.

With --wait the pass runs in this process (no serve or worker needed), holds the store's lease so it never overlaps
a worker, shows progress, and returns when the copy is exact as of its start (incremental pass + id census).
Without --wait the passes are queued for the worker.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from storelens.stores.models import Store
from storelens.sync import failures
from storelens.sync.api import run_sync
from storelens.sync.models import SyncState
from storelens.woocommerce.errors import StoreError


def _fmt_eta(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class PlainProgress:
    """One line per change of phase and at most one per second otherwise: readable in logs and CI."""

    def __init__(self, out: Any, label: str) -> None:
        self.out, self.label = out, label
        self.last_line = 0.0
        self.last_phase = ""

    def __call__(self, state: SyncState) -> None:
        now = time.monotonic()
        if state.phase == self.last_phase and now - self.last_line < 1.0:
            return
        self.last_phase, self.last_line = state.phase, now
        self.out.write(
            f"{self.label}: {state.get_phase_display()} — orders {state.orders_done}/{state.orders_total}, "
            f"pages {state.pages_done}/{state.pages_total}, {state.rate:.0f} orders/s, "
            f"ETA {_fmt_eta(state.eta_seconds)}"
        )

    def close(self) -> None:
        return None


class RichProgress:
    def __init__(self, label: str) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("orders · {task.fields[rate]:.0f}/s"),
            TimeRemainingColumn(),
        )
        self.progress.start()
        self.task = self.progress.add_task(label, total=None, rate=0.0)
        self.label = label

    def __call__(self, state: SyncState) -> None:
        self.progress.update(
            self.task,
            description=f"{self.label}: {state.get_phase_display()}",
            completed=state.orders_done,
            total=state.orders_total or None,
            rate=state.rate,
        )

    def close(self) -> None:
        self.progress.stop()


class Command(BaseCommand):
    help = "Sync stores now: `sync ID --wait` runs here and returns when the copy is exact; without --wait it queues."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("store_ids", nargs="*", type=int, help="Store ids (see `storelens sources`).")
        parser.add_argument("--all", action="store_true", help="Every connected store.")
        parser.add_argument("--wait", action="store_true", help="Run in this process and wait until exact.")
        parser.add_argument("--reconcile", action="store_true", help="Also re-read the last 7 days and the catalogue.")

    def handle(self, *args: Any, store_ids: list[int], all: bool, wait: bool, reconcile: bool, **opts: Any) -> None:
        if all:
            stores = list(Store.objects.exclude(consumer_key_enc="").order_by("pk"))
        elif store_ids:
            stores = list(Store.objects.filter(pk__in=store_ids).order_by("pk"))
            unknown = set(store_ids) - {s.pk for s in stores}
            if unknown:
                raise CommandError(f"No store with id {', '.join(map(str, sorted(unknown)))}: see `storelens sources`.")
        else:
            raise CommandError("Name the stores to sync (`storelens sync 3`) or use --all.")
        if not stores:
            self.stdout.write("No connected stores to sync.")
            return
        if not wait:
            from storelens.sync.tasks import reconcile as reconcile_task
            from storelens.sync.tasks import sync_now

            for store in stores:
                (reconcile_task if reconcile else sync_now)(store.pk)
                self.stdout.write(f"Queued a sync of {store} (id {store.pk}); a worker or `serve` will run it.")
            return
        failed = 0
        for store in stores:
            failed += not self._sync_one(store, reconcile)
        if failed:
            raise CommandError(f"{failed} of {len(stores)} store(s) could not be synced (see above).")

    def _sync_one(self, store: Store, reconcile: bool) -> bool:
        label = f"{store} (id {store.pk})"
        interactive = sys.stdout.isatty() and self.stdout._out is sys.stdout  # type: ignore[attr-defined]
        progress: Any = RichProgress(label) if interactive else PlainProgress(self.stdout, label)
        started = time.monotonic()
        failures.rearm(store.pk)  # asked for by the person at the terminal: a new series of automatic attempts
        try:
            result = run_sync(store.pk, exact=True, reconcile=reconcile, progress=progress, wait_for_lease=True)
        except StoreError as err:
            progress.close()
            self.stderr.write(f"{label}: {err.message}")
            if err.fix:
                self.stderr.write(f"  What to do: {err.fix}")
            return False
        except Exception:
            # A bug in Storelens: `run_sync` recorded it as the store's status (and logged the traceback).
            progress.close()
            failed = Store.objects.get(pk=store.pk)
            self.stderr.write(f"{label}: {failed.status_message}")
            self.stderr.write(f"  What to do: {failed.status_fix}")
            state = failures.failure_of(failed)
            if state is not None:
                self.stderr.write(f"  Support detail: {state.failure_detail}")
            return False
        progress.close()
        stats = result.stats
        assert stats is not None
        self.stdout.write(
            f"{label}: exact as of the start of this sync — {stats.orders} orders and {stats.refunds} refunds "
            f"written, {stats.deleted} found deleted, {stats.requests} requests, {time.monotonic() - started:.1f}s."
        )
        return True

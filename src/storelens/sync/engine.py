"""The sync engine: history import, incremental windows, pending re-fetches and reconciliation for one source.

Fetching is async (httpx, up to the store's concurrency cap); every database write goes through ONE writer (the
thread that called `async_to_sync`, via `sync_to_async(thread_sensitive=True)`), so SQLite keeps a single writer and
each page is written with its checkpoint and the change feed in one transaction. Fetches and writes are pipelined
through a bounded queue, so the store is never waiting on the database.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from storelens.sources.models import Source
from storelens.woocommerce.errors import StoreError

from .history import HistoryImport
from .incremental import IncrementalWindows
from .models import SyncState
from .pass_core import (
    CATALOGUE_RESOURCES,
    CENSUS_FIELDS,
    ONE_SECOND,
    ORDER_PARAMS,
    PER_PAGE,
    RECENT_DAYS,
    REREAD_DAYS,
    WINDOW_DAYS,
    PassStats,
    ProgressCallback,
    all_of,
    db,
    utc,
)


class SyncEngine(HistoryImport, IncrementalWindows):
    """One pass over one source. `now` is the pass's horizon: the copy is exact as of it when the pass returns."""

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
                        "Some amounts had more decimals than Storelens keeps (e.g. "
                        f"{self._rounded[0]}): order totals are kept in the currency's minor unit and line amounts "
                        "to 4 decimals (the dp=4 the sync asks for), so these were rounded half-up."
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
        from storelens.analytics.customer_snapshot import refresh_if_stale  # whole-history figures, once per pass

        refresh_if_stale(self.source)

    async def run(self, *, reconcile: bool = False, exact: bool = False) -> PassStats:
        """Import (or continue importing), then the incremental pass and pending re-fetches; `exact` adds the
        census (the copy is then exact as of `now`); `reconcile` the full reconciliation."""
        from . import failures
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
            await db(failures.clear)(self.source.pk)
            source = await db(lambda: Source.objects.get(pk=self.source.pk))()
            await db(clear_status)(source, after_pass=True)
        except StoreError as err:
            source = await db(lambda: Source.objects.get(pk=self.source.pk))()
            await db(set_status_from_error)(source, err)
            message = str(err)
            await db(lambda: SyncState.objects.filter(source=self.source).update(last_error=message))()
            raise
        return self.stats


__all__ = [
    "CATALOGUE_RESOURCES",
    "CENSUS_FIELDS",
    "ONE_SECOND",
    "ORDER_PARAMS",
    "PER_PAGE",
    "RECENT_DAYS",
    "REREAD_DAYS",
    "WINDOW_DAYS",
    "PassStats",
    "ProgressCallback",
    "SyncEngine",
    "all_of",
    "db",
    "utc",
]

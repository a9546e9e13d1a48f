"""Reconciliation: the census of every order id diffed with our copy, the re-read of recent orders and the
catalogue's full scans."""

from __future__ import annotations

from datetime import datetime, timedelta

from storelens.commerce.models import Order
from storelens.sources.models import Source
from storelens.woocommerce.dates import gmt_filter, parse_gmt

from .models import SyncState
from .pass_core import (
    CENSUS_FIELDS,
    ONE_SECOND,
    ORDER_PARAMS,
    REREAD_DAYS,
    db,
)
from .refetches import PendingRefetches


class Reconciliation(PendingRefetches):
    async def census(self) -> None:
        """Every order id with its modified date and status, diffed with our copy: hard deletes, trash, and any
        change we missed are fixed by re-reading exactly those orders. Once per pass: the copy is then exact as of
        the pass's `now`, so a second census (the incremental pass found a hard delete, then the exact pass's own)
        would only repeat the listing."""
        if getattr(self, "_census_done", False):
            return
        self._census_done = True
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

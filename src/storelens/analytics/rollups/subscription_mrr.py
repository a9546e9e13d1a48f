"""The MRR snapshot of a store (`MrrSnapshot`, `MrrCell`): every whole day, week and month's `MrrPeriod` from
`metrics.mrr.movements` over all its subscriptions, and per day the subscriptions started, stopped and running, in
the store's time zone. Read by `reports.mrr_cells`; recomputed by a job the end of a sync pass queues when a
subscription write noted a change (`note_changed`, from the commerce subscription change feed) or none exists yet.

Why recomputed whole: see `MrrSnapshot`. Why not paced as the cohort refresh is: it reads only the subscription rows
(4-5 s at 80k subscriptions, `bench/subscriptions.py` prints it), and while it is due the page is served
exactly by the raw path, which is slower: a refresh held back would keep the page slow, not wrong.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from storelens.analytics.metrics.mrr import MrrPeriod, Span, monthly_whole_minor, movements
from storelens.analytics.metrics.periods import bucket
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.metrics.timezones import day_start_utc, local_day
from storelens.analytics.models import MrrCell, MrrEvent, MrrSnapshot
from storelens.analytics.rollups.subscription_rows import NOT_COUNTED, SPAN_COLUMNS, span_of
from storelens.commerce.bulk import insert_rows

GRAINS = ("day", "week", "month")
BILLED = ("active", "pending-cancel")  # today's active count, as `subscription_figures`
PERIOD_FIELDS = (
    "mrr_start", "new", "expansion", "contraction", "churned", "reactivated", "mrr_end", "customers_start",
    "customers_end", "new_customers", "churned_customers", "reactivated_customers",
)  # fmt: skip


def tz_key(tz: tzinfo) -> str:
    """What a snapshot's periods were cut with: the zone's name (or fixed offset)."""
    return str(tz)


def note_changed(store: Any, instants: list[datetime]) -> None:
    """The subscription change feed's listener, in the write's transaction: the snapshot is changed, from the earliest
    instant the write touched when earlier than the one noted."""
    rows = MrrSnapshot.objects.filter(store_id=getattr(store, "pk", store))
    if instants:
        earliest = min(instants)
        rows.filter(Q(changed_from__isnull=True) | Q(changed_from__gt=earliest)).update(
            changed=True, changed_from=earliest
        )
    rows.filter(changed=False).update(changed=True)


def needs_refresh(store: Any) -> bool:
    """No snapshot yet (and the store has subscriptions), one cut in another time zone, or a write since."""
    from storelens.commerce.models import Subscription

    snapshot = MrrSnapshot.objects.filter(store=store).first()
    if snapshot is None:
        return Subscription.objects.filter(store=store).exists()
    return snapshot.changed or snapshot.computed_at is None or snapshot.tz_key != tz_key(report_settings(store).tz)


def whole_periods(first: date, last: date, grain: str, tz: tzinfo) -> tuple[list[date], list[datetime]]:
    """The whole periods of `grain` from the one holding `first` to the one holding `last`: their first days, and
    their boundaries in UTC (one more than periods)."""
    starts = [bucket(first, grain)]
    while starts[-1] <= last:
        starts.append(next_period(starts[-1], grain))
    return starts[:-1], [day_start_utc(d, tz) for d in starts]


def next_period(start: date, grain: str) -> date:
    """The first day of the period after the one starting on `start`."""
    if grain == "day":
        return start + timedelta(days=1)
    if grain == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def cells_of(store_id: int, grain: str, starts: Sequence[date], periods: Sequence[MrrPeriod]) -> list[dict]:
    return [
        {
            "store_id": store_id, "grain": grain, "start": d, **{f: getattr(p, f) for f in PERIOD_FIELDS},
            "started": 0, "stopped": 0, "running": 0,
        }
        for d, p in zip(starts, periods, strict=True)
    ]  # fmt: skip


def day_counts(cells: list[dict], bounds: list[datetime], spans: list[Span]) -> None:
    """Each day cell's subscriptions started (all counted ones), stopped (not before their start) and running at its
    start (started and not stopped before it: one that stops before it starts never runs)."""

    def day_of(instant: datetime) -> int:
        return bisect_right(bounds, instant) - 1

    net = [0] * (len(cells) + 1)
    for s in spans:
        cells[day_of(s.start)]["started"] += 1
        if s.stop is not None and s.stop < s.start:
            continue
        net[day_of(s.start) + 1] += 1
        if s.stop is not None:
            cells[day_of(s.stop)]["stopped"] += 1
            net[day_of(s.stop) + 1] -= 1
    running = 0
    for i, cell in enumerate(cells):
        running += net[i]
        cell["running"] = running


def events_of(store_id: int, spans: list[Span]) -> list[dict]:
    """Every start and stop of the spans that run, in `movements`' order (instant, stops first, then as read), each
    with its customer's MRR before it: a window's customers then need only the events in it."""
    first_start: dict[Any, datetime] = {}
    for s in spans:
        if s.customer not in first_start or s.start < first_start[s.customer]:
            first_start[s.customer] = s.start
    events: list[tuple[datetime, int, Span]] = []
    for s in spans:
        if s.stop is not None and s.stop < s.start:
            continue
        events.append((s.start, 1, s))
        if s.stop is not None:
            events.append((s.stop, -1, s))
    events.sort(key=lambda e: (e[0], e[1]))
    current: dict[Any, int] = defaultdict(int)
    out = []
    for seq, (at, sign, s) in enumerate(events):
        before = current[s.customer]
        current[s.customer] = before + sign * s.monthly_minor
        out.append(
            {
                "store_id": store_id, "at": at, "seq": seq, "customer": str(s.customer),
                "first_start": first_start[s.customer], "before": before, "delta": sign * s.monthly_minor,
            }
        )  # fmt: skip
    return out


def refresh(store: Any) -> MrrSnapshot:
    """Recompute the store's MRR cells from its subscription rows.

    Three steps keep them exact without holding a lock while the rows are read. First the snapshot is marked as being
    read (`read_from`; `computed_at` None: the page takes the raw path meanwhile) and its change note cleared, in a
    transaction holding its row: a subscription write notes its change on that row in its own transaction, so a write
    committed before is read, and one after notes again. Then the rows are read and the cells computed. Last, holding
    the row again, the cells are written unless another refresh began reading since (its cells are newer); a change
    noted meanwhile stays noted, so the page keeps to the raw path where it may matter and the next pass refreshes."""
    from storelens.commerce.models import Subscription

    t0 = time.perf_counter()
    tz = report_settings(store).tz
    MrrSnapshot.objects.get_or_create(store=store, defaults={"tz_key": tz_key(tz)})
    read_from = timezone.now()
    with transaction.atomic():
        MrrSnapshot.objects.filter(store=store).update(
            read_from=read_from, computed_at=None, changed=False, changed_from=None
        )
    rows = list(Subscription.objects.filter(store=store, deleted_at__isnull=True).values_list(*SPAN_COLUMNS, "status"))
    billed = [monthly_whole_minor(r[2], r[3], r[4]) for r in rows if r[8] in BILLED]
    spans = [span_of(r[:8]) for r in rows if r[8] not in NOT_COUNTED and r[5] is not None]
    instants = [s.start for s in spans] + [s.stop for s in spans if s.stop is not None]
    cells: list[dict] = []
    first_day = last_day = None
    if instants:
        # A day of margin on each side: the first day's state is zero and the last day's final.
        first_day = local_day(min(instants), tz) - timedelta(days=1)
        last_day = local_day(max(instants), tz) + timedelta(days=2)
        for grain in GRAINS:
            starts, bounds = whole_periods(first_day, last_day, grain, tz)
            grain_cells = cells_of(store.pk, grain, starts, movements(spans, bounds))
            if grain == "day":
                day_counts(grain_cells, bounds, spans)
            cells.extend(grain_cells)
    events = events_of(store.pk, spans)
    inverted = [[s.start.isoformat(), s.stop.isoformat()] for s in spans if s.stop is not None and s.stop < s.start]
    with transaction.atomic():
        snapshot = MrrSnapshot.objects.select_for_update().get(store=store)
        if snapshot.read_from != read_from:
            return snapshot  # another refresh began reading after this one: its cells are the newer
        MrrCell.objects.filter(store=store).delete()
        insert_rows(MrrCell, cells)
        MrrEvent.objects.filter(store=store).delete()
        insert_rows(MrrEvent, events)
        snapshot.tz_key = tz_key(tz)
        snapshot.computed_at = read_from
        snapshot.first_day, snapshot.last_day = first_day, last_day
        snapshot.active, snapshot.mrr_minor = len(billed), sum(billed)
        snapshot.inverted = inverted
        snapshot.seconds = time.perf_counter() - t0
        snapshot.save()
    return snapshot

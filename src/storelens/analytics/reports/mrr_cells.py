"""The Subscriptions page's MRR, movements, ARPPU/LTV and subscription counts read from the MRR snapshot
(`rollups.subscription_mrr`) instead of every subscription row: exactly what the raw path gives, from a few cells and
the events of the clipped periods instead of tens of thousands of rows.

- A whole period of the range is its cell (before the first cell: nothing runs; after the last: nothing moves).
- A period the range clips, [a, b) (its first, its last, today's unfinished one), is the day cell of a (MRR and
  paying customers at a) plus only the customers touched in it: the snapshot's events in [a, b) (`MrrEvent`, by the
  (store, at) index) give each one's MRR at a and at b and whether they started before a, which `metrics.mrr.tally`
  turns into movements as `movements` does. A customer nothing touched pays the same at both ends and moves nothing.
- ARPPU and LTV (Putler's 30 days before the range's end) the same way: the day cell of the end, and the customers
  touched in the 30 days.
- The counts are day cells added up, and the subscriptions that stop before they start, kept on the snapshot.

`usable` says when the cells hold: cut in the page's time zone, and no subscription write since touched an instant
before the range's end (a write noted on the snapshot, `note_changed`). Otherwise the callers take the raw path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, Sum

from storelens.analytics.metrics.mrr import Lifetime, MrrPeriod, lifetime_of, tally
from storelens.analytics.metrics.periods import bucket
from storelens.analytics.metrics.subscriptions import SubscriptionFigures
from storelens.analytics.metrics.timezones import day_start_utc
from storelens.analytics.models import MrrCell, MrrEvent, MrrSnapshot
from storelens.analytics.rollups.subscription_mrr import PERIOD_FIELDS, next_period, tz_key


@dataclass(frozen=True)
class DayState:
    """MRR, paying customers and running subscriptions at a day's start."""

    mrr: int = 0
    paying: int = 0
    running: int = 0


def usable(store: Any, tz: tzinfo, end: datetime) -> MrrSnapshot | None:
    """The store's snapshot when its cells answer for instants up to `end`; None: take the raw path."""
    snapshot = MrrSnapshot.objects.filter(store=store).first()
    if snapshot is None or snapshot.computed_at is None or snapshot.tz_key != tz_key(tz):
        return None
    if snapshot.changed_from is not None and snapshot.changed_from < end:
        return None
    return snapshot


def day_states(snapshot: MrrSnapshot, days: Sequence[date]) -> dict[date, DayState]:
    """The state at each day's start, from its day cell (outside the cells: nothing yet, or the final state)."""
    if snapshot.first_day is None or snapshot.last_day is None:
        return {d: DayState() for d in days}
    first, last = snapshot.first_day, snapshot.last_day
    wanted = {min(max(d, first), last) for d in days}
    found = {
        start: DayState(mrr, paying, running)
        for start, mrr, paying, running in MrrCell.objects.filter(
            store_id=snapshot.store_id, grain="day", start__in=wanted
        ).values_list("start", "mrr_start", "customers_start", "running")
    }
    return {d: DayState() if d < first else found[min(d, last)] for d in days}


Moves = dict[str, list]  # customer → [MRR at the window's start, MRR at its end, started before it]


def moves(snapshot: MrrSnapshot, a: datetime, b: datetime) -> Moves:
    """Each customer with an event in [a, b) (`MrrEvent`, by the (store, at) index, in `movements`' order): their MRR
    before the first (at a) and after the last (at b), and whether their first start is before a (asked of the
    database: no instant is converted in Python)."""
    rows = (
        MrrEvent.objects.filter(store_id=snapshot.store_id, at__gte=a, at__lt=b)
        .order_by("seq")
        .values_list("customer", "before", "delta", ExpressionWrapper(Q(first_start__lt=a), BooleanField()))
    )
    out: Moves = {}
    for customer, before, delta, returning in rows:
        move = out.get(customer)
        if move is None:
            move = out[customer] = [before, before, bool(returning)]
        move[1] += delta
    return out


def clipped(state: DayState, touched: Moves, a: datetime, b: datetime) -> MrrPeriod:
    """[a, b): the state at a, plus each touched customer's move (`metrics.mrr.tally`, as `movements` adds them up);
    a customer nothing touched pays the same at both ends."""
    p = MrrPeriod(a, b, mrr_start=state.mrr, customers_start=state.paying, mrr_end=state.mrr)
    p.customers_end = state.paying
    for was, now, returning in touched.values():
        tally(p, was, now, returning)
        p.mrr_end += now - was
        p.customers_end += (now > 0) - (was > 0)
    return p


def is_whole(d0: date, d1: date, grain: str) -> bool:
    return bucket(d0, grain) == d0 and next_period(d0, grain) == d1 + timedelta(days=1)


def periods_and_lifetime(
    store: Any, snapshot: MrrSnapshot, tz: tzinfo, days: Sequence[tuple[date, date]], grain: str
) -> tuple[list[MrrPeriod], Lifetime]:
    """Each (first day, last day) of `days` as its `MrrPeriod`, and the `Lifetime` at the end of the last."""
    end_day = days[-1][1] + timedelta(days=1)
    end = day_start_utc(end_day, tz)
    whole = [d0 for d0, d1 in days if is_whole(d0, d1, grain)]
    cells = {
        row[0]: row[1:]
        for row in MrrCell.objects.filter(store_id=snapshot.store_id, grain=grain, start__in=whole).values_list(
            "start", *PERIOD_FIELDS
        )
    }
    part_days = [d0 for d0, d1 in days if not is_whole(d0, d1, grain)]
    states = day_states(snapshot, [*part_days, *(d0 for d0 in whole if d0 not in cells), end_day])
    windows = [(day_start_utc(d0, tz), day_start_utc(d1 + timedelta(days=1), tz)) for d0, d1 in days]
    parts = {d0: w for (d0, _), w in zip(days, windows, strict=True) if d0 in part_days}
    month = (end - timedelta(days=30), end)
    periods = []
    for (d0, _), (a, b) in zip(days, windows, strict=True):
        if d0 in parts:
            periods.append(clipped(states[d0], moves(snapshot, a, b), a, b))
        elif d0 in cells:
            periods.append(MrrPeriod(a, b, **dict(zip(PERIOD_FIELDS, cells[d0], strict=True))))
        else:  # outside the cells: nothing runs yet, or nothing moves any more
            s = states[d0]
            periods.append(MrrPeriod(a, b, s.mrr, mrr_end=s.mrr, customers_start=s.paying, customers_end=s.paying))
    now = states[end_day]
    # Putler's churn window: a customer nothing touched in it pays at its start exactly as at the end.
    touched = moves(snapshot, *month).values()
    paying_before = now.paying - sum((after > 0) - (was > 0) for was, after, _ in touched)
    gone = sum(1 for was, after, _ in touched if was > 0 >= after)  # paying before, nothing now (`lifetime`)
    return periods, lifetime_of(now.mrr, now.paying, paying_before, gone)


def figures(store: Any, snapshot: MrrSnapshot, tz: tzinfo, first: date, last: date) -> SubscriptionFigures:
    """`subscription_figures` from the day cells: started and stopped in the range added up, running at both ends,
    plus the subscriptions that stop before they start (churned when they stop at or after the range's start and
    start before its end); today's active count and MRR as of the refresh (the caller checks nothing changed)."""
    start, end = day_start_utc(first, tz), day_start_utc(last + timedelta(days=1), tz)
    fig = SubscriptionFigures(currency=store.currency or "USD", active=snapshot.active, mrr_minor=snapshot.mrr_minor)
    sums = MrrCell.objects.filter(store_id=snapshot.store_id, grain="day", start__gte=first, start__lte=last).aggregate(
        started=Sum("started"), stopped=Sum("stopped")
    )
    inverted = sum(
        1 for s, t in snapshot.inverted if datetime.fromisoformat(t) >= start and datetime.fromisoformat(s) < end
    )
    states = day_states(snapshot, [first, last + timedelta(days=1)])
    fig.new = sums["started"] or 0
    fig.churned = (sums["stopped"] or 0) + inverted
    fig.active_at_start = states[first].running
    fig.active_at_end = states[last + timedelta(days=1)].running
    return fig

"""The four detectors: each looks at one store and says whether its kind of alert holds now, and why (the numbers).

Every figure comes from what the sync keeps (the hourly and daily rollup cells, the store's status), counted with
the store's own date basis and excluded statuses, on the store's own clock: what the pages show, never raw orders.

- orders stopped: the silence since the last hour with a counted order, against the longest silence the store had
  at the same weekday and hour in each of the previous 8 weeks (from the same hourly cells the heatmap reads). A
  store whose usual gap at 3 am on Sunday is 9 hours is not alarming at 3 am; one that always sells at 4 pm on a
  Monday is. Fires at twice its usual gap (three hours at least), measured at the last successful sync, so a sync
  that lags is never mistaken for silence. Hours are whole clock hours (the cells'): an order at 16:45 in an earlier
  week counts for 16:00, which makes the usual gap at most an hour shorter, and the alert that much keener.
- refund spike: today's refunds against the previous 28 days: above twice the largest day, three times the average
  day, and a tenth of an average day's net sales (one small refund in a quiet month is not a spike).
- store down: unreachable, blocked, misconfigured, keys refused or a failing sync for at least 15 minutes.
- day far above normal: today so far against the same weekday in each of the previous 8 weeks: above twice their
  average and above the best of them, in orders (more than 5) or in net sales (with 2 orders at least).

A detector answers a `Finding`, `None` (the condition does not hold: an open alert recovers) or `UNKNOWN` (cannot
tell now, e.g. a store not synced lately: an open alert stays as it is).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Sum

from storelens.alerts.models import Kind
from storelens.analytics.metrics.report_settings import ReportSettings, report_settings
from storelens.analytics.metrics.timezones import local_time
from storelens.analytics.models import DailyRollup, HourlyRollup
from storelens.commerce.money import decimal_string
from storelens.stores.models import Store

WEEKS = 8
MIN_WEEKS = 4  # history needed before a store's own normal means anything
MIN_SILENCE_HOURS = 3
REFUND_DAYS = 28
DAY_HIGH_MIN_ORDERS = 5
DOWN_GRACE = timedelta(minutes=15)
DOWN_STATUSES = {
    Store.Status.UNREACHABLE,
    Store.Status.BLOCKED,
    Store.Status.MISCONFIGURED,
    Store.Status.NEEDS_REAUTH,
    Store.Status.AUTH_FAILED,
    Store.Status.ERROR,
}
KEY_STATUSES = {Store.Status.NEEDS_REAUTH, Store.Status.AUTH_FAILED}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


@dataclass
class Finding:
    kind: str
    episode: str
    title: str
    reason: str
    figures: dict[str, Any] = field(default_factory=dict)


def money_text(minor: int, currency: str) -> str:
    """An amount as every alert words it, in its reason and in its e-mail (`alerts.message`): "1800.00 USD"."""
    return f"{decimal_string(minor, currency)} {currency}"


def hours_text(n: int) -> str:
    """A silence in whole hours as the reason and the e-mail both word it."""
    return "under an hour" if n == 0 else f"{n} hour{'s' if n != 1 else ''}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else f"{text}."


def _slot(hour_index: int) -> str:
    """An hour index (local date ordinal × 24 + hour) as 'Monday 16:00'."""
    day = date.fromordinal(hour_index // 24)
    return f"{WEEKDAYS[day.weekday()]} {hour_index % 24:02d}:00"


def _counted(model: Any, store: Store, rs: ReportSettings) -> Any:
    return model.objects.filter(store=store, basis=rs.date_basis.value).exclude(status__in=sorted(rs.all_excluded))


def sync_is_fresh(store: Store, now: datetime) -> bool:
    """The store's data is recent enough to tell silence from a sync that lags (three sync intervals)."""
    interval = store.sync_interval or settings.STORELENS_SYNC_INTERVAL
    return store.last_sync_at is not None and now - store.last_sync_at <= timedelta(seconds=3 * interval + 60)


def order_hours(store: Store, rs: ReportSettings, first: date) -> list[int]:
    """Hour indices (day ordinal × 24 + local hour) with at least one counted order, from `first` on, ascending."""
    rows = (
        _counted(HourlyRollup, store, rs)
        .filter(day__gte=first)
        .values_list("day", "hour")
        .annotate(n=Sum("orders"))
        .order_by()
    )
    return sorted(day.toordinal() * 24 + hour for day, hour, n in rows if (n or 0) > 0)


def _last_before(hours: list[int], moment: int) -> int | None:
    """The latest order hour at or before `moment` (hours is ascending)."""
    i = bisect.bisect_right(hours, moment)
    return hours[i - 1] if i else None


def orders_stopped(store: Store, now: datetime) -> Finding | _Unknown | None:
    if store.status != Store.Status.CONNECTED or not sync_is_fresh(store, now):
        return UNKNOWN  # a store that is down has its own alert; stale data says nothing about silence
    rs = report_settings(store)
    at = local_time(store.last_sync_at, rs.tz)  # type: ignore[arg-type]
    current = at.date().toordinal() * 24 + at.hour
    first = at.date() - timedelta(days=7 * WEEKS + 14)
    hours = order_hours(store, rs, first)
    last = _last_before(hours, current)
    if last is None or not hours or hours[0] > current - 24 * 7 * MIN_WEEKS:
        return None  # no history to know its normal (or nothing sold for 10 weeks): nothing to say
    silence = current - last
    gaps = []
    for week in range(1, WEEKS + 1):
        moment = current - 24 * 7 * week
        before = _last_before(hours, moment)
        if before is not None:
            gaps.append(moment - before)
    if not gaps:
        return None
    usual = max(gaps)
    threshold = max(2 * usual, MIN_SILENCE_HOURS)
    if silence < threshold:
        return None
    slot = _slot(current)
    reason = (
        f"No counted order for {hours_text(silence)} (the last one in the hour from {_slot(last)}). In the previous "
        f"{len(gaps)} weeks at {slot} the longest silence was {hours_text(usual)}; this alert fires after twice that "
        f"or {MIN_SILENCE_HOURS} hours, whichever is longer ({hours_text(threshold)}). Your checkout may be broken: "
        "try an order yourself."
    )
    figures = {"silence_hours": silence, "usual_gap_hours": usual, "threshold_hours": threshold, "weeks": len(gaps)}
    figures["last_order_hour"] = _slot(last)
    return Finding(Kind.ORDERS_STOPPED, f"{last}", "Orders have stopped: your checkout may be broken", reason, figures)


def _daily(store: Store, rs: ReportSettings, first: date, last: date, *columns: str) -> dict[date, dict[str, int]]:
    sums = {c: Sum(c) for c in columns}
    rows = _counted(DailyRollup, store, rs).filter(day__gte=first, day__lte=last).values("day").annotate(**sums)
    return {r["day"]: {c: int(r[c] or 0) for c in columns} for r in rows.order_by()}


def _first_day(store: Store, rs: ReportSettings) -> date | None:
    row = _counted(DailyRollup, store, rs).filter(orders__gt=0).order_by("day").values_list("day", flat=True).first()
    return row


def refund_spike(store: Store, now: datetime) -> Finding | _Unknown | None:
    if not store.currency:
        return UNKNOWN
    rs = report_settings(store)
    today = local_time(now, rs.tz).date()
    begun = _first_day(store, rs)
    if begun is None or begun > today - timedelta(days=14):
        return None
    days = _daily(store, rs, today - timedelta(days=REFUND_DAYS), today, "refunds_minor", "net_sales_minor")
    now_refunds = days.get(today, {}).get("refunds_minor", 0)
    past = [days.get(today - timedelta(days=n), {}) for n in range(1, REFUND_DAYS + 1)]
    refunds = [d.get("refunds_minor", 0) for d in past]
    largest, average = max(refunds), sum(refunds) // REFUND_DAYS
    average_net = sum(d.get("net_sales_minor", 0) for d in past) // REFUND_DAYS
    threshold = max(2 * largest, 3 * average, average_net // 10, 1)
    if now_refunds < threshold:
        return None
    c = store.currency
    reason = (
        f"Refunds today: {money_text(now_refunds, c)}. In the previous {REFUND_DAYS} days the largest day was "
        f"{money_text(largest, c)} and the average day {money_text(average, c)} (average net sales a day "
        f"{money_text(average_net, c)}); this alert fires above {money_text(threshold, c)}: twice the largest day, "
        "three times the average and a tenth of a day's net sales, whichever is highest."
    )
    figures = {"refunds": now_refunds, "largest_day": largest, "average_day": average, "threshold": threshold}
    return Finding(Kind.REFUND_SPIKE, today.isoformat(), "Refund spike today", reason, {**figures, "currency": c})


def store_down(store: Store, now: datetime) -> Finding | _Unknown | None:
    if store.status == Store.Status.PAUSED or store.keys_verified_at is None:
        return None  # paused is the owner's choice; a store never connected is still being set up
    if store.status not in DOWN_STATUSES:
        return None
    if now - store.status_since < DOWN_GRACE:
        return UNKNOWN  # one timeout is retried by the next pass: wait before telling anyone
    minutes = int((now - store.status_since).total_seconds() // 60)
    keys = store.status in KEY_STATUSES
    title = "Your store's keys stopped working" if keys else f"Storelens cannot sync your store: {store.display_status}"
    since = f"{store.status_since:%Y-%m-%d %H:%M} UTC"
    reason = f"{store.display_status} since {since} ({minutes} minutes). {_sentence(store.status_message)}".strip()
    if store.status_fix:
        reason += f" What to do: {_sentence(store.status_fix)}"
    figures = {"status": store.status, "code": store.status_code, "since": since, "minutes": minutes}
    return Finding(Kind.STORE_DOWN, "", title, reason, figures)


def day_high(store: Store, now: datetime) -> Finding | _Unknown | None:
    if not store.currency:
        return UNKNOWN
    rs = report_settings(store)
    today = local_time(now, rs.tz).date()
    begun = _first_day(store, rs)
    if begun is None or begun > today - timedelta(days=7 * MIN_WEEKS):
        return None
    days = _daily(store, rs, today - timedelta(days=7 * WEEKS), today, "orders", "net_sales_minor")
    same = [days.get(today - timedelta(days=7 * w), {}) for w in range(1, WEEKS + 1)]
    same = same[: max(1, min(WEEKS, (today - begun).days // 7))]
    now_day = days.get(today, {})
    c = store.currency
    lines, fired = [], {}
    for column, label, show in (
        ("orders", "orders", str),
        ("net_sales_minor", "net sales", lambda v: money_text(v, c)),
    ):
        values = [d.get(column, 0) for d in same]
        mean, best, value = sum(values) / len(values), max(values), now_day.get(column, 0)
        threshold = max(2 * mean, best + 1)
        if column == "orders":
            threshold = max(threshold, DAY_HIGH_MIN_ORDERS)
        if value > threshold:
            fired[column] = {"today": value, "average": round(mean), "best": best}
            lines.append(
                f"{label} today {show(value)} against an average of {show(round(mean))} and a best of "
                f"{show(best)} on the previous {len(values)} {WEEKDAYS[today.weekday()]}s"
            )
    if not fired or (set(fired) == {"net_sales_minor"} and now_day.get("orders", 0) < 2):
        return None  # one large order alone is not a day far above normal
    joined = "; ".join(lines)  # not str.capitalize(), which lowercases the rest: "usd", "mondays"
    reason = joined[:1].upper() + joined[1:] + ". This alert fires above twice the average and above the best day."
    return Finding(Kind.DAY_HIGH, today.isoformat(), "A day far above normal", reason, {**fired, "currency": c})


DETECTORS = {
    Kind.ORDERS_STOPPED: orders_stopped,
    Kind.REFUND_SPIKE: refund_spike,
    Kind.STORE_DOWN: store_down,
    Kind.DAY_HIGH: day_high,
}

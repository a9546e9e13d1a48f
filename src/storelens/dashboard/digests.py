"""What an e-mail digest says: each store's figures for the period against the period before, its top products, and
the stores needing attention — read through the report readers the pages use (`summary.build`, the product
leaderboard, each store's status), never recomputed, so a digest and `storelens report` agree to the cent.

Periods are whole days: a daily digest reports yesterday, a weekly one last week (Monday to Sunday), a monthly one
last month, each against the period before it (`home.comparison_period`: the month before, or the same number of days
before). Each store's figures are counted on its own clock, exactly as `storelens report --source ID --from --to`
counts them, so a period is over only once it is over on every store's clock: "today" is the date of the workspace's
store furthest behind (`workspace_today`); a workspace in New York gets yesterday's digest after midnight there.

Who gets what (accounts/permissions.py): a digest is a summary of revenue totals, so it needs VIEW_REVENUE. A
support member cannot subscribe (Settings says why), and a member whose role becomes support stops receiving it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from storelens.accounts.permissions import Action, allows
from storelens.analytics.metrics.periods import month_end, shift_months
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.metrics.timezones import local_day
from storelens.analytics.reports.home import comparison_period
from storelens.analytics.reports.products import ProductLine, product_leaderboard
from storelens.analytics.reports.summary import Report, build
from storelens.commerce.money import decimal_string
from storelens.dashboard.models import Frequency
from storelens.stores.models import Store
from storelens.stores.zones import store_timezone

TOP_PRODUCTS = 5
PERIOD_WORDS = {Frequency.DAILY: "yesterday", Frequency.WEEKLY: "last week", Frequency.MONTHLY: "last month"}


def period_for(frequency: str, today: date) -> tuple[date, date]:
    """The whole period a digest sent on `today` reports on (the last one that has ended)."""
    if frequency == Frequency.DAILY:
        day = today - timedelta(days=1)
        return day, day
    if frequency == Frequency.WEEKLY:
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
    if frequency == Frequency.MONTHLY:
        first = shift_months(today.replace(day=1), -1)
        return first, month_end(first)
    raise ValueError(f"no digest period for {frequency!r}: use daily, weekly or monthly")


def workspace_today(workspace: Any, now: datetime) -> date:
    """The earliest local date among the workspace's stores (UTC without stores): the day every store has reached."""
    zones = Store.objects.filter(workspace=workspace).values_list("timezone_string", "gmt_offset")
    days = [local_day(now, store_timezone(name, offset)) for name, offset in zones]
    return min(days, default=now.date())


def may_receive(role: str) -> bool:
    """A digest adds up revenue; support may never see such totals (accounts/permissions.py)."""
    return allows(role, Action.VIEW_REVENUE)


@dataclass
class Figure:
    """One line of the figures table: this period, the one before, and the change in words."""

    label: str
    now: str
    before: str
    change: str
    direction: str  # up | down | flat: colours the change (a rise in refunds is not good news, said by `good`)
    good: bool


@dataclass
class StoreDigest:
    store: Store
    current: Report
    previous: Report
    figures: list[Figure] = field(default_factory=list)
    top: list[ProductLine] = field(default_factory=list)

    def money(self, minor: int) -> str:
        return f"{decimal_string(minor, self.current.currency)} {self.current.currency}"


@dataclass
class Digest:
    workspace: Any
    email: str
    frequency: str
    first: date
    last: date
    before_first: date
    before_last: date
    stores: list[StoreDigest]
    attention: list[Store]

    @property
    def period_words(self) -> str:
        return PERIOD_WORDS[Frequency(self.frequency)]

    @property
    def period_label(self) -> str:
        if self.first == self.last:
            return f"{self.first:%A %-d %B %Y}"
        if self.first.day == 1 and self.last == month_end(self.first):
            return f"{self.first:%B %Y}"
        return f"{self.first:%-d %B} – {self.last:%-d %B %Y}"

    @property
    def before_label(self) -> str:
        if self.before_first == self.before_last:
            return f"{self.before_first:%A %-d %B}"
        if self.before_first.day == 1 and self.before_last == month_end(self.before_first):
            return f"{self.before_first:%B %Y}"
        return f"{self.before_first:%-d %B} – {self.before_last:%-d %B}"

    @property
    def subject(self) -> str:
        return f"{self.workspace.name}: your {Frequency(self.frequency).value} digest for {self.period_label}"


def _change(now: int, before: int) -> tuple[str, str]:
    if now == before:
        return "no change", "flat"
    direction = "up" if now > before else "down"
    if before == 0:
        return ("new" if now > 0 else "down from 0"), direction
    percent = (now - before) * 100 / abs(before)
    return f"{'+' if percent > 0 else '−'}{abs(percent):.1f} %", direction


def figures_of(item: StoreDigest) -> list[Figure]:
    """The figures the brief names: net sales, orders, AOV, refunds, new and returning customers."""
    now, before = item.current, item.previous
    rows: list[tuple[str, int, int, bool, bool]] = [  # label, now, before, is money, a rise is good
        ("Net sales", now.totals.net_sales, before.totals.net_sales, True, True),
        ("Orders", now.totals.orders, before.totals.orders, False, True),
        ("Average order value", now.aov, before.aov, True, True),
        ("Refunds", now.totals.refunds, before.totals.refunds, True, False),
        ("New customers", now.new_customers, before.new_customers, False, True),
        ("Returning customers", now.returning_customers, before.returning_customers, False, True),
    ]
    out = []
    for label, a, b, money, rise_is_good in rows:
        change, direction = _change(a, b)
        good = direction == "flat" or (direction == "up") == rise_is_good
        shown = (item.money(a), item.money(b)) if money else (str(a), str(b))
        out.append(Figure(label, shown[0], shown[1], change, direction, good))
    return out


def store_digest(store: Store, first: date, last: date, before: tuple[date, date]) -> StoreDigest:
    """One store in its own currency, with its own figure settings: what `storelens report --source` prints."""
    item = StoreDigest(store, build([store], first, last), build([store], *before))
    item.figures = figures_of(item)
    item.top = product_leaderboard(store, report_settings(store, None, None), first, last)[:TOP_PRODUCTS]
    return item


def _made(
    made: dict[tuple[int, date, date], StoreDigest] | None, store: Store, first: date, last: date, before: Any
) -> StoreDigest:
    if made is None:
        return store_digest(store, first, last, before)
    key = (store.pk, first, last)
    if key not in made:
        made[key] = store_digest(store, first, last, before)
    return made[key]


def build_digest(
    membership: Any, frequency: str, today: date, made: dict[tuple[int, date, date], StoreDigest] | None = None
) -> Digest:
    """The digest `membership` receives on `today`; its stores are the workspace's stores with imported data.

    `made` keeps each store's figures for the rest of a tick: every member of a workspace who chose the same
    frequency gets the same figures, and a past range's new and returning customers are read from the orders
    (`customer_counts`), about a second per period at 150,000 orders (bench/digest.py)."""
    first, last = period_for(frequency, today)
    before = comparison_period(first, last)
    stores = list(Store.objects.filter(workspace=membership.workspace).order_by("name", "pk"))
    counted = [s for s in stores if s.last_sync_at is not None and s.currency]
    return Digest(
        workspace=membership.workspace,
        email=membership.user.email,
        frequency=frequency,
        first=first,
        last=last,
        before_first=before[0],
        before_last=before[1],
        stores=[_made(made, s, first, last, before) for s in counted],
        # A paused store is the owner's own choice, not a problem to fix.
        attention=[s for s in stores if not s.is_healthy and s.status != Store.Status.PAUSED],
    )

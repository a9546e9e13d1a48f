"""The orders list against the comparison period (issue 16 #3): how many orders the list holds over the comparison's
days, and the net sales of the range and of the comparison, both from the rollups.

The count is `orders.order_count` over the comparison's days with the list's status and country filters: the same
definition as the list's own count (every order created in the days, whatever its status), exact from the
created-basis cells plus the small indexed counts of deleted and always-excluded orders. A free-text search has no
rollup: with one, no comparison is given (`UNAVAILABLE`) rather than a guess or a scan of the comparison's orders.

The net is WooCommerce's net sales counted by the date an order was created, as the list dates its orders: the
created-basis cells (`DailyRollup`, or `CountryDailyRollup` under a country filter), so refunds fall on the day they
were made. Without a status filter, the counted statuses (the store's excluded ones left out); with one, those
statuses (never the always-excluded ones): the one status rule of every figure (`cells.by_status`), as on Sales. It
is the Sales page's net when the store counts by date created. Amounts are added in the page's currency as
`summary.daily_in` adds them: per (day, currency) cell, converted at the day's ECB rate when the page converts, else at
face value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Sum

from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.reports.cells import by_status
from storelens.analytics.reports.fx import Rates
from storelens.analytics.reports.orders import order_count
from storelens.analytics.reports.summary import rescale, resolve_currency
from storelens.stores.reporting import DateBasis

UNAVAILABLE = "Comparison not available with these filters: a search is not kept in the daily figures."


@dataclass(frozen=True)
class OrdersComparison:
    first: date  # the comparison's days
    last: date
    orders: int | None  # the list's count over those days; None: not available (`unavailable` says why)
    net_now: int | None  # net sales of the range and of the comparison, minor units of `currency`; None: not read
    net_then: int | None
    currency: str
    unavailable: str = ""


def created_net(
    stores: Sequence[Any],
    first: date,
    last: date,
    statuses: Sequence[str] = (),
    country: str = "",
    target: str = "",
    convert: bool = False,
    rates: Rates | None = None,
) -> int:
    """Net sales of the days on the created basis (see the module's docstring), in minor units of `target`."""
    from storelens.analytics.models import CountryDailyRollup, DailyRollup

    rates = rates or Rates()
    total = 0
    for store in stores:
        settings = report_settings(store, DateBasis.CREATED.value)
        model = CountryDailyRollup if country else DailyRollup
        qs = model.objects.filter(store=store, basis=DateBasis.CREATED.value, day__gte=first, day__lte=last)
        if country:
            qs = qs.filter(country=country.upper())
        qs = by_status(qs, settings, statuses)
        for day, currency, net in qs.values_list("day", "currency").annotate(Sum("net_sales_minor")).order_by():
            net = int(net or 0)
            if currency != target:
                net = rates.convert_minor(net, currency, target, day) if convert else rescale(net, currency, target)
            total += net
    return total


def orders_comparison(
    stores: Sequence[Any],
    first: date,
    last: date,
    then: tuple[date, date],
    statuses: Sequence[str] = (),
    country: str = "",
    search: str = "",
    currency: str | None = None,
    with_net: bool = True,
) -> OrdersComparison:
    """The list's figures against `then`; `with_net` False reads no money (a role without revenue totals).
    `currency` as the page's scope has it: None adds one currency at face value (WooCommerce parity), else converts
    into it (may raise `fx.UnknownRate`)."""
    then_first, then_last = then
    target = resolve_currency(stores, currency)
    if search:
        return OrdersComparison(then_first, then_last, None, None, None, target, UNAVAILABLE)
    count = order_count(stores, then_first, then_last, "", statuses, country)
    now = then_net = None
    if with_net:
        rates, convert = Rates(), currency is not None
        now = created_net(stores, first, last, statuses, country, target, convert, rates)
        then_net = created_net(stores, then_first, then_last, statuses, country, target, convert, rates)
    return OrdersComparison(then_first, then_last, count.value, now, then_net, target)

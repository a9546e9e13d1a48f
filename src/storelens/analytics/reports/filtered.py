"""The Sales page's product and country filters over one store or several, in the report's currency.

`cells.filtered_daily` answers one store in its orders' own amounts. A product belongs to one store (Storelens's own
product id says which, where WooCommerce ids collide between stores), so its filter reads that store only; a country
filter over all stores adds every store's days up. Amounts in another currency are converted at the day's ECB rate
when the view converts (`convert`), else added at face value as WooCommerce does and listed in `unconverted`, like
`summary.daily_in`.

Known limit: `filtered_daily` already adds a store's rare orders in another currency (a currency switcher's) into
the store's currency at face value, so a filtered view converts them as if they were in the store's currency; the
unfiltered view converts each order's own currency (its rollup cells keep it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.metrics.types import Totals
from storelens.analytics.reports.cells import filtered_daily
from storelens.analytics.reports.fx import Rates
from storelens.analytics.reports.summary import MONEY_FIELDS, rescale


def filtered_daily_in(
    stores: Sequence[Any],
    target: str,
    convert: bool,
    first: date,
    last: date,
    product_wc_id: int | None = None,
    country: str = "",
    statuses: Sequence[str] = (),
    unconverted: dict[str, int] | None = None,
    rates: Rates | None = None,
) -> dict[date, Totals]:
    """Per local day, the filtered totals of `stores` in `target` (see the module's docstring)."""
    rates = rates or Rates()
    out: dict[date, Totals] = {}
    for store in stores:
        source = (store.currency or target).upper()
        days = filtered_daily(store, report_settings(store), first, last, product_wc_id, country, statuses)
        for day, totals in days.items():
            if source != target:
                for name in MONEY_FIELDS:
                    value = getattr(totals, name)
                    setattr(
                        totals,
                        name,
                        rates.convert_minor(value, source, target, day) if convert else rescale(value, source, target),
                    )
                if not convert and unconverted is not None:
                    unconverted[source] = unconverted.get(source, 0) + totals.orders
            out.setdefault(day, Totals()).add(totals)
    return out

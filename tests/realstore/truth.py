"""The truth a real store's own database gives for what `storelens report` and the API summary show.

Figures come from WooCommerce Analytics' own per-object table, `wc_order_stats`: one row per order (`parent_id` 0)
and one per refund (`parent_id` = its order, amounts negative), written by WooCommerce's Analytics import. Run the
store's Action Scheduler queue first (`RealStore.run_queue()`): the import is a queued action, so the table lags
behind every change until the queue has run.

Which rows count follows the store's Analytics settings (`woocommerce_date_type`, `woocommerce_excluded_report_order_
statuses`, read from `wp_options`) or an override, as Storelens's definitions say (`storelens.analytics.
metrics`): an order counts when its status is not excluded (nor trash, auto-draft, checkout-draft), it still
exists in the orders table and it has a date on the basis; it falls on the local day of that date. A refund falls on
its own creation day and counts when its order counts.

Two things come from the orders table (`wc_orders`), not from `wc_order_stats`, and why:
- **status and existence**: `wc_order_stats.status` is a copy taken when the import last ran. A refund's row keeps
  the status its order had when the refund was imported, and an edit that bypasses WooCommerce's API (a status
  changed in SQL) never reaches the table. Trashed orders keep their row (status `trash` only after a re-import).
  The order's current status in `wc_orders` decides, for the order and its refunds; `analytics_lag()` lists
  every row where the two disagree, so a test can say which figure WooCommerce's own Analytics screen would show.
- nothing else: dates (`date_created`, `date_paid`, `date_completed` are the store's local wall clock in
  `wc_order_stats`; a refund's `date_paid` is its `date_created`) and money come from `wc_order_stats`.

What `wc_order_stats` says about refunds, measured on WooCommerce 11.0.1 (the seed's `refunds_by_kind` has each case):
- a refund with lines: `tax_total`/`shipping_total` are the refund's own (negative) line sums, `net_total` =
  total − tax − shipping, `num_items_sold` = Σ refunded quantities (negative);
- an amount-only partial refund: tax and shipping 0, net = −amount, items 0;
- a refund WooCommerce marks `_refund_type = full` (it fully refunds the order: an amount-only "refund everything",
  the automatic refund of an order set to Refunded, or the *last* of several refunds) takes the **order's** tax,
  shipping, net and items, negated, whatever the refund's lines say. For a last refund after a partial one that
  counts the earlier part twice: net + tax + shipping ≠ total_sales on that row (seed case `partial_then_rest`).
`refunds` here is WooCommerce's own column, ABS(Σ net + tax + shipping) over rows with negative net;
`refund_amounts` is Σ of the refunds' amounts (−total_sales). They differ only on such rows.

Money in `wc_order_stats` is a MariaDB DOUBLE (`net_total` = total − tax − shipping computed in PHP floats, with
binary noise): each row is rounded half-up to the currency's minor unit before summing, as Storelens stores minor
units per order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

Sql = Callable[[str], list[dict[str, Any]]]

ALWAYS_EXCLUDED = frozenset({"trash", "auto-draft", "checkout-draft"})
DEFAULT_EXCLUDED = ("pending", "failed", "cancelled")
DATE_COLUMN = {"created": "date_created", "paid": "date_paid", "completed": "date_completed"}
ZERO_DECIMAL_CURRENCIES = frozenset({"JPY", "KRW", "VND", "CLP", "ISK", "HUF", "TWD", "UGX", "XAF", "XOF"})


@dataclass(frozen=True)
class StatsRow:
    """One `wc_order_stats` row; money as exact decimals of the stored doubles, dates as the store's wall clock."""

    order_id: int
    parent_id: int
    date_created: datetime
    date_paid: datetime | None
    date_completed: datetime | None
    status: str
    num_items_sold: int
    total_sales: Decimal
    tax_total: Decimal
    shipping_total: Decimal
    net_total: Decimal

    @property
    def is_refund(self) -> bool:
        return self.parent_id != 0


@dataclass(frozen=True)
class Settings:
    """The store's Analytics settings: basis `created`/`paid`/`completed`, excluded statuses, currency."""

    date_basis: str = "paid"
    excluded_statuses: frozenset[str] = frozenset(DEFAULT_EXCLUDED)
    currency: str = "USD"

    @property
    def all_excluded(self) -> frozenset[str]:
        return self.excluded_statuses | ALWAYS_EXCLUDED


@dataclass
class DayTotals:
    """What the report shows per day and in total, in minor units (counts as counts)."""

    orders: int = 0
    net_sales: int = 0
    total_sales: int = 0
    taxes: int = 0
    shipping: int = 0
    refunds: int = 0
    refund_amounts: int = 0
    items_sold: int = 0

    def add(self, other: DayTotals) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class Truth:
    settings: Settings
    daily: dict[date, DayTotals] = field(default_factory=dict)
    total: DayTotals = field(default_factory=DayTotals)


# --- pure parts -------------------------------------------------------------------------------------------------


def php_string_list(serialized: str | None) -> list[str] | None:
    """The strings of a PHP-serialized array (`a:2:{i:0;s:7:"pending";…}`) as `get_option` stores a list; None when
    the option is absent. Byte lengths are honoured, so a status with a quote or non-ASCII text parses."""
    if serialized is None:
        return None
    if not serialized.startswith("a:"):
        raise ValueError(f"not a serialized PHP array: {serialized[:60]!r}")
    raw = serialized.encode()
    out: list[str] = []
    for match in re.finditer(rb'i:\d+;s:(\d+):"', raw):
        start = match.end()
        out.append(raw[start : start + int(match.group(1))].decode())
    return out


def settings_from_options(options: Mapping[str, str | None]) -> Settings:
    """Settings as WooCommerce reads them: `date_paid` and pending/failed/cancelled when the options are absent."""
    date_type = options.get("woocommerce_date_type") or "date_paid"
    basis = date_type.removeprefix("date_")
    if basis not in DATE_COLUMN:
        raise ValueError(f"woocommerce_date_type {date_type!r} is not date_created, date_paid or date_completed")
    excluded = php_string_list(options.get("woocommerce_excluded_report_order_statuses"))
    return Settings(
        date_basis=basis,
        excluded_statuses=frozenset(DEFAULT_EXCLUDED if excluded is None else excluded),
        currency=options.get("woocommerce_currency") or "USD",
    )


def override(settings: Settings, date_basis: str | None = None, excluded: Iterable[str] | None = None) -> Settings:
    """The store's settings with `--date-basis` / `--exclude-statuses` as the report command takes them."""
    return Settings(
        date_basis=date_basis or settings.date_basis,
        excluded_statuses=settings.excluded_statuses if excluded is None else frozenset(excluded),
        currency=settings.currency,
    )


def minor(amount: Decimal, currency: str) -> int:
    """A stored double (as an exact decimal) in minor units, half-up."""
    exponent = 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2
    return int((amount * 10**exponent).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def basis_date(row: StatsRow, basis: str) -> datetime | None:
    return getattr(row, DATE_COLUMN[basis])


def row_totals(row: StatsRow, currency: str) -> DayTotals:
    """What one row adds: an order adds itself; a refund adds its negative sales, WooCommerce's `refunds`
    (−(net + tax + shipping) when its net is negative, as Analytics sums them) and its amount (−total_sales)."""
    net, tax, shipping = (minor(v, currency) for v in (row.net_total, row.tax_total, row.shipping_total))
    return DayTotals(
        orders=0 if row.is_refund else 1,
        net_sales=net,
        total_sales=minor(row.total_sales, currency),
        taxes=tax,
        shipping=shipping,
        refunds=-(net + tax + shipping) if row.is_refund and row.net_total < 0 else 0,
        refund_amounts=-minor(row.total_sales, currency) if row.is_refund else 0,
        items_sold=row.num_items_sold,
    )


def compute(
    rows: Iterable[StatsRow],
    current_status: Mapping[int, str],
    settings: Settings,
    first: date | None = None,
    last: date | None = None,
) -> Truth:
    """Per local day and in total. `current_status` maps every order still in `wc_orders` to its status there
    (without `wc-`); an order missing from it was deleted. `first`/`last` bound the days, both included."""
    rows = list(rows)
    counted: set[int] = set()
    for row in rows:
        if row.is_refund:
            continue
        status = current_status.get(row.order_id)
        if status is not None and status not in settings.all_excluded and basis_date(row, settings.date_basis):
            counted.add(row.order_id)
    truth = Truth(settings=settings)
    for row in rows:
        if (row.parent_id if row.is_refund else row.order_id) not in counted:
            continue
        when = row.date_created if row.is_refund else basis_date(row, settings.date_basis)
        assert when is not None
        day = when.date()
        if (first and day < first) or (last and day > last):
            continue
        t = row_totals(row, settings.currency)
        truth.daily.setdefault(day, DayTotals()).add(t)
        truth.total.add(t)
    return truth


def as_report_json(totals: DayTotals, currency: str) -> dict[str, Any]:
    """The keys `storelens report --json` prints for these figures, money as decimal strings."""
    exponent = 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2

    def money(value: int) -> str:
        return str(Decimal(value).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent)))

    return {
        "orders": totals.orders,
        "net_sales": money(totals.net_sales),
        "total_sales": money(totals.total_sales),
        "taxes": money(totals.taxes),
        "shipping": money(totals.shipping),
        "refunds": money(totals.refunds),
        "refund_amounts": money(totals.refund_amounts),
        "items_sold": totals.items_sold,
    }


# --- reading the store ------------------------------------------------------------------------------------------


def _when(value: str | None) -> datetime | None:
    if value in (None, "", "0000-00-00 00:00:00"):
        return None
    return datetime.fromisoformat(value)


def parse_stats_row(raw: Mapping[str, Any]) -> StatsRow:
    created = _when(raw["date_created"])
    assert created is not None, f"wc_order_stats row {raw['order_id']} has no date_created"
    return StatsRow(
        order_id=int(raw["order_id"]),
        parent_id=int(raw["parent_id"]),
        date_created=created,
        date_paid=_when(raw["date_paid"]),
        date_completed=_when(raw["date_completed"]),
        status=str(raw["status"]).removeprefix("wc-"),
        num_items_sold=int(raw["num_items_sold"]),
        total_sales=Decimal(str(raw["total_sales"])),
        tax_total=Decimal(str(raw["tax_total"])),
        shipping_total=Decimal(str(raw["shipping_total"])),
        net_total=Decimal(str(raw["net_total"])),
    )


def read_settings(sql: Sql, prefix: str = "wp_") -> Settings:
    names = ("woocommerce_date_type", "woocommerce_excluded_report_order_statuses", "woocommerce_currency")
    quoted = ", ".join(f"'{n}'" for n in names)
    rows = sql(f"SELECT option_name, option_value FROM {prefix}options WHERE option_name IN ({quoted})")
    return settings_from_options({r["option_name"]: r["option_value"] for r in rows})


def read_stats(sql: Sql, prefix: str = "wp_") -> list[StatsRow]:
    # CAST … AS CHAR gives the double's shortest round-trip text (17 significant digits at most), not a rounded one.
    columns = (
        "order_id, parent_id, date_created, date_paid, date_completed, status, num_items_sold, "
        "CAST(total_sales AS CHAR) AS total_sales, CAST(tax_total AS CHAR) AS tax_total, "
        "CAST(shipping_total AS CHAR) AS shipping_total, CAST(net_total AS CHAR) AS net_total"
    )
    return [parse_stats_row(r) for r in sql(f"SELECT {columns} FROM {prefix}wc_order_stats ORDER BY order_id")]


def read_current_status(sql: Sql, prefix: str = "wp_") -> dict[int, str]:
    rows = sql(f"SELECT id, status FROM {prefix}wc_orders WHERE type = 'shop_order'")
    return {int(r["id"]): str(r["status"]).removeprefix("wc-") for r in rows}


def truth(
    sql: Sql,
    date_basis: str | None = None,
    excluded: Iterable[str] | None = None,
    first: date | None = None,
    last: date | None = None,
    prefix: str = "wp_",
) -> Truth:
    """The truth of a store (whose queue has run) on its own settings or with overrides."""
    settings = override(read_settings(sql, prefix), date_basis, excluded)
    return compute(read_stats(sql, prefix), read_current_status(sql, prefix), settings, first, last)


def analytics_lag(sql: Sql, prefix: str = "wp_") -> list[dict[str, Any]]:
    """Rows where `wc_order_stats` disagrees with the orders table on status or existence: for an order, its own
    row; for a refund, the status copied from its order. `current` is None for an order deleted from `wc_orders`."""
    current = read_current_status(sql, prefix)
    out = []
    for row in read_stats(sql, prefix):
        order_id = row.parent_id if row.is_refund else row.order_id
        now = current.get(order_id)
        if now != row.status:
            out.append(
                {"row": row.order_id, "order": order_id, "refund": row.is_refund, "stats": row.status, "current": now}
            )
    return out

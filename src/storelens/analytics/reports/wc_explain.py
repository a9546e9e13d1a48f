"""Why Storelens's figures differ from WooCommerce Analytics' for a store and range, explained order by order.

Pure: the caller fetches WooCommerce's figures (`storelens.woocommerce.analytics_reports`, from the doctor side) and
hands them in with Storelens's rows; nothing here talks HTTP. Every difference is attributed to the order or refund
that makes it, with the reason read from how WooCommerce 11 builds its Revenue report (`Admin/API/Reports/Orders/
Stats/DataStore.php`) over its lookup table `wc_order_stats`:

- the table's `status` is a copy taken by the Analytics import, which runs on the Action Scheduler queue some
  seconds (or, on a stuck queue, days) after a change: an order whose status changed since is counted there with
  its old status (`status_lag`), and an order or refund not imported yet is not there at all (`not_imported`);
  amounts edited since the last import differ the same way (`amounts_lag`);
- trashed and permanently deleted orders keep their rows until re-imported or cleaned up (`trashed`, `deleted`);
- an order dated differently there (another date on the basis) falls outside the range on one side (`dated`);
- gross sales there are `total − tax − shipping + coupons` per order, which counts fees; Storelens's are the line
  subtotals (`gross_counts_fees`, to the cent: the two differ by exactly the order's fee lines);
- an order with a negative net (a large negative fee) counts in WooCommerce's Refunds (`CASE WHEN net_total < 0`),
  never in Storelens's (`negative_net_as_refund`).

Per row, WooCommerce's figures are the row's own `net_total`, `total_sales` and `num_items_sold`; its tax, shipping
and coupons are not in the Orders report, so they are taken from the same order as Storelens holds it when the
row's amounts agree (else tax + shipping = total − net is shown under taxes and the row says so). What no row
explains is reported as `unexplained`, never hidden: the sum of the explained differences plus the unexplained rest
is WooCommerce's figure minus Storelens's, for every figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from storelens.analytics.metrics.orders import order_date, order_totals, refund_totals
from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.metrics.timezones import local_day, local_time
from storelens.analytics.metrics.types import OrderRow, RefundRow, Totals
from storelens.commerce.money import decimal_string, to_minor

# Storelens's figure → WooCommerce's Revenue report total, and what the owner reads on either screen.
FIGURES: tuple[tuple[str, str, str], ...] = (
    ("orders", "orders_count", "Orders"),
    ("net_sales", "net_revenue", "Net sales"),
    ("total_sales", "total_sales", "Total sales"),
    ("gross_sales", "gross_sales", "Gross sales"),
    ("coupons", "coupons", "Coupons"),
    ("refunds", "refunds", "Refunds"),
    ("taxes", "taxes", "Taxes"),
    ("shipping", "shipping", "Shipping"),
    ("items_sold", "num_items_sold", "Items sold"),
)
COUNTS = frozenset({"orders", "items_sold"})
# The order an owner reads the reasons in: what moves orders and sales first, the definitional gross-sales gap last.
REASON_ORDER = (
    "status_lag",
    "not_imported",
    "amounts_lag",
    "trashed",
    "deleted",
    "not_synced",
    "dated",
    "negative_net_as_refund",
    "gross_counts_fees",
)


@dataclass(frozen=True)
class WcRow:
    """One WooCommerce Analytics row (`reports/orders`), money already in minor units."""

    id: int  # the order's id, or the refund's
    parent_id: int  # 0 for an order, the order's id for a refund
    status: str
    date: str
    net_total: int
    total_sales: int
    items: int

    @property
    def is_refund(self) -> bool:
        return self.parent_id != 0


@dataclass
class RowDifference:
    """What one order or refund adds to WooCommerce's figures minus Storelens's, and why."""

    kind: str  # "order" or "refund"
    id: int
    order_id: int
    reason: str
    text: str
    woocommerce_status: str | None
    storelens_status: str | None
    differences: dict[str, int] = field(default_factory=dict)  # figure → WooCommerce − Storelens (minor units)


@dataclass
class FigureComparison:
    name: str
    label: str
    woocommerce: int
    storelens: int
    explained: int

    @property
    def difference(self) -> int:
        return self.woocommerce - self.storelens

    @property
    def unexplained(self) -> int:
        return self.difference - self.explained


@dataclass
class Explanation:
    currency: str
    first: date
    last: date
    date_basis: str
    excluded_statuses: tuple[str, ...]
    figures: list[FigureComparison]
    rows: list[RowDifference]

    @property
    def fully_explained(self) -> bool:
        return all(f.unexplained == 0 for f in self.figures)

    def amount(self, name: str, value: int) -> str | int:
        return value if name in COUNTS else decimal_string(value, self.currency)

    def as_json(self) -> dict[str, Any]:
        """What `storelens explain --json` prints: money as decimal strings in the store's currency."""
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "currency": self.currency,
            "date_basis": self.date_basis,
            "excluded_statuses": list(self.excluded_statuses),
            "fully_explained": self.fully_explained,
            "figures": [
                {
                    "figure": f.name,
                    "label": f.label,
                    "woocommerce": self.amount(f.name, f.woocommerce),
                    "storelens": self.amount(f.name, f.storelens),
                    "difference": self.amount(f.name, f.difference),
                    "explained": self.amount(f.name, f.explained),
                    "unexplained": self.amount(f.name, f.unexplained),
                }
                for f in self.figures
            ],
            "orders": [
                {
                    "kind": r.kind,
                    "id": r.id,
                    "order_id": r.order_id,
                    "reason": r.reason,
                    "text": r.text,
                    "woocommerce_status": r.woocommerce_status,
                    "storelens_status": r.storelens_status,
                    "differences": {k: self.amount(k, v) for k, v in r.differences.items()},
                }
                for r in self.rows
            ],
        }


def wc_rows_in(rows: Iterable[Any], currency: str) -> list[WcRow]:
    """`woocommerce.analytics_reports.AnalyticsRow`s in minor units, each row rounded half-up on its own as
    Storelens rounds each order (WooCommerce keeps binary-noisy doubles)."""
    return [
        WcRow(
            id=r.order_id,
            parent_id=r.parent_id,
            status=r.status,
            date=r.date,
            net_total=to_minor(r.net_total, currency),
            total_sales=to_minor(r.total_sales, currency),
            items=r.num_items_sold,
        )
        for r in rows
    ]


def wc_totals_in(totals: Mapping[str, Decimal], currency: str) -> dict[str, int]:
    """The Revenue report's totals in minor units, keyed by Storelens's figure names."""
    out: dict[str, int] = {}
    for name, wc_name, _ in FIGURES:
        value = totals.get(wc_name, Decimal(0))
        out[name] = int(value) if name in COUNTS else to_minor(value, currency)
    return out


def _day_in(when: datetime | None, settings: ReportSettings, first: date, last: date) -> bool:
    return when is not None and first <= local_day(when, settings.tz) <= last


def _stamp(when: datetime | None, settings: ReportSettings) -> str:
    return "none" if when is None else local_time(when, settings.tz).strftime("%Y-%m-%d %H:%M")


@dataclass
class _Side:
    """Storelens's rows as the explanation reads them."""

    orders: dict[int, OrderRow]
    refunds: dict[int, RefundRow]
    settings: ReportSettings
    first: date
    last: date
    gone: frozenset[int] = frozenset()  # orders the store says it no longer has (Storelens may never have seen them)

    def order_counted(self, order: OrderRow) -> bool:
        return (
            not order.deleted
            and order.status not in self.settings.all_excluded
            and _day_in(order_date(order, self.settings.date_basis), self.settings, self.first, self.last)
        )

    def refund_counted(self, refund: RefundRow) -> bool:
        order = self.orders.get(refund.order_id)
        return (
            not refund.deleted
            and order is not None
            and not order.deleted
            and order.status not in self.settings.all_excluded
            and order_date(order, self.settings.date_basis) is not None
            and _day_in(refund.created_at, self.settings, self.first, self.last)
        )

    def totals_of(self, kind: str, row_id: int) -> Totals | None:
        """What the row adds in Storelens whatever its status and date (None when Storelens has no such row)."""
        if kind == "order":
            order = self.orders.get(row_id)
            return None if order is None else order_totals(order)
        refund = self.refunds.get(row_id)
        if refund is None:
            return None
        return refund_totals(refund, self.orders.get(refund.order_id))

    def counted(self, kind: str, row_id: int) -> bool:
        if kind == "order":
            order = self.orders.get(row_id)
            return order is not None and self.order_counted(order)
        refund = self.refunds.get(row_id)
        return refund is not None and self.refund_counted(refund)

    def status(self, kind: str, row_id: int, parent_id: int = -1) -> str | None:
        """The order's status now ("deleted" once gone from the store); a refund's is its order's."""
        if kind == "refund":
            refund = self.refunds.get(row_id)
            row_id = refund.order_id if refund is not None else parent_id
        order = self.orders.get(row_id)
        if order is None:
            return "deleted" if row_id in self.gone else None
        return "deleted" if order.deleted else order.status


def _wc_figures(row: WcRow, mine: Totals | None) -> tuple[dict[str, int], bool]:
    """The row's figures as WooCommerce counts them; False when tax and shipping could not be split exactly."""
    net, total = row.net_total, row.total_sales
    same = mine is not None and mine.net_sales == net and mine.total_sales == total
    tax = mine.taxes if same and mine is not None else total - net
    shipping = mine.shipping if same and mine is not None else 0
    figures = {"net_sales": net, "total_sales": total, "taxes": tax, "shipping": shipping, "items_sold": row.items}
    figures["refunds"] = -(net + tax + shipping) if net < 0 else 0
    if not row.is_refund:
        coupons = mine.coupons if mine is not None else 0
        figures.update(orders=1, coupons=coupons, gross_sales=total - tax - shipping + coupons)
    return figures, same or mine is None


def _mine_figures(totals: Totals) -> dict[str, int]:
    return {name: getattr(totals, name) for name, _, _ in FIGURES}


def _why(
    kind: str, row_id: int, wc: WcRow | None, stale: WcRow | None, side: _Side, diffs: dict[str, int]
) -> tuple[str, str]:
    """The reason code and the sentence an owner reads for one row's difference."""
    what = f"{'Refund' if kind == 'refund' else 'Order'} #{row_id}"
    mine_status = side.status(kind, row_id, wc.parent_id if wc is not None else -1)
    if wc is not None and side.counted(kind, row_id):
        if wc.status != mine_status:
            return "status_lag", (
                f"{what}: WooCommerce Analytics still has it as {wc.status!r}; it is {mine_status!r} now "
                "(its Analytics import has not run since the change). Both count it, with different amounts."
            )
        if set(diffs) <= {"gross_sales"}:
            return "gross_counts_fees", (
                f"{what}: WooCommerce's gross sales are total − tax − shipping + coupons, which counts the order's "
                "fees; Storelens's are its line subtotals."
            )
        if set(diffs) <= {"refunds"}:
            return "negative_net_as_refund", f"{what}: its net is negative, which WooCommerce counts as a refund."
        return "amounts_lag", (
            f"{what}: WooCommerce Analytics holds amounts from before the order's last change (not re-imported)."
        )
    if wc is not None:  # counted there only
        if mine_status is None:
            return "not_synced", f"{what}: not in Storelens yet (the next sync pass will bring it)."
        if mine_status == "deleted":
            whose = f"its order #{wc.parent_id}" if wc.is_refund else "it"
            return "deleted", (
                f"{what}: {whose} was deleted from the store; WooCommerce Analytics still counts the row it "
                f"imported ({wc.status!r})."
            )
        if mine_status == "trash":
            return "trashed", (
                f"{what} is in the trash now ('trash'); WooCommerce Analytics still counts it as {wc.status!r}."
            )
        if wc.status != mine_status:
            return "status_lag", (
                f"{what}: WooCommerce Analytics still has it as {wc.status!r} (counted); it is {mine_status!r} now, "
                "which is not counted. Its Analytics import has not run since the status changed."
            )
        return "dated", f"{what}: WooCommerce dates it {wc.date}, which Storelens places outside the range."
    # counted by Storelens only
    if stale is not None:
        return "status_lag", (
            f"{what}: WooCommerce Analytics still has it as {stale.status!r} (not counted); it is {mine_status!r} "
            "now, which is counted. Its Analytics import has not run since the status changed."
        )
    return "not_imported", f"{what} ({mine_status}) is not in WooCommerce Analytics yet: its import has not run."


def explain(
    *,
    currency: str,
    first: date,
    last: date,
    settings: ReportSettings,
    wc_totals: Mapping[str, int],
    wc_rows: Iterable[WcRow],
    storelens_totals: Totals,
    orders: Iterable[OrderRow],
    refunds: Iterable[RefundRow],
    stale_rows: Iterable[WcRow] = (),
    deleted_orders: Iterable[int] = (),
) -> Explanation:
    """Every figure side by side and every order or refund that makes them differ.

    `wc_rows` are the rows WooCommerce Analytics counts in the range; `stale_rows` the rows it holds with a status it
    does not count (looked up for the rows Storelens counts and it does not); `deleted_orders` the orders the store
    answered 404 for; `storelens_totals` what Storelens's report shows (its rollups)."""
    side = _Side(
        {o.id: o for o in orders}, {r.id: r for r in refunds}, settings, first, last, frozenset(deleted_orders)
    )
    theirs = {("refund" if r.is_refund else "order", r.id): r for r in wc_rows}
    stale = {("refund" if r.is_refund else "order", r.id): r for r in stale_rows}
    keys = set(theirs)
    keys.update(("order", o.id) for o in side.orders.values() if side.order_counted(o))
    keys.update(("refund", r.id) for r in side.refunds.values() if side.refund_counted(r))

    explained = dict.fromkeys((name for name, _, _ in FIGURES), 0)
    rows: list[RowDifference] = []
    for kind, row_id in sorted(keys, key=lambda k: (k[1], k[0])):
        mine_totals = side.totals_of(kind, row_id)
        mine = _mine_figures(mine_totals) if mine_totals is not None and side.counted(kind, row_id) else {}
        wc = theirs.get((kind, row_id))
        wc_figures, split_known = _wc_figures(wc, mine_totals) if wc is not None else ({}, True)
        diffs = {
            name: wc_figures.get(name, 0) - mine.get(name, 0)
            for name, _, _ in FIGURES
            if wc_figures.get(name, 0) != mine.get(name, 0)
        }
        if not diffs:
            continue
        reason, text = _why(kind, row_id, wc, stale.get((kind, row_id)), side, diffs)
        if not split_known:
            text += " (Its tax and shipping are not in WooCommerce's Orders report: shown together under taxes.)"
        for name, value in diffs.items():
            explained[name] += value
        order_id = row_id if kind == "order" else (wc.parent_id if wc is not None else side.refunds[row_id].order_id)
        wc_status = wc.status if wc is not None else (stale[(kind, row_id)].status if (kind, row_id) in stale else None)
        mine_status = side.status(kind, row_id, order_id)
        rows.append(RowDifference(kind, row_id, order_id, reason, text, wc_status, mine_status, diffs))

    rows.sort(key=lambda r: (REASON_ORDER.index(r.reason) if r.reason in REASON_ORDER else len(REASON_ORDER), r.id))
    figures = [
        FigureComparison(name, label, wc_totals.get(name, 0), getattr(storelens_totals, name), explained[name])
        for name, _, label in FIGURES
    ]
    return Explanation(
        currency=currency,
        first=first,
        last=last,
        date_basis=str(settings.date_basis.value),
        excluded_statuses=tuple(sorted(settings.excluded_statuses)),
        figures=figures,
        rows=rows,
    )

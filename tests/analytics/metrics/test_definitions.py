"""Each metric against numbers worked out by hand (comments show the arithmetic), in a New York store."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from storelens.analytics.metrics.orders import order_day, order_gross_sales, refund_net_sales, refund_totals
from storelens.analytics.metrics.ranges import (
    aov,
    coupons,
    gross_sales,
    items_sold,
    net_sales,
    new_and_returning,
    orders_count,
    range_totals,
    refunds_total,
    taxes,
    total_sales,
)
from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.metrics.timezones import range_bounds_utc
from storelens.analytics.metrics.types import OrderRow, RefundRow
from storelens.stores.reporting import DateBasis
from storelens.stores.zones import store_timezone

NY = store_timezone("America/New_York", Decimal("-5"))
PAID = ReportSettings(tz=NY)
CREATED = ReportSettings(tz=NY, date_basis=DateBasis.CREATED)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def order(id: int, paid: str | None, status: str = "completed", currency: str = "USD", **kw: object) -> OrderRow:
    created = kw.pop("created", None) or paid or "2025-01-01T12:00:00"
    fields = {"total": 11000, "total_tax": 1000, "shipping_total": 0, "subtotal": 10000, "items_count": 1}
    fields.update(kw)  # type: ignore[arg-type]
    return OrderRow(
        id=id,
        status=status,
        currency=currency,
        created_at=utc(str(created)),
        paid_at=utc(paid) if paid else None,
        **fields,  # type: ignore[arg-type]
    )


D = date.fromisoformat


def test_order_just_before_midnight_new_york_falls_on_the_previous_local_day() -> None:
    # 04:59:59 UTC on 1 March is 23:59:59 EST on 28 February; one second later it is 1 March.
    late = order(1, "2025-03-01T04:59:59")
    early = order(2, "2025-03-01T05:00:00")
    assert orders_count([late, early], [], PAID, D("2025-02-28"), D("2025-02-28")) == 1
    assert orders_count([late, early], [], PAID, D("2025-03-01"), D("2025-03-01")) == 1
    assert net_sales([late, early], [], PAID, D("2025-02-28"), D("2025-03-01")) == 20000  # 2 × (110 − 10)


def test_after_spring_forward_the_day_starts_at_04_utc_not_05() -> None:
    # 2025-03-09 is 23 hours long in New York: from 10 March the zone is EDT (UTC−4), so 04:30 UTC is 00:30 on
    # 10 March. A store with a fixed −5 offset (no IANA zone) puts the same instant at 23:30 on 9 March.
    o = order(1, "2025-03-10T04:30:00")
    assert order_day(o, DateBasis.PAID, NY) == D("2025-03-10")
    fixed = ReportSettings(tz=store_timezone("", Decimal("-5")))
    assert order_day(o, DateBasis.PAID, fixed.tz) == D("2025-03-09")
    start, end = range_bounds_utc(D("2025-03-09"), D("2025-03-09"), NY)
    assert (start, end) == (utc("2025-03-09T05:00:00"), utc("2025-03-10T04:00:00"))  # 23 hours


def test_after_fall_back_the_day_starts_at_05_utc_again() -> None:
    # 2 November 2025 is 25 hours long; 04:30 UTC on 3 November is 23:30 EST on 2 November.
    o = order(1, "2025-11-03T04:30:00")
    assert order_day(o, DateBasis.PAID, NY) == D("2025-11-02")
    start, end = range_bounds_utc(D("2025-11-02"), D("2025-11-02"), NY)
    assert (end - start).total_seconds() == 25 * 3600


def test_fractional_gmt_offset_store() -> None:
    india = store_timezone("", Decimal("5.5"))
    assert order_day(order(1, "2025-03-01T18:29:59"), DateBasis.PAID, india) == D("2025-03-01")
    assert order_day(order(1, "2025-03-01T18:30:00"), DateBasis.PAID, india) == D("2025-03-02")


def test_partial_refund_on_a_later_day_reduces_net_on_the_refund_day_only() -> None:
    # Order paid 1 March: total 110.00 incl. 10.00 tax → net 100.00.
    # Refund on 5 March: 55.00 of which 5.00 tax → net −(55 − 5 − 0) = −50.00.
    o = order(1, "2025-03-01T15:00:00", items_count=2)
    r = RefundRow(id=9, order_id=1, created_at=utc("2025-03-05T15:00:00"), amount=5500, refunded_tax=500)
    assert net_sales([o], [r], PAID, D("2025-03-01"), D("2025-03-01")) == 10000
    assert net_sales([o], [r], PAID, D("2025-03-05"), D("2025-03-05")) == -5000
    assert net_sales([o], [r], PAID, D("2025-03-01"), D("2025-03-31")) == 5000
    assert orders_count([o], [r], PAID, D("2025-03-05"), D("2025-03-05")) == 0
    assert refunds_total([o], [r], PAID, D("2025-03-05"), D("2025-03-05")) == 5500
    assert total_sales([o], [r], PAID, D("2025-03-01"), D("2025-03-31")) == 11000 - 5500
    assert taxes([o], [r], PAID, D("2025-03-01"), D("2025-03-31")) == 1000 - 500
    assert items_sold([o], [r], PAID, D("2025-03-01"), D("2025-03-31")) == 2  # an amount-only refund keeps items
    assert gross_sales([o], [r], PAID, D("2025-03-01"), D("2025-03-31")) == 10000  # refunds leave gross alone


def test_refunded_quantities_come_off_items_sold_on_the_refund_day_like_wc_analytics() -> None:
    # 3 items paid on 1 March; one of them refunded on 5 March (WooCommerce: refund line quantity −1).
    o = order(1, "2025-03-01T15:00:00", items_count=3)
    r = RefundRow(id=9, order_id=1, created_at=utc("2025-03-05T15:00:00"), amount=1100, items=-1)
    assert items_sold([o], [r], PAID, D("2025-03-01"), D("2025-03-01")) == 3
    assert items_sold([o], [r], PAID, D("2025-03-05"), D("2025-03-05")) == -1
    assert items_sold([o], [r], PAID, D("2025-03-01"), D("2025-03-31")) == 2
    # The refund of an order that is not counted takes nothing off.
    cancelled = order(2, "2025-03-01T15:00:00", status="cancelled", items_count=3)
    r2 = RefundRow(id=10, order_id=2, created_at=utc("2025-03-05T15:00:00"), amount=1100, items=-1)
    assert items_sold([cancelled], [r2], PAID, D("2025-03-01"), D("2025-03-31")) == 0


def test_refund_with_shipping_keeps_shipping_out_of_net() -> None:
    # The dataset's refund 101: 9.60 item + 7.50 shipping + 4.99 fee = 22.09, no tax → net −(22.09 − 0 − 7.50).
    r = RefundRow(id=101, order_id=1, created_at=utc("2024-12-27T02:27:28"), amount=2209, refunded_shipping=750)
    assert refund_net_sales(r) == -1459
    assert refund_totals(r).shipping == -750


def test_the_refund_that_fully_refunds_an_order_takes_the_orders_own_figures_like_woocommerce_11() -> None:
    # Order: 110.00 = 90.00 net + 10.00 tax + 10.00 shipping, 3 items. Refunded by amount only, 110.00 at once:
    # WooCommerce 11 writes that refund's wc_order_stats row with the order's net, tax, shipping and items negated
    # (_refund_type = full), not −110 net and 0 tax.
    o = order(1, "2025-03-01T15:00:00", total=11000, total_tax=1000, shipping_total=1000, items_count=3)
    whole = RefundRow(id=9, order_id=1, created_at=utc("2025-03-05T15:00:00"), amount=11000, full=True)
    t = refund_totals(whole, o)
    assert (t.net_sales, t.taxes, t.shipping, t.items_sold, t.refunds, t.total_sales) == (
        -9000,
        -1000,
        -1000,
        -3,
        11000,
        -11000,
    )
    assert net_sales([o], [whole], PAID, D("2025-03-01"), D("2025-03-31")) == 0
    # The last refund after a partial one takes the whole order again, as WooCommerce's own figures do: 20.00 by
    # amount earlier (net −20.00), then the rest 90.00 marked full (net −90.00) → net −20.00 over the month.
    first = RefundRow(id=8, order_id=1, created_at=utc("2025-03-03T15:00:00"), amount=2000)
    rest = RefundRow(id=9, order_id=1, created_at=utc("2025-03-05T15:00:00"), amount=9000, full=True)
    assert net_sales([o], [first, rest], PAID, D("2025-03-01"), D("2025-03-31")) == 9000 - 2000 - 9000
    assert refunds_total([o], [first, rest], PAID, D("2025-03-01"), D("2025-03-31")) == 2000 + 11000


def test_refund_of_an_excluded_order_counts_nowhere() -> None:
    # A cancelled order and a pending (never paid) one, both refunded on 5 March: neither refund is counted.
    cancelled = order(1, "2025-03-01T15:00:00", status="cancelled")
    unpaid = order(2, None, status="on-hold", created="2025-03-01T15:00:00")
    refunds = [
        RefundRow(id=10, order_id=1, created_at=utc("2025-03-05T15:00:00"), amount=1000),
        RefundRow(id=11, order_id=2, created_at=utc("2025-03-05T15:00:00"), amount=2000),
    ]
    orders = [cancelled, unpaid]
    assert refunds_total(orders, refunds, PAID, D("2025-03-01"), D("2025-03-31")) == 0
    assert net_sales(orders, refunds, PAID, D("2025-03-01"), D("2025-03-31")) == 0
    # On the created basis the on-hold order counts, and so does its refund; the cancelled one still does not.
    assert refunds_total(orders, refunds, CREATED, D("2025-03-01"), D("2025-03-31")) == 2000
    assert orders_count(orders, refunds, CREATED, D("2025-03-01"), D("2025-03-31")) == 1


def test_always_excluded_statuses_stay_out_even_when_the_owner_excludes_nothing() -> None:
    everything = ReportSettings(tz=NY, excluded_statuses=frozenset())
    orders = [
        order(i, "2025-03-01T15:00:00", status=s) for i, s in enumerate(["checkout-draft", "trash", "auto-draft"])
    ]
    orders.append(order(9, "2025-03-01T15:00:00", status="cancelled"))
    assert orders_count(orders, [], everything, D("2025-03-01"), D("2025-03-01")) == 1
    assert orders_count(orders, [], PAID, D("2025-03-01"), D("2025-03-01")) == 0


def test_deleted_order_is_no_longer_counted() -> None:
    gone = OrderRow(
        id=1,
        status="completed",
        currency="USD",
        created_at=utc("2025-03-01T15:00:00"),
        paid_at=utc("2025-03-01T15:00:00"),
        total=500,
        deleted=True,
    )
    assert orders_count([gone], [], PAID, D("2025-03-01"), D("2025-03-01")) == 0


def test_two_currencies_are_kept_apart_when_a_currency_is_asked_for() -> None:
    usd = order(1, "2025-03-01T15:00:00", currency="USD")  # net 100.00 USD
    eur = order(2, "2025-03-01T16:00:00", currency="EUR", total=5000, total_tax=0, subtotal=5000)  # net 50.00 EUR
    r = RefundRow(id=3, order_id=2, created_at=utc("2025-03-02T10:00:00"), amount=1000)  # −10.00 EUR
    args = ([usd, eur], [r], PAID, D("2025-03-01"), D("2025-03-02"))
    assert net_sales(*args, currency="USD") == 10000
    assert net_sales(*args, currency="EUR") == 4000
    assert refunds_total(*args, currency="USD") == 0
    # Without a currency the minor units add up unconverted, as WooCommerce Analytics does.
    assert net_sales(*args) == 14000


def test_aov_is_net_over_orders_rounded_half_up() -> None:
    # nets 100.00, 100.00 and 0.01 → 200.01 / 3 = 66.67
    orders = [
        order(1, "2025-03-01T15:00:00"),
        order(2, "2025-03-01T15:00:00"),
        order(3, "2025-03-01T15:00:00", total=1, total_tax=0),
    ]
    assert aov(orders, [], PAID, D("2025-03-01"), D("2025-03-01")) == 6667
    assert aov([], [], PAID, D("2025-03-01"), D("2025-03-01")) == 0


def test_new_and_returning_customers_by_first_counted_order_ever() -> None:
    orders = [
        order(1, "2025-02-10T15:00:00", customer_key="email:ann@x.org"),
        order(2, "2025-03-03T15:00:00", customer_key="email:ann@x.org"),  # returning in March
        order(3, "2025-03-04T15:00:00", customer_key="wc:7"),  # new in March
        order(4, "2025-03-05T15:00:00", customer_key="wc:7"),  # same customer: still one new
        order(5, "2025-01-05T15:00:00", status="failed", customer_key="wc:8"),  # failed: does not make wc:8 old
        order(6, "2025-03-06T15:00:00", customer_key="wc:8"),  # new in March
    ]
    assert new_and_returning(orders, PAID, D("2025-03-01"), D("2025-03-31")) == (2, 1)
    assert new_and_returning(orders, PAID, D("2025-02-01"), D("2025-02-28")) == (1, 0)


def test_owner_can_include_on_hold_and_choose_completed_basis() -> None:
    o = OrderRow(
        id=1,
        status="completed",
        currency="USD",
        created_at=utc("2025-03-01T15:00:00"),
        paid_at=utc("2025-03-02T15:00:00"),
        completed_at=utc("2025-03-04T15:00:00"),
        total=700,
    )
    completed = ReportSettings(tz=NY, date_basis=DateBasis.COMPLETED)
    assert orders_count([o], [], completed, D("2025-03-04"), D("2025-03-04")) == 1
    assert orders_count([o], [], PAID, D("2025-03-02"), D("2025-03-02")) == 1
    assert orders_count([o], [], CREATED, D("2025-03-01"), D("2025-03-01")) == 1


def test_total_sales_is_net_plus_taxes_plus_shipping_for_orders_and_refunds() -> None:
    o = order(1, "2025-03-01T15:00:00", total=12345, total_tax=1000, shipping_total=750, fee_total=499)
    r = RefundRow(
        id=2, order_id=1, created_at=utc("2025-03-02T15:00:00"), amount=3000, refunded_tax=200, refunded_shipping=750
    )
    t = range_totals([o], [r], PAID, D("2025-03-01"), D("2025-03-02"))
    assert t.total_sales == t.net_sales + t.taxes + t.shipping == 12345 - 3000


@pytest.mark.parametrize("name", ["Europe/Nowhere"])
def test_unknown_zone_says_what_to_do(name: str) -> None:
    with pytest.raises(ValueError, match="Settings → General"):
        store_timezone(name)


def test_gross_sales_is_the_line_subtotals_without_fees_so_it_differs_from_wc_revenue_report_by_fees() -> None:
    # total 113.00 = items 100.00 − coupon 10.00 + fee 3.00 + shipping 5.00 + tax 15.00; net = 113 − 15 − 5 = 93.00.
    # Our gross (issue 6) = Σ line subtotals = 100.00; WooCommerce Analytics' Revenue report would say
    # net + coupons = 103.00 (fees included): the difference is exactly the fee.
    o = order(
        1, "2025-03-01T15:00:00", total=11300, total_tax=1500, shipping_total=500, discount_total=1000, fee_total=300
    )
    assert order_gross_sales(o) == 10000
    assert gross_sales([o], [], PAID, D("2025-03-01"), D("2025-03-01")) == 10000
    net_plus_coupons = net_sales([o], [], PAID, D("2025-03-01"), D("2025-03-01")) + coupons(
        [o], [], PAID, D("2025-03-01"), D("2025-03-01")
    )
    assert net_plus_coupons - gross_sales([o], [], PAID, D("2025-03-01"), D("2025-03-01")) == o.fee_total

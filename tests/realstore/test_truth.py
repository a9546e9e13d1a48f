"""The truth module's pure parts: reading WooCommerce's options, which rows count, on which day, with what money."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from tests.realstore.truth import (
    DayTotals,
    Settings,
    StatsRow,
    as_report_json,
    compute,
    minor,
    override,
    parse_stats_row,
    php_string_list,
    settings_from_options,
)

EU_EXCLUDED = 'a:4:{i:0;s:7:"pending";i:1;s:6:"failed";i:2;s:9:"cancelled";i:3;s:7:"on-hold";}'


def order(
    oid: int, status: str, created: str, paid: str | None = None, net: str = "10", tax: str = "1.9", ship: str = "0"
) -> StatsRow:
    total = Decimal(net) + Decimal(tax) + Decimal(ship)
    return StatsRow(
        order_id=oid,
        parent_id=0,
        date_created=datetime.fromisoformat(created),
        date_paid=datetime.fromisoformat(paid) if paid else None,
        date_completed=None,
        status=status,
        num_items_sold=2,
        total_sales=total,
        tax_total=Decimal(tax),
        shipping_total=Decimal(ship),
        net_total=Decimal(net),
    )


def refund(rid: int, parent: int, created: str, net: str, tax: str = "0", items: int = 0) -> StatsRow:
    when = datetime.fromisoformat(created)
    return StatsRow(
        order_id=rid,
        parent_id=parent,
        date_created=when,
        date_paid=when,
        date_completed=when,
        status="completed",
        num_items_sold=items,
        total_sales=Decimal(net) + Decimal(tax),
        tax_total=Decimal(tax),
        shipping_total=Decimal(0),
        net_total=Decimal(net),
    )


def test_php_serialized_list_is_read_with_byte_lengths() -> None:
    assert php_string_list(EU_EXCLUDED) == ["pending", "failed", "cancelled", "on-hold"]
    assert php_string_list('a:1:{i:0;s:7:"ab"c-ü";}') == ['ab"c-ü']  # 7 bytes: ü is two
    assert php_string_list("a:0:{}") == []
    assert php_string_list(None) is None
    with pytest.raises(ValueError, match="not a serialized PHP array"):
        php_string_list("pending,failed")


def test_missing_options_mean_woocommerce_defaults() -> None:
    s = settings_from_options({})
    assert (s.date_basis, s.excluded_statuses, s.currency) == ("paid", {"pending", "failed", "cancelled"}, "USD")
    eu = settings_from_options(
        {
            "woocommerce_date_type": "date_created",
            "woocommerce_excluded_report_order_statuses": EU_EXCLUDED,
            "woocommerce_currency": "EUR",
        }
    )
    assert (eu.date_basis, "on-hold" in eu.excluded_statuses, eu.currency) == ("created", True, "EUR")
    # An empty list is a setting (count every status), not an absent option.
    assert settings_from_options({"woocommerce_excluded_report_order_statuses": "a:0:{}"}).excluded_statuses == set()
    with pytest.raises(ValueError, match="date_created, date_paid or date_completed"):
        settings_from_options({"woocommerce_date_type": "date_shipped"})


def test_override_replaces_only_what_is_given() -> None:
    base = Settings(date_basis="created", excluded_statuses=frozenset({"on-hold"}), currency="EUR")
    assert override(base) == base
    assert override(base, date_basis="paid").excluded_statuses == {"on-hold"}
    assert override(base, excluded=[]).excluded_statuses == set()


def test_stored_doubles_round_half_up_to_minor_units() -> None:
    assert minor(Decimal("16.798319327731093"), "EUR") == 1680
    assert minor(Decimal("-0.005"), "EUR") == -1  # half away from zero, as for positive amounts
    assert minor(Decimal("179943.71000000003"), "USD") == 17994371
    assert minor(Decimal("1234.5"), "JPY") == 1235


def test_unpaid_orders_are_absent_on_the_paid_basis_and_counted_on_created() -> None:
    rows = [order(1, "on-hold", "2026-03-01 10:00:00"), order(2, "completed", "2026-03-01 11:00", "2026-03-02 00:00")]
    status = {1: "on-hold", 2: "completed"}
    paid = compute(rows, status, Settings(date_basis="paid"))
    assert paid.total.orders == 1 and list(paid.daily) == [date(2026, 3, 2)]
    created = compute(rows, status, Settings(date_basis="created"))
    assert created.total.orders == 2 and created.daily[date(2026, 3, 1)].orders == 2


def test_status_and_existence_come_from_the_orders_table_not_the_stats_copy() -> None:
    rows = [order(1, "completed", "2026-01-05 09:00", "2026-01-05 09:00"), order(2, "completed", "2026-01-05 09:00")]
    rows.append(refund(3, 1, "2026-01-09 12:00", net="-4", tax="-0.76"))
    # Order 1 was cancelled in SQL (its stats row still says completed); order 2 was deleted.
    t = compute(rows, {1: "cancelled"}, Settings(date_basis="created"))
    assert t.total == DayTotals() and t.daily == {}
    t = compute(rows, {1: "trash", 2: "completed"}, Settings(date_basis="created"))
    assert t.total.orders == 1 and t.total.refunds == 0


def test_refund_falls_on_its_own_day_with_negative_sales_and_positive_refunds() -> None:
    rows = [
        order(1, "completed", "2025-12-31 23:30:00", "2025-12-31 23:59:59", net="100", tax="19", ship="5"),
        refund(2, 1, "2026-01-03 08:00:00", net="-20", tax="-3.8", items=-1),
    ]
    t = compute(rows, {1: "refunded"}, Settings(date_basis="paid", excluded_statuses=frozenset()))
    assert t.daily[date(2025, 12, 31)] == DayTotals(
        orders=1, net_sales=10000, total_sales=12400, taxes=1900, shipping=500, items_sold=2
    )
    assert t.daily[date(2026, 1, 3)] == DayTotals(
        net_sales=-2000, total_sales=-2380, taxes=-380, refunds=2380, refund_amounts=2380, items_sold=-1
    )
    assert as_report_json(t.total, "EUR") == {
        "orders": 1,
        "net_sales": "80.00",
        "total_sales": "100.20",
        "taxes": "15.20",
        "shipping": "5.00",
        "refunds": "23.80",
        "refund_amounts": "23.80",
        "items_sold": 1,
    }


def test_a_full_type_refund_after_a_partial_one_counts_as_woocommerce_analytics_counts_it() -> None:
    """Measured: the last refund of an order (`_refund_type` full) carries the order's whole net, tax and shipping
    although its amount is only the rest; WooCommerce's `refunds` then exceeds what was paid back."""
    rows = [
        order(1, "refunded", "2026-05-01 10:00", "2026-05-01 10:00", net="57.46", tax="0", ship="6.90"),
        refund(2, 1, "2026-05-03 10:00", net="-10.92", items=-1),
        StatsRow(
            3,
            1,
            datetime(2026, 5, 5),
            datetime(2026, 5, 5),
            datetime(2026, 5, 5),
            "refunded",
            -3,
            Decimal("-53.44"),
            Decimal(0),
            Decimal("-6.9"),
            Decimal("-57.46"),
        ),
    ]
    t = compute(rows, {1: "refunded"}, Settings(excluded_statuses=frozenset()))
    assert (t.total.refund_amounts, t.total.refunds) == (6436, 7528)
    assert t.total.net_sales == 5746 - 1092 - 5746  # what Analytics' net revenue shows: below zero
    # A refund whose net is not negative (only a negative fee given back) is no refund to WooCommerce's column.
    odd = compute([rows[0], refund(4, 1, "2026-05-06 10:00", net="0.5")], {1: "refunded"}, Settings())
    assert odd.total.refunds == 0 and odd.total.refund_amounts == -50


def test_range_bounds_are_local_days_both_included() -> None:
    rows = [order(i, "completed", f"2026-02-0{i} 00:00:00", f"2026-02-0{i} 00:00:00") for i in (1, 2, 3, 4)]
    t = compute(rows, dict.fromkeys((1, 2, 3, 4), "completed"), Settings(), date(2026, 2, 2), date(2026, 2, 3))
    assert sorted(t.daily) == [date(2026, 2, 2), date(2026, 2, 3)] and t.total.orders == 2


def test_a_stats_row_as_mariadb_prints_it() -> None:
    row = parse_stats_row(
        {
            "order_id": "41",
            "parent_id": "0",
            "date_created": "2026-03-29 01:59:59",
            "date_paid": None,
            "date_completed": "0000-00-00 00:00:00",
            "status": "wc-on-hold",
            "num_items_sold": "3",
            "total_sales": "23.8",
            "tax_total": "3.8",
            "shipping_total": "0",
            "net_total": "19.999999999999996",
        }
    )
    assert (row.status, row.date_paid, row.date_completed, row.is_refund) == ("on-hold", None, None, False)
    assert minor(row.net_total, "EUR") == 2000

"""Line amounts kept at the dp=4 precision the sync asks for, rounded only where a figure is reported.

Figures are worked out by hand: a tax-inclusive store selling at 30.00 incl. 21 % VAT keeps the line subtotal
unrounded, 30 / 1.21 = 24.79338…, which WooCommerce prints as "24.7934" at dp=4.
"""

from __future__ import annotations

from typing import Any

import pytest

from storelens import commerce
from storelens.commerce.models import LineItem, Order, Refund, RefundLine
from storelens.commerce.money import LineUnits, e4_to_minor, minor_to_e4

pytestmark = pytest.mark.django_db


def vat_order() -> dict[str, Any]:
    """Two lines of one 30.00 incl. 21 % VAT item each: subtotal 24.7934, tax 5.2066 per line; two half-cent fees."""
    return {
        "id": 501,
        "status": "completed",
        "currency": "EUR",
        "date_created_gmt": "2025-03-01T10:00:00",
        "date_paid_gmt": "2025-03-01T10:00:00",
        "total": "60.0100",
        "total_tax": "10.4100",  # WooCommerce keeps order totals rounded to its price decimals
        "shipping_total": "0.0000",
        "discount_total": "0.0000",
        "prices_include_tax": True,
        "billing": {"email": "vat@example.com", "country": "NL"},
        "line_items": [
            {
                "id": 9000 + n,
                "product_id": 7,
                "quantity": 1,
                "subtotal": "24.7934",
                "subtotal_tax": "5.2066",
                "total": "24.7934",
                "total_tax": "5.2066",
            }
            for n in range(2)
        ],
        "fee_lines": [{"total": "0.0050"}, {"total": "0.0050"}],
        "refunds": [],
    }


def test_line_amounts_are_kept_at_four_decimals_next_to_their_per_line_rounding(store: Any) -> None:
    result = commerce.upsert_orders(store, [vat_order()])
    line = LineItem.objects.filter(order__wc_id=501).order_by("wc_item_id").first()
    assert line is not None
    assert (line.subtotal_e4, line.subtotal_tax_e4, line.total_e4, line.total_tax_e4) == (247934, 52066, 247934, 52066)
    assert (line.subtotal_minor, line.subtotal_tax_minor, line.total_minor) == (2479, 521, 2479)  # per line
    assert result.rounded == []  # four decimals is what we asked for: nothing was lost, nothing to warn about


def test_the_orders_subtotal_and_fees_are_the_exact_line_sums_rounded_once(store: Any) -> None:
    commerce.upsert_orders(store, [vat_order()])
    order = Order.objects.get(wc_id=501)
    assert order.subtotal_minor == 4959  # 24.7934 × 2 = 49.5868 → 49.59 (per-line rounding would say 49.58)
    assert order.fee_total_minor == 1  # 0.0050 + 0.0050 = 0.0100 → 0.01 (per line: 0.01 + 0.01 = 0.02)


def test_a_line_amount_finer_than_four_decimals_is_rounded_and_reported(store: Any) -> None:
    payload = vat_order()
    payload["line_items"][0]["total_tax"] = "5.206611"  # a store that ignored dp=4
    result = commerce.upsert_orders(store, [payload])
    assert result.rounded == ["5.206611"]
    assert LineItem.objects.get(wc_item_id=9000).total_tax_e4 == 52066


def test_an_order_total_finer_than_the_currency_is_still_reported(store: Any) -> None:
    payload = vat_order()
    payload["total"] = "60.0040"  # a store set to more price decimals than its currency has
    assert commerce.upsert_orders(store, [payload]).rounded == ["60.0040"]


def test_refund_lines_keep_four_decimals_and_the_refund_sums_per_line_roundings(store: Any) -> None:
    commerce.upsert_orders(store, [vat_order()])
    line = {"subtotal": "-24.7934", "total": "-24.7934", "total_tax": "-5.2066", "quantity": -1, "product_id": 7}
    refund = {
        "id": 601,
        "parent_id": 501,
        "date_created_gmt": "2025-03-02T10:00:00",
        "amount": "60.00",
        "line_items": [{"id": 9100, **line}, {"id": 9101, **line}],
    }
    commerce.upsert_refunds(store, [refund])
    lines = list(RefundLine.objects.order_by("wc_item_id").values_list("total_e4", "total_tax_e4", "total_tax_minor"))
    assert lines == [(-247934, -52066, -521), (-247934, -52066, -521)]
    # WooCommerce rounds each refund line's tax before adding it (update_taxes → round_line_tax): 5.21 + 5.21.
    assert Refund.objects.get(wc_id=601).refunded_tax_minor == 1042


@pytest.mark.parametrize(
    ("minor", "currency", "e4"),
    [(2479, "USD", 247900), (1500, "JPY", 15000000), (1234, "BHD", 12340), (-4763, "USD", -476300)],
)
def test_minor_units_convert_to_ten_thousandths_by_the_currencys_exponent(minor: int, currency: str, e4: int) -> None:
    assert minor_to_e4(minor, currency) == e4
    assert e4_to_minor(e4, currency) == minor


@pytest.mark.parametrize(
    ("e4", "currency", "minor"),
    [(50, "USD", 1), (-50, "USD", -1), (49, "USD", 0), (-247935, "USD", -2479), (5000, "JPY", 1), (4999, "JPY", 0)],
)
def test_ten_thousandths_round_half_away_from_zero_like_php_round(e4: int, currency: str, minor: int) -> None:
    assert e4_to_minor(e4, currency) == minor


def test_line_units_read_every_kind_of_value_woocommerce_sends() -> None:
    units = LineUnits("USD")
    assert [units("24.7934"), units("-9.60"), units(""), units(None), units(3)] == [247934, -96000, 0, 0, 30000]
    assert units.rounded == []

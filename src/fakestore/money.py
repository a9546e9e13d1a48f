"""Money as WooCommerce prints it: decimal strings, never floats.

WooCommerce keeps amounts as strings and formats them with `wc_format_decimal($v, $dp)`; a few fields are
printed differently (unpadded coupon discounts, unrounded tax strings, float `price`). Amounts inside the fake
are `Decimal`s so that totals add up to the cent exactly the way they do on a real store.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")


_QUANTUM = {dp: Decimal(1).scaleb(-dp) for dp in range(0, 10)}


def d(value: object) -> Decimal:
    """A Decimal from a WooCommerce amount ("" and None count as zero, as wc_format_decimal does)."""
    kind = type(value)
    if kind is Decimal:
        return value  # type: ignore[return-value]
    if kind is str:
        return Decimal(value) if value else ZERO  # type: ignore[arg-type]
    if value is None:
        return ZERO
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


def round_dp(value: Decimal, dp: int = 2) -> Decimal:
    quantum = _QUANTUM.get(dp) or Decimal(1).scaleb(-dp)
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def fmt(value: object, dp: int = 2) -> str:
    """`wc_format_decimal($v, $dp)` with padding, as used for totals: "5.00", "-47.63"."""
    q = round_dp(d(value), dp)
    if q == 0:
        q = abs(q)  # never "-0.00"
    return f"{q:.{dp}f}"


def trim(value: object, max_dp: int = 6) -> str:
    """`wc_format_decimal($v)` without padding: "13.5", "5", "0.665625", "-10" (trailing zeros dropped)."""
    q = round_dp(d(value), max_dp)
    if q == 0:
        return "0"
    text = f"{q:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def number(value: object) -> int | float:
    """A JSON number the way PHP prints a float that holds a whole value: 25 rather than 25.0."""
    q = d(value)
    if q == q.to_integral_value():
        return int(q)
    return float(q)


def tax_of(amount: Decimal, rate_percent: Decimal) -> Decimal:
    """Unrounded tax, kept to 6 decimals as WooCommerce stores it in the `taxes` arrays."""
    return round_dp(amount * rate_percent / 100, 6)


def inclusive_tax(gross: Decimal, rate_percent: Decimal) -> Decimal:
    """The tax inside a gross (tax-inclusive) amount, `WC_Tax::calc_inclusive_tax`: gross − gross ÷ (1 + rate), kept
    to 6 decimals like every unrounded tax."""
    return round_dp(gross - gross / (1 + rate_percent / 100), 6)


def cents(value: object) -> int:
    return int(round_dp(d(value), 2) * 100)

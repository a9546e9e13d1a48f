"""`commerce.money`: the plain-string shortcut gives the Decimal path's integers, and leaves it everything else."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

import pytest

from storelens.commerce.money import LineUnits, MinorUnits, parse_decimal, scaled


def by_decimal(value: object, places: int) -> tuple[int, bool]:
    amount = parse_decimal(value)
    exact = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return int(exact * Decimal(10) ** places), exact != amount


def test_plain_decimal_strings_scale_exactly_as_decimal_does() -> None:
    rng = random.Random(17)
    values = ["0", "-0", "-0.00", "92.5500", "20", "-3.1", "1.23450", "00012.5", "5.", "12.3400000000", "-0.0001"]
    for _ in range(5000):
        whole = str(rng.randrange(10 ** rng.randrange(1, 13)))
        fraction = "".join(rng.choice("0123456789") for _ in range(rng.randrange(7)))
        values.append(rng.choice(["", "-"]) + whole + ("." + fraction if rng.random() < 0.8 else ""))
    for value in values:
        for places in (0, 2, 3, 4):
            fast = scaled(value, places)
            if fast is not None:
                assert (fast, False) == by_decimal(value, places), (value, places)


@pytest.mark.parametrize(
    "value", ["1.23456", "-12.345", ".5", "1e3", " 3.2", "+4", "", "1_000", "١٢٣", None, 7, 2.5, True, "abc"]
)
def test_what_is_not_a_plain_exact_string_is_left_to_the_decimal_path(value: object) -> None:
    assert scaled(value, 2) is None


def test_finer_amounts_are_still_rounded_and_reported() -> None:
    minor, line = MinorUnits("USD"), LineUnits("USD")
    assert (minor("1.005"), minor("2.50")) == (101, 250)
    assert (line("1.00005"), line("3.25")) == (10001, 32500)
    assert (minor.rounded, line.rounded) == (["1.005"], ["1.00005"])

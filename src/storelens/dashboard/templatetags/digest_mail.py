"""Filters of the e-mail digest templates (`templates/digests/`)."""

from __future__ import annotations

from django import template

from storelens.commerce.money import decimal_string

register = template.Library()


@register.filter
def digest_money(minor: int, currency: str) -> str:
    """Minor units as the currency's decimals and its code, e.g. 140.00 USD (the figures of `storelens report`)."""
    return f"{decimal_string(minor, currency)} {currency}"

"""Money and percentage formatting for the analytics pages (babel, from integer minor units)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from storelens.analytics.reports.currency import ecb_currencies, reporting_currency
from storelens.commerce.money import display

register = template.Library()


@register.simple_tag
def money(minor: int | None, currency: str) -> str:
    return display(int(minor or 0), currency or "USD")


@register.filter
def percent(value: float | Decimal | None) -> str:
    if value is None:
        return "–"
    return f"{Decimal(str(value)) * 100:.1f} %"


@register.simple_tag
def change(current: int, previous: int) -> str:
    """Change against a comparison, as "+12.5 %", or "new" when there was nothing before."""
    if not previous:
        return "new" if current else "–"
    pct = (Decimal(current) - Decimal(previous)) / abs(Decimal(previous)) * 100
    return f"{pct:+.1f} %"


@register.simple_tag
def trend(current: int, previous: int) -> str:
    if current > previous:
        return "up"
    if current < previous:
        return "down"
    return "flat"


@register.simple_tag
def decimal(minor: int | None, currency: str) -> str:
    from storelens.commerce.money import decimal_string

    return decimal_string(int(minor or 0), currency or "USD")


@register.simple_tag
def workspace_reporting_currency(workspace: object) -> str:
    """For the Settings page (a foundation view): the workspace's reporting currency, '' when none is chosen."""
    return reporting_currency(workspace) or ""


@register.simple_tag
def ecb_currency_codes() -> tuple[str, ...]:
    return ecb_currencies()


@register.filter
def buyer_name(order: Any) -> str:
    """Who bought an order, as a person's name when the store knows it (the customer's first and last name), else
    the billing e-mail, else "Guest": lists read as people, with the e-mail one line below."""
    customer = getattr(order, "customer", None)
    if customer is not None:
        name = f"{customer.first_name} {customer.last_name}".strip()
        if name:
            return name
    return order.billing_email or (customer.email if customer is not None else "") or "Guest"


@register.filter
def count(value: int | None) -> str:
    """A count with thousands separators ("1,351"), as the money beside it has."""
    return f"{int(value or 0):,}"


@register.filter
def segment_about(name: str) -> str:
    """What an RFM segment means, in the words of the Customers page's table."""
    from storelens.analytics.metrics.customers import RFM_SEGMENTS

    return dict(RFM_SEGMENTS).get(name, "")


@register.simple_tag
def unset_reporting_currency(workspace: object) -> str:
    """For the Settings page: what the combined view shows while no reporting currency is chosen."""
    from storelens.analytics.reports.currency import unset_currency_label
    from storelens.stores.models import Store

    return unset_currency_label(list(Store.objects.filter(workspace=workspace).order_by("pk")))


@register.simple_tag
def scope_query(scope: Any, **extra: Any) -> str:
    """The page's range and store as a query string plus `extra` (e.g. `variation=`): a variation's name links to its
    product's page with the variation selected, over the same days."""
    return scope.query(**extra)


@register.simple_tag
def excluded_asked(stores: list[Any], statuses: list[str]) -> list[dict[str, Any]]:
    """The statuses a filter asks for that the stores' figures leave out (`cells.asked_but_excluded`), each with those
    stores and whether one counts by date paid: the page shows them and says so, lest an owner read them as part of
    the figures, or read a 0 as "none" when the orders were never paid (no date paid: not on a paid-basis page)."""
    from storelens.analytics.metrics.report_settings import report_settings
    from storelens.analytics.reports.cells import asked_but_excluded
    from storelens.stores.reporting import DateBasis

    def by_paid(which: list[Any]) -> bool:
        return any(report_settings(s).date_basis == DateBasis.PAID for s in which)

    asked = asked_but_excluded(stores, statuses)
    return [{"status": status, "stores": which, "by_paid": by_paid(which)} for status, which in asked]

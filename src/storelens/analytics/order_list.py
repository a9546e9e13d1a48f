"""The orders list page's rows: filtered, sorted and paged in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from storelens.analytics.definitions import DateBasis
from storelens.analytics.settings import report_settings
from storelens.analytics.timezones import range_bounds_utc

ORDER_SORTS = {
    "date": "-created_at",
    "-date": "created_at",
    "total": "-total_minor",
    "-total": "total_minor",
    "number": "-wc_id",
    "-number": "wc_id",
}


def orders_list(
    sources: Sequence[Any],
    first: date,
    last: date,
    search: str = "",
    statuses: Sequence[str] = (),
    country: str = "",
    sort: str = "date",
) -> QuerySet:
    """Every order created in the range (whatever its status: a list is for finding orders, not for totals),
    filtered and sorted. Dates are the stores' own local days of `date_created`."""
    from storelens.commerce.models import Order

    q = Q(pk__in=[])
    for source in sources:
        s = report_settings(source, date_basis=DateBasis.CREATED)
        start, end = range_bounds_utc(first, last, s.tz)
        q |= Q(source=source, created_at__gte=start, created_at__lt=end)
    qs = Order.objects.filter(q).select_related("source", "customer")
    if search:
        term = search.strip().lstrip("#")
        match = Q(billing_email__icontains=term) | Q(number__iexact=term) | Q(customer__last_name__icontains=term)
        match |= Q(customer__first_name__icontains=term)
        qs = qs.filter(match)
    if statuses:
        qs = qs.filter(status__in=list(statuses))
    if country:
        qs = qs.filter(billing_country=country.upper())
    return qs.order_by(ORDER_SORTS.get(sort, "-created_at"), "-pk")

"""How a store's figures are counted, in Storelens's words: the date basis, the statuses never counted, and the
order statuses an owner picks from.

The one definition of each: the store model's field choices, the figure settings read from the store, the metric
definitions, the pages' pick-lists, the API's `date_basis` parameter and the CLI's `--date-basis` all read them from
here. WooCommerce's own option names and defaults (`woocommerce_date_type`'s `date_paid`, the default excluded
statuses) are facts of the store's API and live with it, in `storelens.woocommerce.analytics_settings`. Plain values
(Django's `TextChoices` is an `enum`), no database.
"""

from __future__ import annotations

from django.db import models

from storelens.woocommerce.analytics_settings import DATE_TYPES


class DateBasis(models.TextChoices):
    """Which of an order's dates puts it on a day (WooCommerce's `woocommerce_date_type`, default paid)."""

    CREATED = "created", "Date created"
    PAID = "paid", "Date paid"
    COMPLETED = "completed", "Date completed"

    @classmethod
    def from_store_option(cls, option: object) -> DateBasis | None:
        """The basis of WooCommerce's `woocommerce_date_type` option (`"date_paid"` → PAID); None when the option is
        unset or holds something else, so the caller keeps what it has."""
        if isinstance(option, str) and option in DATE_TYPES:
            return cls(option.removeprefix("date_"))
        return None


ALWAYS_EXCLUDED: frozenset[str] = frozenset({"checkout-draft", "trash", "auto-draft"})
"""Statuses WooCommerce Analytics never counts, whatever the store's excluded-statuses setting says."""

ORDER_STATUSES: tuple[str, ...] = ("completed", "processing", "on-hold", "refunded", "pending", "failed", "cancelled")
"""WooCommerce's order statuses an owner filters or excludes by, in the order the pages list them (the orders list
adds "trash": it finds orders, whatever their status)."""

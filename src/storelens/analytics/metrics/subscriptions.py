"""Subscription definitions: a subscription's monthly recurring amount, MRR, ARR and churn rate."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

MONTHS_PER_PERIOD = {"day": Decimal(12) / Decimal(365), "week": Decimal(12) / Decimal(52), "month": 1, "year": 12}


@dataclass
class SubscriptionFigures:
    currency: str
    active: int = 0
    mrr_minor: int = 0
    new: int = 0
    churned: int = 0
    active_at_start: int = 0
    active_at_end: int = 0  # = active_at_start + new − churned: the range's own count, next to `active` (today's)

    @property
    def arr_minor(self) -> int:
        return self.mrr_minor * 12

    @property
    def churn_rate(self) -> Decimal:
        """Churned in the range ÷ active at its start (Putler's user churn)."""
        if not self.active_at_start:
            return Decimal(0)
        return (Decimal(self.churned) / Decimal(self.active_at_start)).quantize(Decimal("0.0001"))


def monthly_minor(total_minor: int, period: str, interval: int) -> Decimal:
    """A subscription's recurring total as a monthly amount: total ÷ (interval × months per period)."""
    months = Decimal(str(MONTHS_PER_PERIOD.get(period or "month", 1))) * max(1, interval or 1)
    return Decimal(total_minor) / months

"""Which period each user compares ranges with, remembered per workspace (`ComparisonChoice`)."""

from __future__ import annotations

from typing import Any

from storelens.analytics.metrics.periods import COMPARISONS
from storelens.analytics.models import ComparisonChoice

DEFAULT = "previous"


def comparison_choice(user: Any, workspace: Any) -> str:
    """The user's remembered choice in this workspace, or the previous period."""
    if workspace is None or not getattr(user, "is_authenticated", False):
        return DEFAULT
    row = ComparisonChoice.objects.filter(user=user, workspace=workspace).values_list("compare", flat=True).first()
    return row if row in COMPARISONS else DEFAULT


def remember_comparison(user: Any, workspace: Any, compare: str) -> str:
    """Keep `compare` as the user's choice (an unknown value changes nothing); returns the choice in force."""
    if compare not in COMPARISONS or workspace is None or not getattr(user, "is_authenticated", False):
        return comparison_choice(user, workspace)
    ComparisonChoice.objects.update_or_create(user=user, workspace=workspace, defaults={"compare": compare})
    return compare

"""The workspace's reporting currency: what the combined view of several stores is converted into.

Without a setting the old rule stands (stores sharing one currency: that currency, unconverted; stores in several:
the first store's), so nothing changes for a workspace until its owner chooses.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from storelens.analytics.models import WorkspaceReporting
from storelens.analytics.reports.fx import read_history


class ReportingCurrencyError(ValueError):
    pass


@lru_cache(maxsize=1)
def ecb_currencies() -> tuple[str, ...]:
    """EUR and every currency in the bundled ECB history: the only ones an amount can be converted into without
    guessing a rate."""
    return tuple(sorted({"EUR", *read_history()}))


def reporting_currency(workspace: Any) -> str | None:
    """The workspace's chosen reporting currency, or None when its owner has not chosen one."""
    if workspace is None:
        return None
    row = WorkspaceReporting.objects.filter(workspace=workspace).only("currency").first()
    return row.currency if row else None


def set_reporting_currency(workspace: Any, code: str) -> str | None:
    """Save (or, with a blank code, clear) the workspace's reporting currency. Only ECB currencies are accepted."""
    code = (code or "").strip().upper()
    if not code:
        WorkspaceReporting.objects.filter(workspace=workspace).delete()
        return None
    if code not in ecb_currencies():
        raise ReportingCurrencyError(
            f"{code} is not a currency the ECB publishes rates for, so amounts could not be converted into it: "
            f"choose one of {', '.join(ecb_currencies())}."
        )
    WorkspaceReporting.objects.update_or_create(workspace=workspace, defaults={"currency": code})
    return code


def combined_currency(workspace: Any, stores: Sequence[Any], asked: str | None = None) -> str | None:
    """The currency a view adding up `sources` converts into; None means "no conversion: the stores' own currency".

    Order of precedence: the currency asked for (a page's `?currency=`, the API's `currency`, `--currency`), then
    the workspace's reporting currency, then — stores in several currencies and no setting — the first store's.
    """
    if asked:
        return asked.upper()
    chosen = reporting_currency(workspace)
    if chosen:
        return chosen
    if len({(s.currency or "").upper() for s in stores}) > 1:
        return (stores[0].currency or "USD").upper()
    return None

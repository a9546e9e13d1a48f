"""The workspace's reporting currency: what the combined view of several stores is converted into.

Without a setting the old rule stands (stores sharing one currency: that currency, unconverted; stores in several:
the first store's), so nothing changes for a workspace until its owner chooses.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from functools import lru_cache
from typing import Any

from storelens.analytics.models import WorkspaceReporting
from storelens.analytics.reports.fx import read_history


class ReportingCurrencyError(ValueError):
    pass


# A currency the ECB has published no rate for in this long, before its latest one, no longer exists (replaced by the
# euro: CYP, EEK, LTL, …; or no longer quoted: RUB since March 2022): today's amounts cannot be converted into it.
RETIRED_AFTER = timedelta(days=365)


@lru_cache(maxsize=1)
def ecb_currencies() -> tuple[str, ...]:
    """EUR and every currency the bundled ECB history still quotes: the only ones an amount can be converted into
    without guessing a rate. Retired ones (last quoted over a year before the latest rate) are left out."""
    history = read_history()
    latest = max((day for rates in history.values() for day, _ in rates), default=None)
    current = {
        code for code, rates in history.items() if latest is None or max(d for d, _ in rates) >= latest - RETIRED_AFTER
    }
    return tuple(sorted({"EUR", *current}))


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


def unset_currency_label(stores: Sequence[Any]) -> str:
    """What "no reporting currency" means for these stores, said as what the dashboard then does."""
    codes = [(s.currency or "").upper() for s in stores]
    if len(set(codes)) > 1:
        return f"Not set: converted into {codes[0]}, the first store's currency"
    if codes and codes[0]:
        return f"Not set: {codes[0]}, the stores' own currency, unconverted"
    return "Not set"


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

"""What every analytics page shares: the page context, the no-stores page, chart JSON and the one-currency rule
for ranked lists."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from storelens.accounts.scoping import scoped
from storelens.analytics.metrics.types import Totals
from storelens.commerce.money import decimal_string
from storelens.dashboard.insights_scope import PRESETS, Scope


def page_context(request: HttpRequest, scope: Scope, **extra: Any) -> dict[str, Any]:
    return {"scope": scope, "presets": PRESETS, "currency": scope.display_currency, **extra}


def no_stores_page(request: HttpRequest, title: str) -> HttpResponse:
    return render(request, "insights/no_stores.html", {"title": title})


def one_currency(scope: Scope, what: str = "The lists") -> tuple[list[Any], str]:
    """Stores whose lists can be ranked together: all of them when they share a currency, else the first one (lists
    of products and customers are not converted, so mixing € and $ rows would rank apples against pears). The note
    names what is limited (`what`), and the page's header names the one store shown (`lists_context`)."""
    if len({(s.currency or "").upper() for s in scope.stores}) <= 1:
        return scope.stores, ""
    first = scope.stores[0]
    note = (
        f"{what} below {'are' if what.endswith('s') else 'is'} for {first} only: these stores sell in different "
        "currencies, so each store is ranked on its own. Pick a store above to see another."
    )
    return [first], note


def lists_context(list_stores: list[Any], scope: Scope) -> dict[str, Any]:
    """What the header says when a page shows fewer stores than chosen: that store's name and currency, not "all 2
    stores · USD"."""
    if len(list_stores) == len(scope.stores):
        return {}
    return {"lists_for": list_stores[0], "currency": (list_stores[0].currency or "USD").upper()}


def chart_json(x: list[str], series: list[dict[str, Any]], kind: str = "line") -> str:
    return json.dumps({"x": x, "series": series, "kind": kind})


def money_series(points: list[tuple[Any, Totals]], field: str, currency: str) -> list[str]:
    return [decimal_string(getattr(t, field), currency) for _, t in points]


def has_stores(request: HttpRequest) -> bool:
    """Whether the workspace has a store at all (the dashboard shows the analytics home, else the connect page)."""
    from storelens.stores.models import Store

    return scoped(request, Store).exists()

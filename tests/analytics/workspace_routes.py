"""Analytics pages with path parameters, for the workspace-scoping audit (tests/scoping.py)."""

from __future__ import annotations

from typing import Any

from storelens.commerce.models import Customer, Order
from tests.analytics.shops import make_shops
from tests.scoping import ScopedRoute


def an_order(workspace: Any) -> dict[str, int]:
    ny, _ = make_shops(workspace)
    return {"order_id": Order.objects.get(store=ny, wc_id=1).pk}


def a_store(workspace: Any) -> dict[str, int]:
    ny, _ = make_shops(workspace)
    return {"store_id": ny.pk}


def a_customer(workspace: Any) -> dict[str, int]:
    ny, _ = make_shops(workspace)
    return {"customer_id": Customer.objects.get(store=ny, email="ann@x.org").pk}


def a_product(workspace: Any) -> dict[str, int]:
    ny, _ = make_shops(workspace)
    return {"store_id": ny.pk, "product_wc_id": 7}


def an_api_product(workspace: Any) -> dict[str, int]:
    ny, _ = make_shops(workspace)
    return {"source_id": ny.pk, "product_id": 7}


SCOPED = {
    "insights:order_detail": ScopedRoute(an_order),
    "insights:customer_detail": ScopedRoute(a_customer),
    "insights:product_detail": ScopedRoute(a_product),
    "insights:store_figures": ScopedRoute(a_store, methods=("POST",)),
    "api:get_order": ScopedRoute(an_order),
    "api:get_customer": ScopedRoute(a_customer),
    "api:get_product": ScopedRoute(an_api_product),
    "api:get_product_buyers": ScopedRoute(an_api_product),
    "api:get_product_bought_together": ScopedRoute(an_api_product),
}

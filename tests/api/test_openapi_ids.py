"""The OpenAPI operationIds are part of the API: clients generated from the schema name their methods after them.

They follow one rule, ninja's default (`<module>_<function>` of the view, dots as underscores), so renaming a view
function or moving it to another module renames its operation. This list pins them, so such a rename is a decision
seen in review (update the list and say so in the changelog), never an accident of a refactor.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

from storelens.api.api import api
from storelens.api.routers import ROUTERS

OPERATION_IDS = {
    ("get", "/api/v1/me"): "storelens_api_me_me",
    ("get", "/api/v1/tokens"): "storelens_api_tokens_list_tokens",
    ("get", "/api/v1/tokens/{token_id}"): "storelens_api_tokens_get_token",
    ("delete", "/api/v1/tokens/{token_id}"): "storelens_api_tokens_revoke_token",
    ("get", "/api/v1/metrics/summary"): "storelens_api_metrics_summary",
    ("get", "/api/v1/metrics/series"): "storelens_api_metrics_series",
    ("get", "/api/v1/orders"): "storelens_api_orders_list_orders",
    ("get", "/api/v1/orders/{order_id}"): "storelens_api_orders_get_order",
    ("get", "/api/v1/customers"): "storelens_api_customers_list_customers",
    ("get", "/api/v1/customers/{customer_id}"): "storelens_api_customers_get_customer",
    ("get", "/api/v1/products"): "storelens_api_products_list_products",
    ("get", "/api/v1/products/{source_id}/{product_id}"): "storelens_api_products_get_product",
    ("get", "/api/v1/products/{source_id}/{product_id}/buyers"): "storelens_api_products_get_product_buyers",
    ("get", "/api/v1/products/{source_id}/{product_id}/bought-together"): (
        "storelens_api_products_get_product_bought_together"
    ),
    ("get", "/api/v1/heatmap"): "storelens_api_heatmap_get_heatmap",
    ("get", "/api/v1/cohorts"): "storelens_api_cohorts_get_cohorts",
    ("get", "/api/v1/breakdowns"): "storelens_api_breakdowns_get_breakdown",
    ("get", "/api/v1/explain"): "storelens_api_explain_explain_store",
    ("get", "/api/v1/subscriptions"): "storelens_api_subscriptions_get_subscriptions",
    ("get", "/api/v1/alerts"): "storelens_api_alerts_list_alerts",
}


def schema_operations() -> dict[tuple[str, str], str]:
    paths = api.get_openapi_schema()["paths"]
    return {(method, path): op["operationId"] for path, ops in paths.items() for method, op in ops.items()}


def test_every_operation_id_is_pinned() -> None:
    assert schema_operations() == OPERATION_IDS


def test_operation_ids_follow_their_view_functions() -> None:
    """No route pins an id of its own: each is derived from the function that answers it, so the id, the function
    and this list can only move together."""
    derived = []
    for _, dotted in ROUTERS:
        for path_view in import_string(dotted).path_operations.values():
            for operation in path_view.operations:
                func = operation.view_func
                assert operation.operation_id is None, f"{func.__module__}.{func.__name__} pins its operation_id"
                derived.append(f"{func.__module__}_{func.__name__}".replace(".", "_"))
    assert sorted(derived) == sorted(OPERATION_IDS.values())

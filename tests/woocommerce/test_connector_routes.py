"""What Storelens makes of the Storelens Connector's answers (the answers themselves are tested against the real
store in tests/sync/test_real_store_connector.py)."""

from __future__ import annotations

from storelens.woocommerce.analytics_settings import DEFAULT_EXCLUDED_STATUSES, Origin
from storelens.woocommerce.connector_routes import SETTINGS_ROUTE, ConnectorSettings, split_refunds


def test_saved_analytics_settings_are_read_from_the_plugin_whatever_the_environment() -> None:
    said = ConnectorSettings(
        "0.1.0",
        {
            "date_type": "date_created",
            "excluded_statuses": ["pending", "on-hold"],
            "environment_type": "staging",
            "unset": ["actionable_statuses"],
        },
    ).analytics()
    assert (said.date_type.origin, said.date_type.value) == (Origin.READ, "date_created")
    assert (said.excluded_statuses.origin, said.excluded_statuses.value) == (Origin.READ, ("pending", "on-hold"))
    assert {r.route for r in said.readings} == {SETTINGS_ROUTE} and said.environment_type == "staging"


def test_settings_never_saved_are_woocommerces_defaults_as_an_answer() -> None:
    said = ConnectorSettings(
        "0.1.0",
        {
            "date_type": "date_paid",
            "excluded_statuses": list(DEFAULT_EXCLUDED_STATUSES),
            "unset": ["date_type", "excluded_statuses"],
        },
    ).analytics()
    assert [r.origin for r in said.readings] == [Origin.UNSET, Origin.UNSET]
    assert all(r.known for r in said.readings)


def test_an_answer_without_a_usable_value_is_not_taken_for_one() -> None:
    said = ConnectorSettings("0.1.0", {"date_type": 7, "excluded_statuses": "pending"}).analytics()
    assert [r.origin for r in said.readings] == [Origin.UNREACHABLE, Origin.UNREACHABLE]
    assert not any(r.known for r in said.readings)  # describe_store then asks WooCommerce's own routes


def test_embedded_refunds_are_taken_out_of_the_orders_by_order() -> None:
    refund = {"id": 9, "parent_id": 1, "amount": "5.00"}
    orders = [{"id": 1, "storelens_refunds": [refund]}, {"id": 2, "storelens_refunds": []}, {"id": 3}]
    plain, refunds = split_refunds(orders)
    assert plain == [{"id": 1}, {"id": 2}, {"id": 3}]
    assert refunds == {1: [refund], 2: []}  # order 3 came without the key: its refunds are not known

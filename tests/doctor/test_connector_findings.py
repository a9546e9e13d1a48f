"""The doctor's words for what the Storelens Connector reports."""

from __future__ import annotations

from storelens.doctor.connector_findings import connector_findings
from storelens.woocommerce.connector_routes import ConnectorSettings, RiskyPlugin


def test_nothing_is_said_without_the_plugin_or_without_risky_plugins() -> None:
    assert connector_findings(None) == []
    assert connector_findings(ConnectorSettings("0.1.0", {})) == []


def test_each_risky_plugin_is_named_with_its_version_and_kind_in_one_warning() -> None:
    connector = ConnectorSettings(
        "0.1.0",
        {},
        (
            RiskyPlugin("wordfence", "Wordfence Security", "8.0.0", "security"),
            RiskyPlugin("wp-rocket", "WP Rocket", "", "caching"),
        ),
    )
    (finding,) = connector_findings(connector)
    assert (finding["code"], finding["severity"]) == ("connector_risky_plugins", "warning")
    assert "Wordfence Security 8.0.0 (a security or firewall plugin)" in finding["message"]
    assert "WP Rocket (a caching plugin)" in finding["message"]
    assert "/wp-json/storelens/" in finding["fix"]


def test_the_doctors_text_says_whether_the_store_has_the_plugin() -> None:
    from storelens.doctor.checks import Report
    from storelens.doctor.management.commands.doctor import as_text
    from storelens.woocommerce.auth import AuthMethod
    from storelens.woocommerce.store_details import StoreDetails

    def report(connector: ConnectorSettings | None) -> str:
        analytics = ConnectorSettings("0.1.0", {"unset": ["date_type", "excluded_statuses"]}).analytics()
        details = StoreDetails(AuthMethod.BASIC, "read", "USD", True, False, analytics, connector=connector)
        return as_text(Report(url="https://shop.test", details=details))

    assert "Storelens Connector 0.1.0 is active on the store" in report(ConnectorSettings("0.1.0", {}))
    assert "The Storelens Connector plugin is not installed" in report(None)
    assert "Storelens Connector" not in as_text(Report(url="https://shop.test"))  # the keys did not work

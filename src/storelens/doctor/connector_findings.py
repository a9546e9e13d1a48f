"""What the doctor says about the Storelens Connector plugin: whether the store has it, and the active plugins it
reports as known to break connections (page caches that answer the REST API from the cache, security firewalls that
refuse or strip the key). Without the plugin Storelens cannot see the store's plugin list, so it says nothing."""

from __future__ import annotations

from typing import Any

from storelens.stores.problems import WARNING
from storelens.woocommerce.connector_routes import ConnectorSettings

KIND_WORDS = {"caching": "a caching plugin", "security": "a security or firewall plugin"}


def connector_findings(connector: ConnectorSettings | None) -> list[dict[str, Any]]:
    """Problems (as Problem's fields) for the risky plugins the connector reports; none without the connector."""
    if connector is None or not connector.risky_plugins:
        return []
    named = ", ".join(
        f"{p.name}{' ' + p.version if p.version else ''} ({KIND_WORDS.get(p.kind, p.kind)})"
        for p in connector.risky_plugins
    )
    return [
        {
            "code": "connector_risky_plugins",
            "severity": WARNING,
            "title": "Plugins on your store that can break the connection",
            "message": (
                f"The Storelens Connector {connector.version} reports active plugins known to break connections: "
                f"{named}. Syncing works now; if it stops, these are the first place to look."
            ),
            "fix": (
                "In each of these plugins exclude /wp-json/wc/ and /wp-json/storelens/ from caching and allow them "
                "through the firewall, then click Check connection."
            ),
        }
    ]

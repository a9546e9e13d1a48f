"""Sync routes with path parameters, for the workspace-scoping audit (tests/scoping.py)."""

from __future__ import annotations

UNSCOPED = {
    "sync:webhook": (
        "called by the store, not a user: the HMAC signature over the body (with the source's secret) is the "
        "credential, and an unknown id answers 401 exactly like a bad signature"
    ),
    "sync:connector_notice": (
        "called by the Storelens Connector plugin on the store, not a user: the HMAC signature over the body (with "
        "the store's secret) is the credential, exactly as for the store's webhooks"
    ),
}

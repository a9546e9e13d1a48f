"""The checks engine with Storelens's settings: for the doctor command (any address) and for a Store (the Check
connection button), which also records what the checks found on the source and its status."""

from __future__ import annotations

from typing import Any

import httpx
from django.conf import settings

from storelens.stores import adding, store_access
from storelens.stores.conf import callback_allowed_ports
from storelens.stores.models import Store
from storelens.stores.presenting import PROBLEM_STATUSES
from storelens.woocommerce.auth import Credentials

from . import warnings
from .checks import CheckSettings, Report, run_checks

# Tests only: what answers at STORELENS_PUBLIC_URL (None: a real, verified HTTPS request).
CALLBACK_TRANSPORT: httpx.AsyncBaseTransport | None = None


def settings_from_django(**overrides: Any) -> CheckSettings:
    """Store requests go where the connect flow's go (`store_access`: same CA bundle, private-address rule and test
    transport)."""
    values: dict[str, Any] = {
        "client_config": store_access.client_config(),
        "public_url": getattr(settings, "STORELENS_PUBLIC_URL", "") or "",
        "egress_ip": getattr(settings, "STORELENS_EGRESS_IP", "") or "",
        "callback_ports": callback_allowed_ports(),
        "transport": store_access.TRANSPORT,
        "callback_transport": CALLBACK_TRANSPORT,
    }
    values.update(overrides)
    return CheckSettings(**values)


def check_url(url: str, key: str = "", secret: str = "", **overrides: Any) -> Report:
    credentials = Credentials(key, secret) if key and secret else None
    check_settings = settings_from_django(**overrides)
    return store_access.run(lambda: run_checks(url, credentials, check_settings))


def check_store(store: Store, **overrides: Any) -> Report:
    """Run every check on a source and make its status say what was found (or clear it when nothing stops it)."""
    from storelens.stores.tasks import apply_details
    from storelens.sync.status import clear_status, set_status_from_error

    key, secret = store.keys()
    credentials = Credentials(key, secret) if key and secret else None
    check_settings = settings_from_django(**overrides)
    url = store.home_url or store.entered_url
    # No remembered auth method: the ladder runs afresh, or a header stripped since would go unnoticed.
    report = store_access.run(lambda: run_checks(url, credentials, check_settings))
    store.refresh_from_db()
    if report.site is not None:
        adding.apply_site(store, report.site)
    if report.details is not None:
        apply_details(store, report.details)
    store.legacy_woocommerce = store.legacy_woocommerce or "legacy_woocommerce" in report.codes()
    if report.failure is None:  # a check that got through saw every warning there is now
        store.data_warnings = warnings.refreshed(store.data_warnings, report)
    store.save()
    if report.failure is not None:
        set_status_from_error(store, report.failure)
    elif store.status in PROBLEM_STATUSES:
        # The cause went away: back to where the source was before it (working keys, or still to connect).
        clear_status(store, Store.Status.CONNECTED if report.details is not None else Store.Status.CONNECTING)
    elif report.details is not None and store.status == Store.Status.CONNECTING:
        clear_status(store, Store.Status.CONNECTED)
    return report

"""The checks engine with Storelens's settings: for the doctor command (any address) and for a Source (the Check
connection button), which also records what the checks found on the source and its status."""

from __future__ import annotations

from typing import Any

import httpx
from django.conf import settings

from storelens.sources import adding, store_access
from storelens.sources.conf import callback_allowed_ports
from storelens.sources.models import Source
from storelens.sources.presenting import PROBLEM_STATUSES
from storelens.woocommerce.auth import Credentials

from . import catalogue, warnings
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


def check_source(source: Source, **overrides: Any) -> Report:
    """Run every check on a source and make its status say what was found (or clear it when nothing stops it)."""
    from storelens.sources.tasks import apply_details
    from storelens.sync.status import clear_status, set_status_from_error

    key, secret = source.keys()
    credentials = Credentials(key, secret) if key and secret else None
    check_settings = settings_from_django(**overrides)
    url = source.home_url or source.entered_url
    # No remembered auth method: the ladder runs afresh, or a header stripped since would go unnoticed.
    report = store_access.run(lambda: run_checks(url, credentials, check_settings))
    source.refresh_from_db()
    if report.site is not None:
        adding.apply_site(source, report.site)
    if report.details is not None:
        apply_details(source, report.details)
    source.legacy_woocommerce = source.legacy_woocommerce or "legacy_woocommerce" in report.codes()
    if report.failure is None:  # a check that got through saw every warning there is now
        source.data_warnings = warnings.refreshed(source.data_warnings, report)
    source.save()
    if report.failure is not None:
        set_status_from_error(source, report.failure)
    elif source.status_code == catalogue.SYNC_FAILED:
        # The store answers, but the problem was a bug in a sync pass: only a pass can tell whether it is gone, so
        # Check connection starts one (re-arming the retries) instead of clearing the status over a dead import.
        from storelens.sync import tasks as sync_tasks

        sync_tasks.sync_now(source.pk)
    elif source.status in PROBLEM_STATUSES:
        # The cause went away: back to where the source was before it (working keys, or still to connect).
        clear_status(source, Source.Status.CONNECTED if report.details is not None else Source.Status.CONNECTING)
    elif report.details is not None and source.status == Source.Status.CONNECTING:
        clear_status(source, Source.Status.CONNECTED)
    return report

"""The checks engine with Storelens's settings: for the doctor command (any address) and for a Store (the Check
connection button), which also records what the checks found on the source and its status."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from storelens.stores import adding, client, problems, warnings
from storelens.stores.models import Store
from storelens.stores.status import PROBLEM_STATUSES, clear_status, set_status_from_error
from storelens.sync import tasks as sync_tasks
from storelens.sync.models import import_unfinished
from storelens.woocommerce.auth import Credentials

from .checks import CheckSettings, Report, run_checks


def settings_from_django(url: str, **overrides: Any) -> CheckSettings:
    """Requests to the store at `url` go where every store request goes (`stores.client`: same CA bundle,
    private-address rule and test hook); so does the probe of STORELENS_PUBLIC_URL."""
    public_url = settings.STORELENS_PUBLIC_URL
    values: dict[str, Any] = {
        "client_config": client.client_config(),
        "public_url": public_url,
        "egress_ip": settings.STORELENS_EGRESS_IP,
        "callback_ports": settings.STORELENS_CALLBACK_ALLOWED_PORTS,
        "transport": client.transport_for(url),
        "callback_transport": client.transport_for(public_url) if public_url else None,
    }
    values.update(overrides)
    return CheckSettings(**values)


def check_url(url: str, key: str = "", secret: str = "", **overrides: Any) -> Report:
    credentials = Credentials(key, secret) if key and secret else None
    check_settings = settings_from_django(url, **overrides)
    return client.run(lambda: run_checks(url, credentials, check_settings))


def check_store(store: Store, **overrides: Any) -> Report:
    """Run every check on a source and make its status say what was found (or clear it when nothing stops it)."""
    from storelens.stores.tasks import apply_details

    key, secret = store.keys()
    credentials = Credentials(key, secret) if key and secret else None
    url = store.home_url or store.entered_url
    overrides.setdefault("client_config", client.client_config(allow_private=client.allows_private(store)))
    check_settings = settings_from_django(url, **overrides)
    # No remembered auth method: the ladder runs afresh, or a header stripped since would go unnoticed.
    report = client.run(lambda: run_checks(url, credentials, check_settings))
    store.refresh_from_db()
    if report.site is not None:
        adding.apply_site(store, report.site)
    if report.details is not None:
        apply_details(store, report.details)
    store.legacy_woocommerce = store.legacy_woocommerce or "legacy_woocommerce" in report.codes()
    if report.failure is None:  # a check that got through saw every warning there is now
        store.data_warnings = warnings.refreshed(store.data_warnings, report.problems)
    store.save()
    if report.failure is not None:
        set_status_from_error(store, report.failure)
    elif store.status_code == problems.SYNC_FAILED:
        # The store answers, but the problem was a bug in a sync pass: only a pass can tell whether it is gone, so
        # Check connection starts one (re-arming the retries) instead of clearing the status over a dead import.
        sync_tasks.sync_now(store.pk)
    elif store.status in PROBLEM_STATUSES:
        # The cause went away: back to where the source was before it (working keys, or still to connect).
        status = Store.Status.CONNECTED if report.details is not None else Store.Status.CONNECTING
        clear_status(store, status, import_unfinished=import_unfinished(store))
    elif report.details is not None and store.status == Store.Status.CONNECTING:
        clear_status(store, Store.Status.CONNECTED, import_unfinished=import_unfinished(store))
    return report

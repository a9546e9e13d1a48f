"""The demo's fake stores: starting them, giving them keys, connecting them, and forgetting a previous run's.

Used by `storelens demo` (server/management/commands/demo.py); kept apart so the command reads as its steps.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.management.base import CommandError

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class StoreSpec:
    name: str
    currency: str
    tz: str
    share: float  # of --orders
    subscriptions: bool


STORES = (
    StoreSpec("Trailhead Outfitters", "USD", "America/New_York", 1.0, True),
    StoreSpec("Alpenglow Berlin", "EUR", "Europe/Berlin", 0.35, False),
)


@dataclass(frozen=True)
class DemoStore:
    spec: StoreSpec
    url: str
    key: str
    secret: str
    ca: str


def start_fake_store(
    spec: StoreSpec, orders: int, months: int, cert_dir: Path
) -> tuple[subprocess.Popen[str], DemoStore]:
    """A `storelens fakestore serve --https` child on a free port, with a read/write key made for it."""
    command = [
        sys.executable, "-m", "storelens", "fakestore", "serve", "--port", "0", "--https", "--cert-dir", str(cert_dir),
        "--site-name", spec.name, "--orders", str(orders), "--months", str(months), "--currency", spec.currency,
        "--timezone", spec.tz,
    ]  # fmt: skip
    if spec.subscriptions:
        command.append("--subscriptions")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    deadline = time.monotonic() + 120
    output: list[str] = []
    for line in process.stdout:
        if line.startswith("ready "):
            fields = dict(part.split("=", 1) for part in line.split()[1:] if "=" in part)
            try:
                key, secret = make_key(fields["url"], fields["ca"])
            except Exception:
                process.terminate()
                raise
            return process, DemoStore(spec, fields["url"], key, secret, fields["ca"])
        output.append(line)
        if time.monotonic() > deadline:
            break
    process.terminate()
    raise CommandError(
        f"The fake store {spec.name!r} did not start:\n{''.join(output[-20:])}"
        "Run `storelens fakestore serve --help` to check it."
    )


def make_key(url: str, ca: str) -> tuple[str, str]:
    """A read/write REST key from the fake store's admin endpoint (answers loopback clients only)."""
    import ssl

    import httpx

    response = httpx.post(
        f"{url}/__fakestore/keys",
        json={"user_id": 1, "app_name": "Storelens demo", "permissions": "read_write"},
        verify=ssl.create_default_context(cafile=ca),
        timeout=30,
    )
    if response.status_code != 201:
        raise CommandError(f"The fake store at {url} refused to make a key ({response.status_code}): {response.text}")
    body = response.json()
    return body["consumer_key"], body["consumer_secret"]


def forget_previous_demo_stores(workspace: Any, names: list[str]) -> list[str]:
    """Delete the stores an earlier demo run left in `workspace` ("“name” (id N)" each), so a second run replaces
    them instead of doubling every figure. Only local stores with a demo store's name: the fake stores that served
    them stopped with that run, so there is nothing to tidy on their side."""
    from storelens.stores.models import Store

    previous = [
        store
        for store in Store.objects.filter(workspace=workspace, name__in=names).order_by("pk")
        if urlsplit(store.home_url or store.entered_url).hostname in LOOPBACK_HOSTS
    ]
    labels = [f"“{store.name}” (id {store.pk})" for store in previous]
    Store.objects.filter(pk__in=[store.pk for store in previous]).delete()
    return labels


def connect_inline(workspace: Any, demo: DemoStore) -> Any:
    """Connect with the key as "Add store" does, running the queued first import (and webhook registration) now,
    in this process: the demo serves afterwards, and nothing may stay queued for stores that will have stopped."""
    from huey.contrib.djhuey import HUEY

    from storelens.stores.adding import add_with_keys
    from storelens.stores.models import Store
    from storelens.woocommerce.errors import StoreError

    previous = HUEY.immediate
    HUEY.immediate = True
    try:
        store, _details = add_with_keys(workspace, demo.url, demo.key, demo.secret)
    except StoreError as err:
        raise CommandError(f"Could not connect the fake store {demo.spec.name!r}: {err.message} {err.fix}") from err
    finally:
        HUEY.immediate = previous
    # Kept on the store: after the demo, without its settings, a check or sync still reaches 127.0.0.1 and says
    # what is true there (nothing answers) instead of refusing a private address.
    Store.objects.filter(pk=store.pk).update(allow_private_address=True)
    store.refresh_from_db()
    if store.status != Store.Status.CONNECTED:
        raise CommandError(
            f"The import of the fake store {demo.spec.name!r} did not finish ({store.get_status_display()}): "
            f"{store.status_message} {store.status_fix}"
        )
    return store


def summary(store: Any, seconds: float, *, webhooks: bool = True) -> str:
    """One line for the terminal: what was imported and (`webhooks`) whether the store's webhooks are in place."""
    from storelens.commerce.models import Order, Refund
    from storelens.sync.webhooks import ensure_webhooks_sync
    from storelens.woocommerce.errors import StoreError

    orders = Order.objects.filter(store=store).count()
    refunds = Refund.objects.filter(store=store).count()
    counted = f"{orders:,} order{'s' * (orders != 1)} and {refunds:,} refund{'s' * (refunds != 1)}"
    if not webhooks:
        return f"{counted} imported in {seconds:.1f} s (store id {store.pk})."
    try:
        report = ensure_webhooks_sync(store.pk)
    except StoreError as err:
        hooks = f"webhooks not registered: {err.message}"
    else:
        active = len(report.ok) + len(report.created) + len(report.reenabled)
        hooks = f"{active} webhooks active" if active else f"no webhooks: {report.skipped_because}"
    return f"{counted} imported in {seconds:.1f} s (store id {store.pk}); {hooks}."

"""`storelens demo`: two fake WooCommerce stores (USD and EUR) with two years of history, connected, imported and
served, so a newcomer sees a full Storelens in about a minute without a store of their own.

The fake stores run as `storelens fakestore serve` children (their "ready" line is the fake store's documented
start-up protocol); connecting and importing call `stores.adding` and the sync directly, as the pages do.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

STORES = (
    # site name, currency, time zone, share of --orders, subscriptions
    ("Trailhead Outfitters", "USD", "America/New_York", 1.0, True),
    ("Alpenglow Berlin", "EUR", "Europe/Berlin", 0.35, False),
)


def start_fake_store(
    name: str, currency: str, tz: str, orders: int, months: int, subscriptions: bool, cert_dir: Path
) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """A `storelens fakestore serve --https` child on a free port, with a pre-installed read/write key."""
    key, secret = f"ck_{secrets.token_hex(20)}", f"cs_{secrets.token_hex(20)}"
    command = [
        sys.executable, "-m", "storelens", "fakestore", "serve", "--port", "0", "--https", "--cert-dir", str(cert_dir),
        "--site-name", name, "--orders", str(orders), "--months", str(months), "--currency", currency,
        "--timezone", tz, "--consumer-key", key, "--consumer-secret", secret, "--key-scope", "read_write",
    ]  # fmt: skip
    if subscriptions:
        command.append("--subscriptions")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    deadline = time.monotonic() + 120
    for line in process.stdout:
        if line.startswith("ready "):
            fields = dict(part.split("=", 1) for part in line.split()[1:] if "=" in part)
            return process, fields
        if time.monotonic() > deadline:
            break
    process.terminate()
    raise CommandError(f"The fake store {name!r} did not start; run `storelens fakestore serve --help` to check it.")


class Command(BaseCommand):
    help = "Starts two fake stores (USD and EUR, two years of orders), connects and imports them, and serves Storelens."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orders", type=int, default=2500, help="Orders in the first store (default 2500).")
        parser.add_argument("--months", type=int, default=24, help="Months of history (default 24).")
        parser.add_argument("--host", default="127.0.0.1", help="Address to serve Storelens on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to serve Storelens on (default 8000).")
        parser.add_argument("--email", default="demo@storelens.local", help="Login of the demo user.")
        parser.add_argument("--password", default="storelens-demo", help="Password of the demo user.")
        parser.add_argument("--no-serve", action="store_true", help="Import, print the login, stop the fake stores.")

    def handle(self, *args: Any, **options: Any) -> None:
        from storelens.accounts.models import User, Workspace
        from storelens.stores.adding import add_with_keys
        from storelens.sync.api import run_sync
        from storelens.woocommerce.errors import StoreError

        cert_root = Path(tempfile.mkdtemp(prefix="storelens-demo-"))
        children: list[subprocess.Popen[str]] = []
        try:
            stores = []
            for i, (name, currency, tz, share, subs) in enumerate(STORES):
                count = max(20, int(options["orders"] * share))
                self.stderr.write(f"Starting the fake store “{name}” ({currency}, {count} orders, {tz})…")
                process, fields = start_fake_store(
                    name, currency, tz, count, options["months"], subs, cert_root / f"store{i}"
                )
                children.append(process)
                stores.append((name, fields))
            bundle = cert_root / "demo-ca.pem"
            bundle.write_text("".join(Path(f["ca"]).read_text() for _, f in stores))
            # The demo's stores are local with a private CA: trust exactly that CA, for this process and the server.
            settings.STORELENS_STORE_CA_BUNDLE = str(bundle)
            settings.STORELENS_ALLOW_PRIVATE_STORES = True
            os.environ["STORELENS_STORE_CA_BUNDLE"] = str(bundle)
            os.environ["STORELENS_ALLOW_PRIVATE_STORES"] = "1"

            user = User.objects.filter(email=options["email"]).first()
            if user is None:
                user = User.objects.create_user(options["email"], options["password"])
            else:
                user.set_password(options["password"])
                user.save()
            workspace = Workspace.objects.filter(name="Demo").first() or Workspace.create_with_owner("Demo", user)

            for name, fields in stores:
                try:
                    store, _ = add_with_keys(
                        workspace, fields["url"], fields["consumer_key"], fields["consumer_secret"]
                    )
                except StoreError as err:
                    raise CommandError(f"Could not connect the fake store {name!r}: {err.message} {err.fix}") from err
                started = time.monotonic()
                self.stderr.write(f"Importing “{name}”…")
                result = run_sync(store.pk, wait_for_lease=True)
                self.stderr.write(f"  imported in {time.monotonic() - started:.1f} s ({result.stats})")
            url = f"http://{options['host']}:{options['port']}/"
            self.stdout.write(f"\nStorelens demo ready. Sign in at {url}\n  e-mail:   {options['email']}\n"
                              f"  password: {options['password']}\n")  # fmt: skip
            if options["no_serve"]:
                return
            call_command("serve", "--host", options["host"], "--port", str(options["port"]))
        finally:
            for process in children:
                process.terminate()
            for process in children:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()

"""`storelens demo`: two fake WooCommerce stores (USD and EUR) with two years of history, connected, imported and
served, so a newcomer sees a full Storelens in about a minute without a store of their own.

The fake stores run as `storelens fakestore serve` children (their "ready" line is the fake store's documented
start-up protocol). Their REST keys are made through the fake store's loopback-only admin endpoint, never put on a
command line (`ps` shows command lines to every user). Connecting goes through `stores.adding` as the pages do, with
the job queue run inline, so the import and the webhook registration are the real connect flow's and nothing is left
queued for a later `serve` to run against stopped stores. A second run replaces the previous run's stores instead of
adding copies next to them; the certificates live in a temporary folder removed when the demo ends.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from storelens.server.demo_stores import (
    STORES,
    DemoStore,
    connect_inline,
    forget_previous_demo_stores,
    start_fake_store,
    summary,
)
from storelens.server.schema import require_migrated

WORKSPACE = "Demo"


def stop_on_sigterm(signum: int, frame: Any) -> None:
    """SIGTERM (a service manager, `kill`) unwinds like Ctrl-C, so the fake stores stop and the folder goes."""
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Starts two fake stores (USD and EUR, two years of orders), connects and imports them, and serves Storelens."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orders", type=int, default=2500, help="Orders in the first store (default 2500).")
        parser.add_argument("--months", type=int, default=24, help="Months of history (default 24).")
        parser.add_argument("--host", default="127.0.0.1", help="Address to serve Storelens on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to serve Storelens on (default 8000).")
        parser.add_argument("--email", default="demo@storelens.local", help="Login of the demo user.")
        parser.add_argument("--password", default="storelens-demo", help="Password of the demo user.")
        parser.add_argument(
            "--no-serve", action="store_true", help="Import into this database, then stop (no server, no fake stores)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        require_migrated()
        if options["verbosity"] < 2:
            # The sync's progress lines; the demo prints one summary line per store instead.
            logging.getLogger("storelens.sync").setLevel(logging.WARNING)
        previous_sigterm = signal.signal(signal.SIGTERM, stop_on_sigterm)
        children: list[subprocess.Popen[str]] = []
        try:
            with tempfile.TemporaryDirectory(prefix="storelens-demo-") as folder:
                self._run(Path(folder), children, options)
        finally:
            for process in children:
                process.terminate()
            for process in children:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
            signal.signal(signal.SIGTERM, previous_sigterm)

    def _run(self, folder: Path, children: list[subprocess.Popen[str]], options: dict[str, Any]) -> None:
        from storelens.accounts.models import User, Workspace

        host = options["host"] if options["host"] not in ("0.0.0.0", "::", "") else "127.0.0.1"
        url = f"http://{host}:{options['port']}/"
        stores: list[DemoStore] = []
        for i, spec in enumerate(STORES):
            count = max(20, int(options["orders"] * spec.share))
            self.stderr.write(f"Starting the fake store “{spec.name}” ({spec.currency}, {count} orders, {spec.tz})…")
            process, store = start_fake_store(spec, count, options["months"], folder / f"store{i}")
            children.append(process)
            stores.append(store)
        bundle = folder / "demo-ca.pem"
        bundle.write_text("".join(Path(store.ca).read_text() for store in stores))
        # Local stores with a private CA: trust exactly that CA and allow loopback addresses, in this process (the
        # server below runs in it too).
        settings.STORELENS_STORE_CA_BUNDLE = str(bundle)
        settings.STORELENS_ALLOW_PRIVATE_STORES = True
        if not options["no_serve"]:
            # The stores deliver their webhooks to the server this demo is about to run (with --no-serve they stop
            # before any could be delivered, and the address of a later server is not known).
            settings.STORELENS_PUBLIC_URL = url.rstrip("/")

        user = User.objects.filter(email=options["email"]).first()
        if user is None:
            user = User.objects.create_user(options["email"], options["password"])
        else:
            user.set_password(options["password"])
            user.save()
        workspace = Workspace.objects.filter(name=WORKSPACE).first() or Workspace.create_with_owner(WORKSPACE, user)
        replaced = forget_previous_demo_stores(workspace, [spec.name for spec in STORES])
        if replaced:
            self.stderr.write(f"Replacing the previous demo's stores ({', '.join(replaced)}).")

        for store in stores:
            self.stderr.write(f"Importing “{store.spec.name}”…")
            started = time.monotonic()
            connected = connect_inline(workspace, store)
            self.stderr.write(f"  {summary(connected, time.monotonic() - started, webhooks=not options['no_serve'])}")

        login = f"  e-mail:   {options['email']}\n  password: {options['password']}\n"
        if options["no_serve"]:
            self.stdout.write(
                "\nStorelens demo data imported; the fake stores have stopped, so the stores' pages will show them "
                "unreachable (run `storelens demo` again to bring them back).\n"
                f"Run `storelens serve` and sign in at {url}\n{login}"
            )
            return
        self.stdout.write(f"\nStorelens demo ready. Sign in at {url}\n{login}  (Ctrl-C stops the demo)\n")
        sys.stdout.flush()
        call_command("serve", "--host", options["host"], "--port", str(options["port"]), verbosity=options["verbosity"])

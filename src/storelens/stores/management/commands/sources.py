from __future__ import annotations

import argparse
import json
import math
import time
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils import timezone

from storelens.accounts.models import Workspace
from storelens.stores import adding, client, connect, figure_settings, hooks
from storelens.stores.models import Store
from storelens.stores.removal import remove_store
from storelens.stores.status import PROBLEM_STATUSES, STATUS_LABELS
from storelens.woocommerce.errors import StoreError


def wait_seconds(raw: str) -> float:
    """`--timeout`: a finite number of seconds, 1 to a day; `inf` or `nan` would wait forever or not at all."""
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 1 <= value <= 86400:
        raise argparse.ArgumentTypeError(f"{raw!r}: give the seconds to wait, from 1 to 86400 (a day).")
    return value


def _store_error(err: StoreError) -> CommandError:
    return CommandError(f"{err.message}\nWhat to do: {err.fix}" if err.fix else err.message)


class Command(BaseCommand):
    help = "Manage connected stores: add with keys, connect through WooCommerce's approval screen, list, remove."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{add,connect,list,remove}")

        add = actions.add_parser("add", help="Add a store with a REST API key you created on it; prints its id.")
        add.add_argument("url", help="The store's address, e.g. shop.example.com")
        add.add_argument("--key", required=True, help="Consumer key (ck_…) from WooCommerce → Settings → Advanced.")
        add.add_argument("--secret", required=True, help="Consumer secret (cs_…).")
        add.add_argument("--workspace", metavar="NAME", help="Workspace (needed when there are several).")

        conn = actions.add_parser(
            "connect", help="Print the approval URL to open in a browser, then wait until the store is connected."
        )
        conn.add_argument("url", help="The store's address, e.g. shop.example.com")
        conn.add_argument("--workspace", metavar="NAME", help="Workspace (needed when there are several).")
        conn.add_argument(
            "--timeout", type=wait_seconds, default=600.0, metavar="S", help="Seconds to wait (default 600)."
        )
        conn.add_argument("--read-only", action="store_true", help="Ask for read access only (no webhooks).")

        listing = actions.add_parser("list", help="List stores: id, url, name, status, last sync, orders.")
        listing.add_argument("--json", action="store_true", help="Print JSON instead of a table.")
        listing.add_argument("--workspace", metavar="NAME", help="Only this workspace.")

        remove = actions.add_parser("remove", help="Remove a store: its webhooks on the store, its keys, its data.")
        remove.add_argument("id", type=int)
        remove.add_argument("--yes", action="store_true", help="Confirm; nothing is removed without it.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, "handle_" + action)(**options)

    # --- helpers -------------------------------------------------------------------------------------------

    def _workspace(self, name: str | None) -> Workspace:
        if name:
            workspace = Workspace.objects.filter(name=name).order_by("pk").first()
            if workspace is None:
                names = ", ".join(Workspace.objects.values_list("name", flat=True)) or "none"
                raise CommandError(f"No workspace named “{name}”. Existing: {names}.")
            return workspace
        workspaces = list(Workspace.objects.order_by("pk")[:2])
        if not workspaces:
            raise CommandError("There is no workspace yet: create a user first (storelens users create EMAIL …).")
        if len(workspaces) > 1:
            names = ", ".join(Workspace.objects.values_list("name", flat=True))
            raise CommandError(f"Several workspaces exist ({names}): say which with --workspace NAME.")
        return workspaces[0]

    def _discover(self, url: str) -> Any:
        try:
            return client.discover_site(url)
        except StoreError as err:
            raise _store_error(err) from None

    # --- actions -------------------------------------------------------------------------------------------

    def handle_add(self, url: str, key: str, secret: str, workspace: str | None, **_: Any) -> None:
        from storelens.stores.forms import ManualKeysForm

        ws = self._workspace(workspace)
        form = ManualKeysForm({"consumer_key": key, "consumer_secret": secret})
        if not form.is_valid():
            raise CommandError(" ".join(str(e) for errors in form.errors.values() for e in errors))
        try:
            store, details = adding.add_with_keys(ws, url, key, secret)
        except StoreError as err:
            raise _store_error(err) from None
        access = "read and write" if details.permissions == "read_write" else (details.permissions or "unknown")
        self.stderr.write(f"Added {store} ({store.home_url}) with {access} access; the first import has started.")
        if details.permissions == "read":
            self.stderr.write("The key is read-only: no webhooks, Storelens polls the store for changes.")
        self.stdout.write(str(store.pk))

    def handle_connect(self, url: str, workspace: str | None, timeout: float, read_only: bool, **_: Any) -> None:
        ws = self._workspace(workspace)
        site = self._discover(url)
        store = adding.existing_store(ws, site) or adding.create_store(ws, url, site)
        if store.plain_permalinks:
            raise CommandError(
                "The store uses plain permalinks, so WooCommerce's approval screen cannot send keys.\n"
                "What to do: in WordPress go to Settings → Permalinks, choose Post name and Save; or create a key "
                "under WooCommerce → Settings → Advanced → REST API and run: storelens sources add URL --key K "
                "--secret S"
            )
        problem = connect.callback_problem_for(store)
        if problem is not None:
            raise CommandError(
                f"{problem.message}\nWhat to do: {problem.fix.replace('below', '(storelens sources add URL --key …)')}"
            )
        scope = "read" if read_only else "read_write"
        query_form = not client.wc_auth_path_served(store.home_url)
        attempt, token = connect.start(store, None, scope)
        return_url = settings.STORELENS_PUBLIC_URL + reverse("stores:detail", kwargs={"store_id": store.pk})
        self.stderr.write(f"Open this address in a browser where you can log in to {site.home_url} as an admin:")
        self.stdout.write(connect.authorize_url(store, token, scope, return_url, query_form=query_form))
        self.stdout.flush()
        self.stderr.write(f"Waiting up to {timeout:.0f} s for the store to send the keys (source id {store.pk})…")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            store.refresh_from_db()
            attempt.refresh_from_db()
            if attempt.used_at and store.keys_verified_at and store.keys_verified_at >= attempt.used_at:
                self.stderr.write(f"Connected {store}: the first import has started.")
                self.stdout.write(str(store.pk))
                return
            if attempt.used_at and store.status in PROBLEM_STATUSES:
                raise CommandError(f"The keys arrived but do not work: {store.status_message}\n{store.status_fix}")
            time.sleep(1.0)
        raise CommandError(
            f"No keys arrived within {timeout:.0f} s. If the store showed an error after Approve, it could not reach "
            f"Storelens at {connect.callback_url()} over HTTPS (firewall, certificate, port). Use "
            "`storelens sources add URL --key K --secret S` with a key you create on the store instead."
        )

    def handle_list(self, json: bool, workspace: str | None, **_: Any) -> None:
        stores = Store.objects.select_related("workspace").order_by("pk")
        if workspace:
            stores = stores.filter(workspace=self._workspace(workspace))
        rows = [self._row(store) for store in stores]
        if json:
            self.stdout.write(_dumps(rows))
            return
        if not rows:
            self.stdout.write("No stores yet: storelens sources add URL --key K --secret S (or sources connect URL).")
            return
        header = ("id", "url", "name", "status", "last_sync", "orders")
        table = [header] + [tuple(str(r[h] if r[h] is not None else "-") for h in header) for r in rows]
        widths = [max(len(line[i]) for line in table) for i in range(len(header))]
        for line in table:
            self.stdout.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip())

    def _row(self, store: Store) -> dict[str, Any]:
        return {
            "id": store.pk,
            "url": store.home_url or store.entered_url,
            "name": store.name,
            "workspace": store.workspace.name,
            "status": store.status,
            "status_label": STATUS_LABELS.get(store.status, store.status),
            "status_code": store.status_code,
            "status_message": store.status_message,
            "status_fix": store.status_fix,
            "status_since": store.status_since.isoformat() if store.status_since else None,
            # A bug in a sync pass (storelens.sync.failures): the support detail and the retry schedule, else null.
            "sync_failure": hooks.failure_json(store),
            "last_sync": timezone.localtime(store.last_sync_at).isoformat() if store.last_sync_at else None,
            "orders": _orders(store),
            "figure_settings": figure_settings.as_json(store),
            # The Storelens Connector plugin's version on the store (storelens.connector), null without it.
            "connector": store.connector_version,
        }

    def handle_remove(self, id: int, yes: bool, **_: Any) -> None:
        store = Store.objects.filter(pk=id).first()
        if store is None:
            raise CommandError(f"No store with id {id}: see storelens sources list.")
        if not yes:
            raise CommandError(f"This deletes {store} and all its data. Run again with --yes to confirm.")
        for line in remove_store(store).lines():
            self.stdout.write(line)


def _orders(store: Store) -> int | None:
    try:
        model = apps.get_model("commerce", "Order")
    except LookupError:
        return None
    orders = model.objects.filter(store=store)
    if any(f.name == "deleted_at" for f in model._meta.get_fields()):
        orders = orders.filter(deleted_at__isnull=True)
    return orders.count()


def _dumps(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False)

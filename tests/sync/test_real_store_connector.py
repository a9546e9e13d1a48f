"""The Storelens Connector's data half (plugin/storelens-connector: storelens/v1 settings, census, orders, change
notices) in the real WordPress 7.1 + WooCommerce 11.0.1 EU store, and Storelens using it.

The EU store is `staging` with non-default Analytics settings (counts by date created, excludes on-hold), so
`wc-admin/options` refuses the excluded statuses there: the plugin's settings route must tell them anyway. The
module installs the plugin once (inactive), imports the store once without it (wc/v3) and once with it, and puts the
store back (database snapshot, plugin files removed) at the end.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from tests.realstore.connector import (
    activate_connector,
    deactivate_connector,
    install_connector,
    uninstall_connector,
)

# One database pass (PostgreSQL): the plugin and the store are what is tested here, not the database.
pytestmark = [pytest.mark.realstore, pytest.mark.django_db, pytest.mark.postgres]

SETTINGS = "/wp-json/storelens/v1/settings"


@dataclass
class Imports:
    shop: Any
    plain: int  # store id of the import through wc/v3 (plugin inactive)
    connector: int  # store id of the import through the plugin


def _add_store(shop: Any, name: str) -> int:
    """`storelens sources add` (the whole first import runs inline: jobs are immediate in tests); the store's id."""
    from storelens.accounts.models import Membership, User, Workspace

    workspace = Workspace.objects.create(name=name)
    user = User.objects.create_user(f"{name}@example.com", "correct-horse-battery-staple")
    Membership.objects.create(user=user, workspace=workspace, role="owner")
    out = StringIO()
    call_command(
        "sources", "add", shop.url, "--key", shop.consumer_key, "--secret", shop.consumer_secret,
        "--workspace", name, stdout=out, stderr=StringIO(),
    )  # fmt: skip
    return int(out.getvalue().strip())


@pytest.fixture(scope="module")
def imports(real_store_eu: Any, django_db_setup: Any, django_db_blocker: Any) -> Iterator[Imports]:
    """Both imports, committed outside any test transaction (module scope) and deleted at the end; the store is
    restored and the plugin removed afterwards."""
    from storelens.accounts.models import Workspace

    shop = real_store_eu
    install_connector(shop, activate=False)
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(STORELENS_ALLOW_PRIVATE_STORES=True, STORELENS_STORE_CA_BUNDLE=str(shop.ca_bundle)),
        ):
            plain = _add_store(shop, "wcv3-import")
            activate_connector(shop)
            connector = _add_store(shop, "connector-import")
            try:
                yield Imports(shop, plain, connector)
            finally:
                Workspace.objects.filter(name__in=("wcv3-import", "connector-import")).delete()
    finally:
        uninstall_connector(shop)
        shop.restore()


SKIP_FIELDS = {"id", "synced_at", "updated_at"}


def _copy(store_id: int) -> dict[str, list[str]]:
    """Every row of the copy of one store, without its own ids and sync times, as sorted JSON lines (foreign keys
    by the store's ids; the raw JSON without `_links`, which only wc/v3's answers carry)."""
    from storelens.commerce.models import Coupon, Customer, LineItem, Order, Product, Refund, RefundLine, Variation

    natural = {
        Order: ("customer__wc_id",),
        LineItem: ("order__wc_id",),
        Refund: ("order__wc_id",),
        RefundLine: ("refund__wc_id",),
        Variation: ("product__wc_id",),
    }
    copy = {}
    for model in (Order, LineItem, Refund, RefundLine, Customer, Product, Variation, Coupon):
        names = [f.attname for f in model._meta.concrete_fields if not f.is_relation and f.attname not in SKIP_FIELDS]
        rows = []
        for row in model.objects.filter(store_id=store_id).values(*names, *natural.get(model, ())):
            if isinstance(row.get("raw"), dict):  # WooCommerce shuffles a product's related_ids on every read
                row["raw"] = {k: v for k, v in row["raw"].items() if k not in ("_links", "related_ids")}
            if model is Customer:
                # Which order named an identity (commerce.customers): a registered customer's identity gets one when
                # an order of theirs is written before the customers' listing, so it follows arrival order too.
                row.pop("named_at")
                row.pop("named_by_wc_id")
            if model is Customer and not row["is_registered"]:
                # A guest identity takes the billing name and country of whichever of its orders is written first
                # (commerce.customers._identity_row): that follows page arrival order, which differs between any
                # two imports (two through wc/v3 too), not the route. Its e-mail key is what identifies it.
                for name in ("country", "first_name", "last_name"):
                    row.pop(name)
            rows.append(json.dumps(row, sort_keys=True, default=str))
        copy[model.__name__] = sorted(rows)
    return copy


def _first_difference(ours: list[str], theirs: list[str]) -> str:
    """The rows only one copy has (a few of each), for the failure message."""
    only_ours, only_theirs = sorted(set(ours) - set(theirs)), sorted(set(theirs) - set(ours))
    return (
        f"{len(ours)} rows against {len(theirs)}; only wc/v3's: {only_ours[:3]}; only the plugin's: {only_theirs[:3]}"
    )


def test_an_import_through_the_plugin_equals_one_through_wc_v3(imports: Imports) -> None:
    from storelens.commerce.models import Order, Refund
    from storelens.stores.models import Store

    plain, connector = _copy(imports.plain), _copy(imports.connector)
    assert len(plain["Order"]) > 200 and len(plain["Refund"]) > 20  # the seed is in both: this compares something
    for table in plain:
        assert plain[table] == connector[table], f"{table} differs: {_first_difference(plain[table], connector[table])}"
    assert Order.objects.filter(store_id=imports.connector).count() == len(plain["Order"])
    assert Refund.objects.filter(store_id=imports.connector).count() == len(plain["Refund"])
    # The second import really went through the plugin: its orders route in nginx's log, 500 a page.
    access = "".join(text for name, text in imports.shop.logs().items() if "access" in name)
    assert "/wp-json/storelens/v1/orders?" in access and "per_page=500" in access
    versions = dict(
        Store.objects.filter(pk__in=(imports.plain, imports.connector)).values_list("pk", "connector_version")
    )
    assert versions == {imports.plain: None, imports.connector: "0.1.0"}


def test_the_settings_route_tells_what_wc_admin_options_refuses_on_staging_and_storelens_uses_it(
    imports: Imports,
) -> None:
    from storelens.stores.models import Store

    shop = imports.shop
    refused = shop.rest(
        "GET", "/wp-json/wc-admin/options", params={"options": "woocommerce_excluded_report_order_statuses"}
    )
    assert refused.status_code == 403, refused.text
    answer = shop.rest("GET", SETTINGS, auth=shop.read_only_key)  # the read key is enough
    assert answer.status_code == 200, answer.text
    said = answer.json()
    assert (said["environment_type"], said["date_type"]) == ("staging", "date_created")
    assert said["excluded_statuses"] == ["pending", "failed", "cancelled", "on-hold"]
    assert (said["timezone"], said["currency"], said["prices_include_tax"], said["hpos"]) == (
        "Europe/Berlin", "EUR", True, True,
    )  # fmt: skip
    assert (said["wc_version"], said["plugin_version"], said["risky_plugins"]) == ("11.0.1", "0.1.0", [])
    assert shop.rest("GET", SETTINGS, auth=None).status_code == 401
    store = Store.objects.get(pk=imports.connector)
    assert (store.date_basis, sorted(store.excluded_statuses)) == (
        "created",
        ["cancelled", "failed", "on-hold", "pending"],
    )
    assert (store.date_basis_origin, store.excluded_statuses_origin) == ("store", "store")
    assert {r["route"] for r in store.store_settings.values()} == {"/storelens/v1/settings"}


def _listing(shop: Any, path: str, **params: Any) -> list[dict]:
    rows: list[dict] = []
    page = 1
    while True:
        answer = shop.rest("GET", path, params={**params, "per_page": 100, "page": page})
        assert answer.status_code == 200, answer.text
        rows += answer.json()
        if page >= int(answer.headers.get("X-WP-TotalPages") or 1):
            return rows
        page += 1


def _census(shop: Any, resource: str) -> list[dict]:
    """The whole census in pages of 50 (so keyset paging is exercised)."""
    rows: list[dict] = []
    after = 0
    while True:
        answer = shop.rest(
            "GET", "/wp-json/storelens/v1/census", params={"resource": resource, "after_id": after, "per_page": 50}
        )
        assert answer.status_code == 200, answer.text
        rows += answer.json()["items"]
        after = answer.json()["next_after_id"]
        if after is None:
            return rows


def test_the_census_equals_the_rest_data_for_every_resource(imports: Imports) -> None:
    shop = imports.shop

    def seen(rows: list[dict], *keys: str) -> set[tuple]:
        return {tuple(row.get(k) for k in ("id", "date_modified_gmt", *keys)) for row in rows}

    orders = _listing(shop, "orders", status="any") + _listing(shop, "orders", status="trash")
    assert seen(_census(shop, "orders"), "status") == seen(orders, "status") and len(orders) > 200
    refunds = _census(shop, "refunds")
    assert {(r["id"], r["parent_id"]) for r in refunds} == {
        (r["id"], r["parent_id"]) for r in _listing(shop, "refunds")
    }
    products = _listing(shop, "products", status="any") + _listing(shop, "products", status="trash")
    census = _census(shop, "products")
    assert seen([r for r in census if r["type"] == "product"], "status") == seen(products, "status")
    variations = [
        {**v, "parent_id": p["id"]}
        for p in products
        if p["type"] == "variable"
        for v in _listing(shop, f"products/{p['id']}/variations")
    ]
    assert seen([r for r in census if r["type"] == "variation"], "parent_id") == seen(variations, "parent_id")
    assert variations  # the seed has variable products
    assert seen(_census(shop, "customers")) == seen(_listing(shop, "customers"))
    assert seen(_census(shop, "coupons"), "status") == seen(_listing(shop, "coupons"), "status")


def test_a_pass_with_the_plugin_finds_a_hard_deleted_and_a_changed_order(imports: Imports) -> None:
    from storelens.commerce.models import Order
    from storelens.sync.api import run_sync

    shop = imports.shop
    gone, changed = (
        int(r["id"])
        for r in shop.sql(
            "SELECT id FROM wp_wc_orders WHERE type='shop_order' AND status='wc-completed' ORDER BY id LIMIT 2"
        )
    )
    shop.php(
        f"wc_get_order({gone})->delete(true); $o = wc_get_order({changed}); $o->set_status('on-hold'); $o->save();"
    )
    with override_settings(STORELENS_ALLOW_PRIVATE_STORES=True, STORELENS_STORE_CA_BUNDLE=str(shop.ca_bundle)):
        run_sync(imports.connector, exact=True)
    rows = dict(
        Order.objects.filter(store_id=imports.connector, wc_id__in=(gone, changed)).values_list("wc_id", "status")
    )
    assert rows == {gone: "completed", changed: "on-hold"}
    assert Order.objects.get(store_id=imports.connector, wc_id=gone).deleted_at is not None
    access = "".join(text for name, text in shop.logs().items() if "access" in name)
    assert "/wp-json/storelens/v1/census?" in access


class _Intake(BaseHTTPRequestHandler):
    """Storelens's address as the store sees it (https://127.0.0.X:8080): keeps each notice for the test to hand to
    the real intake view (Django's test database lives in the test's thread)."""

    received: list[tuple[str, dict[str, str], bytes]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.received.append((self.path, dict(self.headers.items()), body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"queued\n")

    def log_message(self, *args: Any) -> None:
        pass


def _pending_notices(shop: Any) -> list[dict]:
    return shop.sql(
        "SELECT action_id, args FROM wp_actionscheduler_actions"
        " WHERE hook = 'storelens_connector_send_notice' AND status = 'pending'"
    )


def test_a_notice_queued_while_storelens_is_down_arrives_after_it_comes_back(imports: Imports, tmp_path: Any) -> None:
    from storelens.stores.models import Store
    from storelens.sync.models import PendingFetch
    from storelens.sync.webhooks import webhook_secret

    shop = imports.shop
    store = Store.objects.get(pk=imports.connector)
    options = {
        "storelens_connector_url": shop.callback_base_url,
        "storelens_connector_store": store.public_id,
        "storelens_connector_secret": webhook_secret(store),
    }
    shop.php("".join(f"update_option({json.dumps(k)}, {json.dumps(v)});" for k, v in options.items()))
    order_id = int(
        shop.sql("SELECT id FROM wp_wc_orders WHERE type='shop_order' AND status='wc-processing' LIMIT 1")[0]["id"]
    )
    shop.php(f"$o = wc_get_order({order_id}); $o->set_customer_note('changed for the notice test'); $o->save();")
    with socket.socket() as probe:  # nothing listens at Storelens's address: it is down
        assert probe.connect_ex((shop.host, shop.callback_port)) != 0
    shop.run_queue()
    (retry,) = _pending_notices(shop)  # the failed delivery was queued again, later
    notice, attempt = json.loads(retry["args"])
    assert (notice["resource"], notice["id"], notice["event"], attempt) == ("order", order_id, "updated", 1)

    cert = shop.issue_cert(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert.cert), str(cert.key))
    _Intake.received = []
    server = ThreadingHTTPServer((shop.host, shop.callback_port), _Intake)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        shop.sql(
            "UPDATE wp_actionscheduler_actions SET scheduled_date_gmt = UTC_TIMESTAMP(),"
            " scheduled_date_local = UTC_TIMESTAMP() WHERE action_id = %s",  # the retry's backoff is over
            (retry["action_id"],),
        )
        shop.run_queue()
    finally:
        server.shutdown()
        server.server_close()
    assert _pending_notices(shop) == []
    (path, headers, body) = _Intake.received[-1]
    assert path == f"/sync/hooks/connector/{store.public_id}/"
    answer = Client().post(
        path,
        data=body,
        content_type="application/json",
        headers={"X-Storelens-Signature": headers["X-Storelens-Signature"]},
    )
    assert answer.status_code == 200, answer.content
    assert PendingFetch.objects.filter(store_id=store.pk, resource="order", wc_id=order_id).exists()
    forged = Client().post(path, data=body, content_type="application/json", headers={"X-Storelens-Signature": "AAAA"})
    assert forged.status_code == 401
    shop.php("foreach (['url', 'store', 'secret'] as $o) { delete_option('storelens_connector_' . $o); }")


def test_storelens_hears_of_an_active_plugin_known_to_break_connections(imports: Imports) -> None:
    from storelens.doctor.connector_findings import connector_findings
    from storelens.stores.client import describe
    from storelens.stores.models import Store
    from storelens.stores.tasks import apply_details

    shop = imports.shop
    folder = shop.wp_root / "wp-content" / "plugins" / "wordfence"
    folder.mkdir()
    (folder / "wordfence.php").write_text("<?php\n/**\n * Plugin Name: Wordfence Security\n * Version: 8.0.0\n */\n")
    try:
        shop.php("require_once ABSPATH . 'wp-admin/includes/plugin.php'; activate_plugin('wordfence/wordfence.php');")
        store = Store.objects.get(pk=imports.connector)
        with override_settings(STORELENS_ALLOW_PRIVATE_STORES=True, STORELENS_STORE_CA_BUNDLE=str(shop.ca_bundle)):
            details = describe(store)
        assert details.connector is not None and details.connector.version == "0.1.0"
        assert [(p.slug, p.name, p.version, p.kind) for p in details.connector.risky_plugins] == [
            ("wordfence", "Wordfence Security", "8.0.0", "security")
        ]
        (finding,) = connector_findings(details.connector)
        assert finding["code"] == "connector_risky_plugins" and "Wordfence Security 8.0.0" in finding["message"]
        store.connector_version = None
        apply_details(store, details)
        assert store.connector_version == "0.1.0"
    finally:
        shop.php(
            "require_once ABSPATH . 'wp-admin/includes/plugin.php'; deactivate_plugins('wordfence/wordfence.php');"
        )
        (folder / "wordfence.php").unlink()
        folder.rmdir()


def _same_copy(store_id: int) -> dict[str, list[str]]:
    """`_copy` with each deletion as a flag: two stores synced apart mark the same deletion at their own pass's
    time."""
    copy = {}
    for table, rows in _copy(store_id).items():
        flagged = []
        for line in rows:
            row = json.loads(line)
            if "deleted_at" in row:
                row["deleted_at"] = row["deleted_at"] is not None
            flagged.append(json.dumps(row, sort_keys=True))
        copy[table] = sorted(flagged)
    return copy


def _sync_both(imports: Imports, **kwargs: Any) -> tuple[dict[str, list[str]], str]:
    """One pass over each copy, the wc/v3 one with the plugin inactive: both copies (deletions as flags) and the
    access log lines of the plugin's pass."""
    from storelens.sync.api import run_sync

    shop = imports.shop
    with override_settings(STORELENS_ALLOW_PRIVATE_STORES=True, STORELENS_STORE_CA_BUNDLE=str(shop.ca_bundle)):
        deactivate_connector(shop)
        try:
            run_sync(imports.plain, **kwargs)
        finally:
            activate_connector(shop)
        before = len(_access(shop))
        run_sync(imports.connector, **kwargs)
    plain, connector = _same_copy(imports.plain), _same_copy(imports.connector)
    for table in plain:
        assert plain[table] == connector[table], f"{table} differs: {_first_difference(plain[table], connector[table])}"
    return connector, "\n".join(_access(shop)[before:])


def _access(shop: Any) -> list[str]:
    return "".join(text for name, text in shop.logs().items() if "access" in name).splitlines()


def test_incremental_and_reconciliation_through_the_plugin_equal_wc_v3(imports: Imports) -> None:
    """The same changes reach both copies, one pass through wc/v3 and one through the plugin: a status change, a new
    refund and a trashed order by the incremental pass; a refund deleted from an old order (its order's
    date_modified stays) by the reconciliation's census of the refunds."""
    from storelens.commerce.models import Refund

    shop = imports.shop
    rows = shop.sql(
        "SELECT o.id FROM wp_wc_orders o WHERE o.type='shop_order' AND o.status='wc-completed' AND NOT EXISTS"
        " (SELECT 1 FROM wp_wc_orders r WHERE r.parent_order_id = o.id) ORDER BY o.id DESC LIMIT 3"
    )
    status, refunded, trashed = (int(r["id"]) for r in rows)
    shop.php(
        f"$o = wc_get_order({status}); $o->set_status('cancelled'); $o->save();"
        f"wc_create_refund(['order_id' => {refunded}, 'amount' => '1.00', 'reason' => 'goodwill']);"
        f"wc_get_order({trashed})->delete(false);"
    )
    copy, access = _sync_both(imports)
    assert "/wp-json/storelens/v1/orders?" in access and "modified_after=" in access
    listed = [line for line in access.splitlines() if "/wp-json/wc/v3/orders?" in line]
    assert all("_fields=id" in line for line in listed), listed  # wc/v3 only for the two count probes
    assert any(f'"wc_id": {trashed}' in row and '"status": "trash"' in row for row in copy["Order"])

    (old,) = shop.sql(
        "SELECT r.id FROM wp_wc_orders r WHERE r.type='shop_order_refund' ORDER BY r.parent_order_id LIMIT 1"
    )
    shop.php(f"wc_get_order({int(old['id'])})->delete(true);")
    copy, access = _sync_both(imports, reconcile=True)
    assert "/wp-json/storelens/v1/census?resource=refunds" in access
    deleted = Refund.objects.filter(wc_id=int(old["id"]), store_id__in=(imports.plain, imports.connector))
    assert {r.store_id: r.deleted_at is not None for r in deleted} == {imports.plain: True, imports.connector: True}

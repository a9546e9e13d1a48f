"""`storelens doctor` and Check connection against a real WordPress + WooCommerce 11, misconfigured for real.

Each case breaks the running US store the way owners' stores break (an option, a file, nginx's configuration, a
must-use plugin, a key), runs the doctor in-process (`call_command`, JSON) and the store page's Check connection
button, checks the problem code, its severity, the source's status and the owner's words, and undoes its change; the
module restores the seeded store at the end for whatever an undo could not reach (a deactivation hook's side effects).
"""

from __future__ import annotations

import io
import json
import secrets
import textwrap
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from storelens.doctor import runner
from storelens.stores.models import Store
from tests.transports import routes

from .fakes import storelens_public
from .test_status import check

pytestmark = [pytest.mark.realstore, pytest.mark.django_db]

PERMALINKS = "/%postname%/"
# What "Disable REST API" and the REST options of security plugins do: visitors are refused, logged-in users (and so
# WooCommerce keys, which log their user in) get through.
REST_FOR_USERS_ONLY = """<?php
add_filter('rest_authentication_errors', function ($result) {
    if (!empty($result)) { return $result; }
    if (!is_user_logged_in()) {
        return new WP_Error('rest_cannot_access', 'Only authenticated users can access the REST API.',
            array('status' => rest_authorization_required_code()));
    }
    return $result;
});
"""
# A harsher plugin: the REST API is off for everyone.
REST_OFF = """<?php
add_filter('rest_authentication_errors', function ($result) {
    return new WP_Error('rest_disabled', 'The REST API is disabled on this site.', array('status' => 401));
}, 99);
"""


@dataclass
class Case:
    name: str
    code: str
    severity: str
    status: str  # the source's status after Check connection
    fix_words: str  # the plain-words fix must say this
    apply: Callable[[Any, dict[str, Any]], None]
    undo: Callable[[Any, dict[str, Any]], None] = lambda shop, state: None
    keys: str = "read_write"  # read_write, read, or "revoked" (set by apply in state["keys"])
    extra: dict[str, Any] = field(default_factory=dict)


def _set_permalinks(structure: str) -> Callable[[Any, dict[str, Any]], None]:
    def change(shop: Any, state: dict[str, Any]) -> None:
        shop.php(f"update_option('permalink_structure', {json.dumps(structure)}); flush_rewrite_rules();")

    return change


def _mu_plugin(source: str) -> Callable[[Any, dict[str, Any]], None]:
    # One file name per plugin text: php-fpm's OPcache keeps serving a file rewritten under the same name within its
    # revalidation window, so the second case would still see the first case's plugin.
    name = f"storelens-test-rest-off-{zlib.crc32(source.encode()):08x}.php"

    def change(shop: Any, state: dict[str, Any]) -> None:
        (shop.wp_root / "wp-content" / "mu-plugins" / name).write_text(source)

    return change


def _remove_mu_plugin(shop: Any, state: dict[str, Any]) -> None:
    for plugin in (shop.wp_root / "wp-content" / "mu-plugins").glob("storelens-test-rest-off-*.php"):
        plugin.unlink()


def _maintenance(shop: Any, state: dict[str, Any]) -> None:
    # What WordPress writes while it updates (wp_maintenance() honours it for 10 minutes).
    (shop.wp_root / ".maintenance").write_text("<?php $upgrading = time(); ?>")


def _end_maintenance(shop: Any, state: dict[str, Any]) -> None:
    (shop.wp_root / ".maintenance").unlink(missing_ok=True)


def _deactivate_woocommerce(shop: Any, state: dict[str, Any]) -> None:
    state["plugins"] = shop.php_json("echo wp_json_encode(get_option('active_plugins'));")
    shop.php(
        "require_once ABSPATH . 'wp-admin/includes/plugin.php'; deactivate_plugins('woocommerce/woocommerce.php');"
    )


def _reactivate_woocommerce(shop: Any, state: dict[str, Any]) -> None:
    shop.php(f"update_option('active_plugins', json_decode({json.dumps(json.dumps(state['plugins']))}, true));")


def _revoked_key(shop: Any, state: dict[str, Any]) -> None:
    """A key the admin created and then revoked (WooCommerce → Settings → Advanced → REST API → Revoke deletes it)."""
    key, secret = "ck_" + secrets.token_hex(20), "cs_" + secrets.token_hex(20)
    shop.php(
        textwrap.dedent(f"""
        global $wpdb;
        $wpdb->insert($wpdb->prefix . 'woocommerce_api_keys', array(
            'user_id' => 1, 'description' => 'Storelens (revoked)', 'permissions' => 'read_write',
            'consumer_key' => wc_api_hash('{key}'), 'consumer_secret' => '{secret}',
            'truncated_key' => substr('{key}', -7)));
        $wpdb->delete($wpdb->prefix . 'woocommerce_api_keys', array('key_id' => $wpdb->insert_id));
        """)
    )
    state["keys"] = (key, secret)


def _disabled_webhook(shop: Any, state: dict[str, Any]) -> None:
    """Storelens's webhook after WooCommerce gave up on it (more than 5 failed deliveries set it to disabled)."""
    state["webhook"] = int(
        shop.php(
            textwrap.dedent(f"""
            $hook = new WC_Webhook();
            $hook->set_name('Storelens order.updated');
            $hook->set_topic('order.updated');
            $hook->set_delivery_url({json.dumps(shop.callback_base_url + "/webhooks/woocommerce/1/")});
            $hook->set_secret('storelens-test');
            $hook->set_user_id(1);
            $hook->set_status('disabled');
            $hook->save();
            echo $hook->get_id();
            """)
        ).strip()
    )


def _delete_webhook(shop: Any, state: dict[str, Any]) -> None:
    if "webhook" in state:
        shop.php(f"$hook = wc_get_webhook({state['webhook']}); if ($hook) {{ $hook->delete(true); }}")


CASES = [
    Case(
        "plain permalinks",
        "plain_permalinks",
        "warning",
        Store.Status.CONNECTED,
        "Settings → Permalinks",
        _set_permalinks(""),
        _set_permalinks(PERMALINKS),
    ),
    Case(
        "nginx drops the Authorization header",
        "auth_header_stripped",
        "warning",
        Store.Status.CONNECTED,
        "fastcgi_param HTTP_AUTHORIZATION $http_authorization;",
        lambda shop, state: shop.web.reload_nginx(php='fastcgi_param HTTP_AUTHORIZATION "";'),
        lambda shop, state: shop.web.reload_nginx(),
    ),
    Case(
        "a .maintenance file",
        "maintenance",
        "error",
        Store.Status.UNREACHABLE,
        ".maintenance file",
        _maintenance,
        _end_maintenance,
    ),
    Case(
        "REST API refused to visitors by a must-use plugin",
        "rest_disabled",
        "warning",  # Storelens's key still gets through: syncing works, adding or reconnecting does not
        Store.Status.CONNECTED,
        "allow the REST API",
        _mu_plugin(REST_FOR_USERS_ONLY),
        _remove_mu_plugin,
    ),
    Case(
        "REST API switched off for everyone by a must-use plugin",
        "rest_disabled",
        "error",
        Store.Status.MISCONFIGURED,
        "allow the REST API",
        _mu_plugin(REST_OFF),
        _remove_mu_plugin,
    ),
    Case(
        "WooCommerce deactivated",
        "not_woocommerce",
        "error",
        Store.Status.MISCONFIGURED,
        "activate WooCommerce under Plugins",
        _deactivate_woocommerce,
        _reactivate_woocommerce,
    ),
    Case(
        "a read-only key",
        "keys_read_only",
        "warning",
        Store.Status.CONNECTED,
        "Read/Write",
        lambda shop, state: None,
        keys="read",
    ),
    Case(
        "a revoked key",
        "keys_invalid",
        "error",
        Store.Status.NEEDS_REAUTH,
        "Reconnect Store",
        _revoked_key,
        keys="revoked",
    ),
    Case(
        "a disabled webhook",
        "webhooks_disabled",
        "warning",
        Store.Status.CONNECTED,
        "Sync now",
        _disabled_webhook,
        _delete_webhook,
    ),
]


@pytest.fixture(scope="module")
def shop(real_store_us: Any) -> Iterator[Any]:
    """The US store, restored to its seeded state once every case has run (each case also undoes its own change)."""
    yield real_store_us
    real_store_us.restore()


@pytest.fixture
def doctor_settings(settings: Any, shop: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.STORELENS_ALLOW_PRIVATE_STORES = True
    settings.STORELENS_STORE_CA_BUNDLE = str(shop.ca_bundle)
    # Storelens's public address where WordPress accepts a loopback callback (the store's host, port 8080); what
    # answers there is in-process: these tests are about the store, not about reaching Storelens.
    settings.STORELENS_PUBLIC_URL = shop.callback_base_url
    settings.STORELENS_EGRESS_IP = ""
    routes(monkeypatch).table[shop.callback_base_url] = storelens_public()
    # One timed page of 100 orders instead of three: a real page costs a second or two, and speed is not what these
    # cases break (it is still checked).
    from_django = runner.settings_from_django
    monkeypatch.setattr(
        runner, "settings_from_django", lambda url, **kw: from_django(url, **{"speed_samples": 1, **kw})
    )


def keys_for(case: Case, shop: Any, state: dict[str, Any]) -> tuple[str, str]:
    if case.keys == "read":
        return shop.read_only_key
    if case.keys == "revoked":
        return state["keys"]
    return shop.consumer_key, shop.consumer_secret


def doctor(url: str, key: str = "", secret: str = "") -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    extra = ["--key", key, "--secret", secret] if key else []
    try:
        call_command("doctor", url, *extra, "--json", stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), json.loads(out.getvalue())
    return 0, json.loads(out.getvalue())


def problems(report: dict[str, Any]) -> list[dict[str, str]]:
    """The problems, without `slow` (a loaded test machine may take 5 s for 100 orders; it is not what is tested)."""
    return [p for p in report["problems"] if p["code"] != "slow"]


def connected_store(alice: Any, shop: Any, key: str, secret: str) -> Store:
    store = Store(
        workspace=alice.workspaces().first(),
        entered_url=shop.url,
        home_url=shop.url,
        rest_root=shop.url + "/wp-json/",
        name="Storelens Test Store (US)",
        status=Store.Status.CONNECTED,
        keys_verified_at=timezone.now(),
        key_permissions="read_write",
    )
    store.set_keys(key, secret)
    store.save()
    return store


def test_doctor_finds_nothing_wrong_with_the_seeded_store(doctor_settings: None, shop: Any) -> None:
    code, report = doctor(shop.url, shop.consumer_key, shop.consumer_secret)
    assert (code, problems(report)) == (0, [])
    assert {"site", "keys", "permissions", "authorization_header", "webhooks", "callback"} <= set(report["checked"])


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_doctor_and_check_connection_name_a_real_misconfiguration(
    case: Case, doctor_settings: None, shop: Any, alice: Any
) -> None:
    state: dict[str, Any] = {}
    try:
        case.apply(shop, state)
        key, secret = keys_for(case, shop, state)
        exit_code, report = doctor(shop.url, key, secret)
        found = problems(report)
        assert [p["code"] for p in found] == [case.code], found
        (problem,) = found
        assert problem["severity"] == case.severity
        assert case.fix_words in problem["fix"], problem
        assert exit_code == (1 if case.severity == "error" else 0)

        client = Client(enforce_csrf_checks=True)
        client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
        store = connected_store(alice, shop, key, secret)
        page = check(client, store)
        store.refresh_from_db()
        assert store.status == case.status, (store.status_code, store.status_message)
        assert store.status_code == (case.code if case.severity == "error" else "")
        assert f'href="/help/{case.code}/"' in page
        assert case.fix_words in page
    finally:
        case.undo(shop, state)


def test_without_keys_a_rest_api_refused_to_visitors_stops_the_doctor(doctor_settings: None, shop: Any) -> None:
    """Without keys nothing shows the API works for Storelens: the hidden API is the error that stops adding it."""
    state: dict[str, Any] = {}
    _mu_plugin(REST_FOR_USERS_ONLY)(shop, state)
    try:
        exit_code, report = doctor(shop.url)
    finally:
        _remove_mu_plugin(shop, state)
    assert exit_code == 1
    assert [(p["code"], p["severity"]) for p in problems(report)] == [("rest_disabled", "error")]

"""The real store fixture itself: what the other real-store tests rely on holds on both profiles."""

from __future__ import annotations

import http.server
import re
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import trustme

from tests.realstore import RealStore
from tests.realstore.tls import CertFiles, issue

# Notices WooCommerce itself logs on a fresh install, whatever the harness does: on the first load after activation,
# Jetpack's connection package schedules its nonce cleanup while `plugins_loaded` runs, which asks for
# WooCommerce's cron schedule names, which are translated before `init`. A real store logs the same on its first
# page load. Anything else in debug.log fails the test.
KNOWN_UPSTREAM_NOTICES = (
    re.compile(
        r"PHP Notice:  Function _load_textdomain_just_in_time was called <strong>incorrectly</strong>\. "
        r"Translation loading for the <code>woocommerce</code> domain was triggered too early\."
    ),
)


# The stores are asked for through getfixturevalue, which pytest cannot see when collecting: mark the module.
pytestmark = pytest.mark.realstore


@pytest.fixture(params=["us", "eu"])
def store(request: pytest.FixtureRequest) -> RealStore:
    return request.getfixturevalue(f"real_store_{request.param}")


class _Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"hello from the callback host"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def https_server(host: str, port: int, cert: CertFiles) -> Iterator[None]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert.cert, cert.key)
    server = http.server.ThreadingHTTPServer((host, port), _Hello)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


def safe_get(store: RealStore, url: str) -> dict[str, Any]:
    """wp_safe_remote_get as WooCommerce's callback POST goes out: WordPress's own CA bundle and URL rules."""
    return store.php_json(
        f"""$r = wp_safe_remote_get({url!r}, array('timeout' => 10));
        echo wp_json_encode(is_wp_error($r) ? array('error' => $r->get_error_message())
            : array('code' => wp_remote_retrieve_response_code($r), 'body' => wp_remote_retrieve_body($r)));"""
    )


def test_the_rest_index_offers_woocommerce_v3_over_https(store: RealStore) -> None:
    with store.http_client() as client:
        response = client.get("/wp-json/")
    assert response.status_code == 200
    index = response.json()
    assert "wc/v3" in index["namespaces"]
    assert index["home"] == store.url
    assert store.url.startswith(f"https://{store.host}:") and store.host != "127.0.0.1"


def test_orders_live_in_the_hpos_tables_with_sync_off(store: RealStore) -> None:
    state = store.php_json(
        """echo wp_json_encode(array(
            'hpos' => Automattic\\WooCommerce\\Utilities\\OrderUtil::custom_orders_table_usage_is_enabled(),
            'sync' => get_option('woocommerce_custom_orders_table_data_sync_enabled'),
            'orders' => count(wc_get_orders(array('limit' => -1, 'return' => 'ids', 'type' => 'shop_order'))),
        ));"""
    )
    assert state["hpos"] is True
    assert state["sync"] == "no"
    assert state["orders"] >= 3
    assert int(store.sql("SELECT COUNT(*) AS n FROM wp_wc_orders WHERE type = %s", ("shop_order",))[0]["n"] or 0) >= 3


def test_permalinks_are_pretty_and_the_rest_api_answers_on_them(store: RealStore) -> None:
    assert store.option("permalink_structure") == "/%postname%/"
    response = store.rest("GET", "orders", params={"per_page": 1})
    assert response.status_code == 200, response.text
    assert int(response.headers["X-WP-Total"]) >= 3


def test_each_profile_has_its_environment_and_analytics_settings(store: RealStore) -> None:
    settings = store.php_json(
        """echo wp_json_encode(array(
            'environment' => wp_get_environment_type(),
            'date_type' => get_option('woocommerce_date_type', 'unset'),
            'excluded' => get_option('woocommerce_excluded_report_order_statuses', 'unset'),
            'scheduled_import' => get_option('woocommerce_analytics_scheduled_import'),
            'prices_include_tax' => wc_prices_include_tax(),
            'currency' => get_woocommerce_currency(),
            'timezone' => wp_timezone_string(),
            'decimals' => wc_get_price_decimals(),
            'cron_disabled' => DISABLE_WP_CRON,
            'block_external' => WP_HTTP_BLOCK_EXTERNAL,
            'rates' => array_map(fn($r) => "{$r['tax_rate_country']} {$r['tax_rate_state']} {$r['tax_rate_class']} "
                . (float) $r['tax_rate'], $GLOBALS['wpdb']->get_results(
                "SELECT * FROM {$GLOBALS['wpdb']->prefix}woocommerce_tax_rates ORDER BY tax_rate_id", ARRAY_A)),
        ));"""
    )
    common = {"scheduled_import": "no", "decimals": 2, "cron_disabled": True, "block_external": True}
    if store.profile == "us":
        expected = {
            "environment": "production",
            "date_type": "unset",
            "excluded": "unset",
            "prices_include_tax": False,
            "currency": "USD",
            "timezone": "America/New_York",
        }
        assert settings["rates"] == ["US NY  8.875", "US CA  7.25", "US NY reduced-rate 4"]
    else:
        expected = {
            "environment": "staging",
            "date_type": "date_created",
            "excluded": ["pending", "failed", "cancelled", "on-hold"],
            "prices_include_tax": True,
            "currency": "EUR",
            "timezone": "Europe/Berlin",
        }
        assert settings["rates"] == ["DE   19", "DE  reduced-rate 7", "AT   20", "AT  reduced-rate 10"]
    assert {key: settings[key] for key in (*expected, *common)} == {**expected, **common}


def test_the_read_only_key_reads_but_is_refused_a_write_with_401(store: RealStore) -> None:
    assert store.rest("GET", "orders", auth=store.read_only_key).status_code == 200
    response = store.rest("POST", "coupons", json={"code": "nope-read-only"}, auth=store.read_only_key)
    assert response.status_code == 401, response.text
    assert response.json()["code"] == "woocommerce_rest_authentication_error"
    assert "does not have write permissions" in response.json()["message"]


def test_the_approval_screen_asks_an_anonymous_browser_to_log_in(store: RealStore) -> None:
    params = {
        "app_name": "Storelens",
        "scope": "read_write",
        "user_id": "1",
        "return_url": f"{store.callback_base_url}/return",
        "callback_url": f"{store.callback_base_url}/callback",
    }
    with store.http_client(auth=None) as client:
        first = client.get("/wc-auth/v1/authorize", params=params)
        assert first.status_code == 302
        assert "/wc-auth/v1/login" in first.headers["location"]
        page = client.get(first.headers["location"])
    assert page.status_code == 200
    for field in ('name="username"', 'name="password"', 'name="woocommerce-login-nonce"'):
        assert field in page.text


def test_wordpress_trusts_the_test_ca_on_the_callback_host_and_nothing_else(store: RealStore, tmp_path: Path) -> None:
    callback = f"{store.callback_base_url}/ping"
    with https_server(store.host, store.callback_port, store.issue_cert(tmp_path)):
        assert safe_get(store, callback) == {"code": 200, "body": "hello from the callback host"}
    # The same host and port with a certificate from another CA: WordPress's bundle must refuse it.
    with https_server(store.host, store.callback_port, issue(trustme.CA(), store.host, tmp_path, "stranger")):
        assert "cURL error 60" in safe_get(store, callback)["error"]
    # WordPress's real callback rules hold: another loopback port, or 127.0.0.1, is no valid URL for it.
    assert safe_get(store, f"https://{store.host}:9443/ping") == {"error": "A valid URL was not provided."}
    assert safe_get(store, "https://127.0.0.1:8080/ping") == {"error": "A valid URL was not provided."}


def test_the_store_stays_off_the_network(store: RealStore) -> None:
    outcome = store.php_json(
        """$r = wp_remote_get('https://wordpress.org/'); echo wp_json_encode($r->get_error_message());"""
    )
    assert outcome == "User has blocked requests through HTTP to the URL: https://wordpress.org/."


def test_bring_up_leaves_no_php_notice_in_debug_log(store: RealStore) -> None:
    lines = [line for line in store.debug_log().splitlines() if line.strip()]
    unexpected = [line for line in lines if not any(known.search(line) for known in KNOWN_UPSTREAM_NOTICES)]
    assert unexpected == [], "\n".join(unexpected)


def test_restore_puts_back_the_seeded_database_and_files(restored_real_store_us: RealStore) -> None:
    store = restored_real_store_us
    store.restore()  # (page loads write transients into wp_options; start from the snapshot)
    assert store.restore() == []  # nothing changed since: nothing recopied
    before = store.rest("GET", "orders", params={"per_page": 1}).headers["X-WP-Total"]
    new_id = store.php("$o = wc_create_order(); $o->save(); echo $o->get_id();")
    store.php(
        "wc_get_orders(array('limit' => 1, 'orderby' => 'ID', 'order' => 'ASC'))[0]->delete(true);"
        "update_option('blogname', 'Changed');"
    )
    (store.wp_root / ".maintenance").write_text("<?php $upgrading = time();")
    assert {"wp_options", "wp_posts", "wp_wc_orders"} <= set(store.restore())
    assert store.option("blogname") == "Storelens Test Store (US)"
    assert store.rest("GET", "orders", params={"per_page": 1}).headers["X-WP-Total"] == before
    assert not (store.wp_root / ".maintenance").exists()
    # The next order gets the id the one made before the restore had: ids are handed out as after the seed.
    assert store.php("$o = wc_create_order(); $o->save(); echo $o->get_id();") == new_id

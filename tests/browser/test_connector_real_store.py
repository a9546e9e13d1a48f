"""Connecting the REAL WordPress 7.1 + WooCommerce 11 store from wp-admin with the Storelens Connector, in Chromium.

The owner, signed in to wp-admin, opens WooCommerce → Storelens, types the Storelens address and clicks Connect Store:
Storelens asks them to sign in, confirms the workspace, sends them to WooCommerce's own approval screen, and after
Approve they are back in wp-admin, "Connected", with the plugin's version shown in Storelens. Then the store is removed
in Storelens and the dashboard says so with a Reconnect Store button that fixes it; then the key is revoked on the
store, the notice comes back, "Remind me tomorrow" hides it, and Reconnect Store on the plugin's page fixes it (same
store in Storelens, a new token for the plugin). Last, Disconnect.

Storelens runs as in test_connect_real_store.py (HTTPS on the store's own 127.0.0.X, port 8080). Screenshots land in
var/screenshots/connector-real/.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SCREENSHOT_DIR
from tests.realstore.connector import install_connector, uninstall_connector

pytestmark = [pytest.mark.browser, pytest.mark.realstore]

EMAIL, PASSWORD = "owner@example.com", "a-long-and-secret-passphrase"
SHOTS = SCREENSHOT_DIR / "connector-real"
PHP_PROBLEM = re.compile(r"PHP (Notice|Warning|Deprecated|Fatal error|Parse error)")


@pytest.fixture
def shop(restored_real_store_us: Any) -> Iterator[Any]:
    """The real store with the plugin installed and active; uninstalled (files and options) afterwards."""
    install_connector(restored_real_store_us)
    yield restored_real_store_us
    uninstall_connector(restored_real_store_us)


def test_owner_connects_from_wp_admin_and_the_notice_leads_to_reconnect_store(
    shop: Any, start_storelens_server: Callable[..., Any], browser_page: Any
) -> None:
    server = start_storelens_server(
        tls=True,
        host=shop.host,
        port=shop.callback_port,
        ca=shop.ca,
        STORELENS_PUBLIC_URL=shop.callback_base_url,
        STORELENS_STORE_CA_BUNDLE=str(shop.ca_bundle),
    )
    server.cli("users", "create", EMAIL, "--password", PASSWORD, "--workspace", "Real shop")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page
    plugin_page = shop.url + "/wp-admin/admin.php?page=storelens-connector"
    log_start = len(shop.debug_log())

    def shot(name: str) -> Path:
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def approve_on_the_store() -> None:
        """Storelens's confirmation, then WooCommerce's approval screen, then back in wp-admin."""
        page.wait_for_selector("#connector-start", timeout=30_000)
        page.get_by_role("button", name="Continue to your store").click()
        page.wait_for_selector(".wc-auth-approve", timeout=30_000)
        page.click(".wc-auth-approve")
        page.wait_for_url(plugin_page, timeout=90_000)

    def wait_for_state(state: str, timeout_s: float = 60) -> None:
        """Reload the plugin's page (each load asks Storelens) until its card shows `state`."""
        for _ in range(int(timeout_s)):
            if page.locator(f'#storelens-status[data-state="{state}"]').count():
                return
            page.wait_for_timeout(1000)
            page.goto(plugin_page)
        card = page.locator("#storelens-status").inner_text() if page.locator("#storelens-status").count() else ""
        raise AssertionError(f"wp-admin never showed {state!r}: {card}\n{server.log()[-3000:]}")

    def storelens_link() -> str:
        """The card's "Open this store in Storelens": the store's page in Storelens."""
        link = page.locator("#storelens-status").get_by_role("link", name="Open this store in Storelens")
        return str(link.get_attribute("href"))

    def pending_notices() -> int:
        rows = shop.sql(
            "SELECT COUNT(*) AS n FROM wp_actionscheduler_actions WHERE hook = %s AND status = 'pending'",
            ("storelens_connector_send_notice",),
        )
        return int(rows[0]["n"] or 0)

    def notice() -> Any:
        page.goto(shop.url + "/wp-admin/")
        return page.locator(".storelens-connector-notice")

    # wp-admin: sign in, open WooCommerce → Storelens.
    page.goto(shop.url + "/wp-login.php")
    page.fill("#user_login", shop.admin_user)
    page.fill("#user_pass", shop.admin_password)
    page.click("#wp-submit")
    # The first wp-admin page after signing in runs WooCommerce's admin set-up on the real PHP: it took over the
    # default 15 s once in a clean-clone CI run (PostgreSQL pass, stop 21); the other wp-admin waits here allow 90 s.
    page.wait_for_url("**/wp-admin/**", timeout=90_000)
    entry = page.locator("#adminmenu").get_by_role("link", name="Storelens", exact=True)  # under WooCommerce
    assert entry.get_attribute("href") == "admin.php?page=storelens-connector"
    page.goto(plugin_page)
    assert page.get_by_role("heading", name="Connect your store").is_visible()
    shot("01-wp-admin-not-connected")

    # Connect Store: Storelens's sign-in first (the owner is not signed in there), then its confirmation.
    page.get_by_label("Storelens address").fill(server.url)
    page.get_by_role("button", name="Connect Store").click()
    page.wait_for_url(server.url + "/accounts/login/**")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("#connector-start")
    assert "Real shop" in page.inner_text("#connector-start")
    shot("02-storelens-confirms-the-workspace")
    approve_on_the_store()
    assert page.get_by_text("Your store is connected to Storelens.").is_visible()
    wait_for_state("connected")
    card = page.inner_text("#storelens-status")
    assert "Connected" in card and "Orders copied" in card and "Open this store in Storelens" in card
    shot("03-wp-admin-connected")
    token = shop.option("storelens_connector_token")
    assert token and shop.option("storelens_connector_store")

    # Storelens's store page (the card's link leads there) says the plugin is there, and its version.
    store_page = storelens_link()
    page.goto(store_page)
    assert page.inner_text("#connector-plugin") == "Installed on the store, version 0.1.0"
    shot("04-storelens-store-page-plugin-installed")
    page.goto(server.url + "/sources/")  # Add store offers both ways, the plugin with this Storelens's address
    page.get_by_role("link", name="Download the plugin (.zip)").wait_for()
    assert page.get_by_role("heading", name="Connect with WooCommerce's approval screen").is_visible()
    assert page.get_by_role("link", name="I've installed the plugin").is_visible()
    assert page.locator(".sources-table tbody tr").count() == 1
    page.locator("#add").screenshot(path=str(SHOTS / "04b-storelens-add-store-two-ways.png"))

    # The store is removed in Storelens: the next poll learns it, the dashboard says so, Reconnect Store fixes it.
    page.goto(store_page)
    page.get_by_role("link", name="Remove…").click()
    page.get_by_label("Yes, remove this store and its data").check()
    page.get_by_role("button", name="Remove store").click()
    # Removing deletes the store's webhooks on the real store (PHP, a request each) before answering: seconds idle,
    # past the 15 s default on a loaded machine (CI failed so at load 13).
    page.wait_for_url("**/sources/", timeout=90_000)
    page.goto(plugin_page)  # opening the page polls, as the daily WP-Cron event does
    wait_for_state("removed")
    assert notice().count() == 1
    assert "removed in Storelens" in notice().inner_text()
    shot("05-dashboard-notice-store-removed")
    notice().get_by_role("link", name="Reconnect Store").click()
    approve_on_the_store()
    wait_for_state("connected")
    store_page = storelens_link()  # added again: a new store in Storelens
    assert notice().count() == 0
    token = shop.option("storelens_connector_token")

    # The key is revoked on the store: Storelens's Check connection finds out, the notice comes back; "Remind me
    # tomorrow" hides it, and Reconnect Store on the plugin's page fixes it.
    shop.sql("DELETE FROM wp_woocommerce_api_keys WHERE description LIKE %s", ("Storelens - API%",))
    page.goto(store_page)
    page.get_by_role("button", name="Check connection").click()
    page.wait_for_selector('#source-card[data-phase="problem"]', timeout=60_000)
    page.goto(plugin_page)
    wait_for_state("attention")
    assert "Reconnect Store" in page.inner_text("#storelens-status")
    shot("06a-wp-admin-needs-attention")
    page.goto(shop.url + "/wp-admin/admin.php?page=wc-orders")  # WooCommerce's pages show the notice too
    assert page.locator(".storelens-connector-notice").count() == 1
    assert notice().count() == 1
    shot("06-dashboard-notice-key-revoked")
    notice().get_by_role("link", name="Remind me tomorrow").click()
    assert notice().count() == 0
    page.goto(plugin_page)
    page.get_by_role("button", name="Reconnect Store").click()
    approve_on_the_store()
    wait_for_state("connected")
    shot("07-wp-admin-reconnected")
    # Reconnect: the same store in Storelens, a new token for the plugin (the old one no longer works).
    assert storelens_link() == store_page
    assert shop.option("storelens_connector_token") not in ("", token)
    page.goto(server.url + "/sources/")
    assert page.locator(".sources-table tbody tr").count() == 1

    # Disconnect: the plugin forgets its token and Storelens stops showing the plugin (the store itself stays); a
    # change notice still queued is dropped, nobody being left to receive it.
    shop.php(
        "as_enqueue_async_action( 'storelens_connector_send_notice', array( array( 'id' => 1 ), 1 ), 'storelens' );"
    )
    assert pending_notices() == 1
    page.goto(plugin_page)
    page.get_by_role("button", name="Disconnect").click()
    page.wait_for_url(plugin_page, timeout=90_000)
    assert page.get_by_role("heading", name="Connect your store").is_visible()
    assert page.get_by_label("Storelens address").input_value() == server.url
    page.goto(store_page)
    assert page.inner_text("#connector-plugin") == "Not installed"
    assert shop.option("storelens_connector_token") is False
    assert pending_notices() == 0

    added = shop.debug_log()[log_start:]
    assert not PHP_PROBLEM.search(added), added

"""Connecting the REAL WordPress 7.1 + WooCommerce 11 store, as an owner does it, in Debian's Chromium.

Storelens runs as `storelens serve` over HTTPS on https://127.0.0.X:8080 (the store's own loopback address, port 8080:
the only place WordPress's `wp_safe_remote_post` delivers a loopback callback to), with a certificate from the test CA
that WordPress's own bundle trusts. Nothing in the store is loosened: the approval screen, the callback POST, the
redirect back, the webhooks Storelens registers and the keys are WooCommerce's own.

One walk covers Add store → WooCommerce's login → Approve → "Connected" → Reconnect (same store, new key) → keys pasted
by hand → Remove (Storelens's webhooks deleted on the store). Screenshots land in var/screenshots/connect-real/.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SCREENSHOT_DIR

pytestmark = [pytest.mark.browser, pytest.mark.realstore]

EMAIL, PASSWORD = "owner@example.com", "a-long-and-secret-passphrase"
SHOTS = SCREENSHOT_DIR / "connect-real"


def _storelens_webhooks(shop: Any, storelens_url: str) -> list[dict[str, Any]]:
    answer = shop.rest("GET", "webhooks", params={"per_page": 100})
    assert answer.status_code == 200, answer.text
    return [hook for hook in answer.json() if hook["delivery_url"].startswith(storelens_url)]


def _wait_for_webhooks(shop: Any, server: Any, timeout: float = 120) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while not (hooks := _storelens_webhooks(shop, server.url)) and time.monotonic() < deadline:
        time.sleep(2)
    assert hooks, f"no Storelens webhook on the store after {timeout:.0f} s: {_stores(server)}\n{server.log()[-4000:]}"
    return hooks


def _storelens_keys(shop: Any) -> list[dict[str, str | None]]:
    return shop.sql(
        "SELECT key_id, description, permissions FROM wp_woocommerce_api_keys WHERE description LIKE %s",
        ("Storelens - API%",),
    )


def _stores(server: Any) -> list[dict[str, Any]]:
    listed = server.cli("sources", "list", "--json")
    return json.loads(listed.stdout)


def _wait_for_phase(page: Any, phase: str, timeout_ms: int = 60_000) -> None:
    page.wait_for_selector(f'#source-card[data-phase="{phase}"]', timeout=timeout_ms)


def test_owner_connects_reconnects_pastes_keys_and_removes_the_real_store(
    restored_real_store_us: Any,
    start_storelens_server: Callable[..., Any],
    browser_page: Any,
) -> None:
    shop = restored_real_store_us
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

    def shot(name: str) -> Path:
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    # Sign in to Storelens and add the store by the address an owner would type (no scheme, a wp-admin path).
    page.goto(server.url + "/accounts/login/")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Data sources").click()
    page.wait_for_url("**/sources/")
    typed = shop.url.removeprefix("https://") + "/wp-admin/"
    page.get_by_label("Store address").fill(typed)
    page.get_by_role("button", name="Add store").click()
    page.wait_for_url("**/sources/*/")
    store_page = page.url.split("?")[0]
    shot("01-store-added")

    # WooCommerce's own screens: its login form (the owner is not signed in to the store), then the grant page.
    page.get_by_role("button", name="Connect Store").click()
    page.wait_for_selector("form.wc-auth-login", timeout=30_000)
    assert page.url.startswith(shop.url + "/wc-auth/v1/login")
    page.fill("#username", shop.admin_user)
    page.fill("#password", shop.admin_password)
    page.click(".wc-auth-login-button")
    page.wait_for_selector(".wc-auth-approve", timeout=30_000)
    assert page.get_by_role("heading", name="Storelens would like to connect to your store").is_visible()
    assert shop.host in page.inner_text("body")  # "Approving will share credentials with 127.0.0.X"
    shot("02-woocommerce-approval-screen")

    # Approve: WooCommerce creates the key, POSTs it to our HTTPS callback (verified against its own CA bundle) and
    # only on our 200 sends the owner back.
    page.click(".wc-auth-approve")
    page.wait_for_url(store_page + "?success=1*", timeout=90_000)
    _wait_for_phase(page, "connected")
    assert page.locator("#source-card h2").inner_text() == "Connected"
    shot("03-connected")
    keys = _storelens_keys(shop)
    assert [key["permissions"] for key in keys] == ["read_write"]
    (store,) = _stores(server)
    assert store["url"].rstrip("/") == shop.url
    hooks = _wait_for_webhooks(shop, server)  # registered by the first sync pass, in the background
    assert {hook["status"] for hook in hooks} == {"active"}

    # Reconnect Store: the same source, a new key (WooCommerce never reuses one), history kept.
    page.goto(store_page)
    page.locator("summary", has_text="Reconnect Store").click()
    page.locator("#source-card").get_by_role("button", name="Reconnect Store").click()
    page.wait_for_selector(".wc-auth-approve", timeout=30_000)  # signed in to the store: straight to the grant page
    page.click(".wc-auth-approve")
    page.wait_for_url(store_page + "?success=1*", timeout=90_000)
    _wait_for_phase(page, "connected")
    assert page.get_by_text("New keys are in use").is_visible()
    shot("04-reconnected")
    assert len(_storelens_keys(shop)) == 2
    assert [row["id"] for row in _stores(server)] == [store["id"]]

    # Keys pasted by hand, as an owner makes them in WooCommerce → Settings → Advanced → REST API: a read-only key
    # works (and says what it cannot do), then a read/write one.
    for (key, secret), scope in (
        (shop.read_only_key, "read"),
        ((shop.consumer_key, shop.consumer_secret), "read and write"),
    ):
        page.goto(store_page)
        page.get_by_role("heading", name="Use keys you create on your store").click()
        page.get_by_label("Consumer key").fill(key)
        page.get_by_label("Consumer secret").fill(secret)
        page.get_by_role("button", name="Check and save keys").click()
        page.wait_for_url(store_page)
        assert page.get_by_text(f"The keys work ({scope} access)").is_visible()
        shot(f"05-pasted-{scope.replace(' ', '-')}-keys")
    assert [row["id"] for row in _stores(server)] == [store["id"]]

    # Remove: Storelens deletes the webhooks it registered on the store, then the store and its data.
    page.goto(store_page)
    page.get_by_role("link", name="Remove…").click()
    page.get_by_label("Yes, remove this store and its data").check()
    page.get_by_role("button", name="Remove store").click()
    page.wait_for_url("**/sources/")
    assert page.get_by_text("Removed").first.is_visible()
    shot("06-removed")
    assert _stores(server) == []
    assert _storelens_webhooks(shop, server.url) == []

"""A staging store that refuses to tell its excluded statuses, seen in Debian's Chromium: the store's page says which
setting was assumed and why, the owner sets it, and hands it back to the store. Screenshots in
var/screenshots/figure-settings/."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.conftest import SCREENSHOT_DIR, LiveServer, server_env

from .test_connect import Process, _launch, _stop

pytestmark = pytest.mark.browser

EMAIL = "staging@example.com"
PASSWORD = "a-long-and-secret-passphrase"
KEY, SECRET = "ck_" + "5" * 40, "cs_" + "6" * 40
SHOTS = SCREENSHOT_DIR / "figure-settings"


@pytest.fixture
def staging_store(tmp_path: Path) -> Iterator[str]:
    """The fake store as WooCommerce 11 on a `staging` site counting by creation date, whose settings API also
    refuses the key (so its excluded statuses cannot be read at all)."""
    store: Process = _launch(
        [
            *(sys.executable, "-m", "storelens", "fakestore", "serve", "--port", "0", "--orders", "30"),
            *("--months", "2", "--site-name", "Staging Shop", "--environment-type", "staging"),
            *("--consumer-key", KEY, "--consumer-secret", SECRET),
        ],
        server_env(tmp_path),
        tmp_path,
        "ready url=",
    )
    ready = dict(part.split("=", 1) for part in next(ln for ln in store.lines if ln.startswith("ready ")).split()[1:])
    url = ready["url"]
    answer = httpx.put(
        f"{url}/__fakestore/config",
        json={"analytics_date_type": "date_created", "settings_api_refused": True},
        timeout=30,
    )
    answer.raise_for_status()
    yield url
    _stop(store)


def test_an_assumed_setting_is_shown_set_by_the_owner_and_handed_back(
    storelens_server: LiveServer, staging_store: str, browser_page: Any
) -> None:
    made = storelens_server.cli("users", "create", EMAIL, "--password", PASSWORD, "--workspace", "Staging")
    assert made.returncode == 0, made.stderr
    added = storelens_server.cli("sources", "add", staging_store, "--key", KEY, "--secret", SECRET, check=False)
    assert added.returncode == 0, added.stderr
    store_id = added.stdout.strip()
    SHOTS.mkdir(parents=True, exist_ok=True)

    page = browser_page
    page.goto(storelens_server.url + "/accounts/login/")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(storelens_server.url + "/")

    page.goto(f"{storelens_server.url}/sources/{store_id}/")
    excluded = page.locator('[data-setting="excluded_statuses"]')
    expect(excluded).to_have_attribute("data-origin", "assumed")
    expect(excluded.get_by_role("status")).to_contain_text(
        "Orders excluded from reports: WooCommerce's default (pending, failed, cancelled), assumed: your store "
        "refused to tell us (its environment type is staging"
    )
    expect(excluded).to_contain_text("If your WooCommerce Analytics settings differ, set them here.")
    expect(page.locator('[data-setting="date_basis"]')).to_contain_text(
        "the date created — read from your store's WooCommerce Analytics settings"
    )
    page.locator("#figures").screenshot(path=str(SHOTS / "1-assumed-on-store-page.png"))
    page.screenshot(path=str(SHOTS / "1-store-page-full.png"), full_page=True)

    excluded.get_by_label("on-hold").check()
    excluded.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/sources/{store_id}/#figures")
    excluded = page.locator('[data-setting="excluded_statuses"]')
    expect(excluded).to_have_attribute("data-origin", "owner")
    expect(excluded).to_contain_text("cancelled, failed, on-hold, pending — set by you here")
    page.locator("#figures").screenshot(path=str(SHOTS / "2-set-by-owner.png"))

    page.goto(storelens_server.url + "/settings/")
    on_settings = page.locator(f"#figures-{store_id}")
    expect(on_settings.locator('[data-setting="excluded_statuses"]')).to_have_attribute("data-origin", "owner")
    on_settings.get_by_role("button", name="Use the store's setting").click()
    page.wait_for_url(f"**/settings/#figures-{store_id}")
    on_settings = page.locator(f"#figures-{store_id}")
    expect(on_settings.locator('[data-setting="excluded_statuses"]')).to_have_attribute("data-origin", "assumed")
    on_settings.screenshot(path=str(SHOTS / "3-handed-back-on-settings-page.png"))

    listed = storelens_server.cli("sources", "list", "--json")
    assert '"origin": "assumed"' in listed.stdout and '"environment_type": "staging"' in listed.stdout


def test_fake_store_cli_refuses_an_unknown_environment_type(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "storelens", "fakestore", "serve", "--port", "0", "--environment-type", "prod"],
        env=server_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0 and "invalid choice: 'prod'" in run.stderr

"""Alerts in Debian's Chromium on the demo data (imported through the real sync), at 1440 and 390 px: the bell and its
count in the top bar, the list on the Dashboard, muting from there, the Alerts page, and the Settings section with
the webhook (a private address refused). Screenshots land in var/screenshots/alerts/; they were looked at.

The alerts are real detections (`storelens alerts check`): a third store is written through the sync's upserts with
ten weeks of an order every hour 09:00-20:00 (New York) whose orders stop in the afternoon, and a demo store fails
its sync (its fake store stopped with the demo's import) for 20 minutes.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.analytics.payloads import order_payload
from tests.browser.demo import seed_demo_and_sign_in

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "alerts@storelens.local", "tell-me-when-it-stops"
NEW_YORK = ZoneInfo("America/New_York")

SEED = """
import json, sys
from datetime import datetime, timedelta
from django.utils import timezone
from storelens.accounts.models import Workspace
from storelens.commerce import upsert_orders
from storelens.stores.models import Store
from storelens.stores.status import set_status_from_error
from storelens.woocommerce.errors import Retriable
spec = json.load(open({path!r}))
demo = Store.objects.order_by("pk").first()
workspace = demo.workspace
store = Store.objects.create(workspace=workspace, name="Corner Shop", currency="USD",
    timezone_string="America/New_York", status="connected", keys_verified_at=timezone.now())
for i in range(0, len(spec["orders"]), 500):
    upsert_orders(store, spec["orders"][i:i + 500])
store.last_sync_at = datetime.fromisoformat(spec["now"])
store.save()
set_status_from_error(demo, Retriable("Connection refused by 127.0.0.1", code="unreachable"))
Store.objects.filter(pk=demo.pk).update(status_since=datetime.fromisoformat(spec["now"]) - timedelta(minutes=20))
"""


def corner_shop(now: datetime) -> list[dict[str, Any]]:
    """Ten weeks of an order at a quarter past every hour 09:00-20:00 New York, then today's until 4 hours ago."""
    local = now.astimezone(NEW_YORK)
    orders: list[dict[str, Any]] = []
    for back in range(70, -1, -1):
        day = (local - timedelta(days=back)).date()
        for hour in range(9, 21):
            at = datetime(day.year, day.month, day.day, hour, 15, tzinfo=NEW_YORK)
            if at > now - timedelta(hours=4):
                continue
            stamp = at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")
            n = len(orders) + 1
            orders.append(order_payload(n, created=stamp, paid=stamp, net=4500, email=f"buyer{n}@example.com"))
    return orders


def test_alerts_walk(start_storelens_server: Any, browser_page: Any, screenshot: Any, tmp_path: Path) -> None:
    # Private addresses not allowed (the demo's own stores are allowed one by one): the webhook guard shows.
    server = start_storelens_server(STORELENS_ALLOW_PRIVATE_STORES="0")
    page = browser_page
    seed_demo_and_sign_in(server, page, EMAIL, PASSWORD, orders=120)
    # Judge at 16:30 New York today (or yesterday, before then), with the orders stopped at 12:15.
    local = datetime.now(UTC).astimezone(NEW_YORK)
    if local.hour < 17:
        local -= timedelta(days=1)
    now = local.replace(hour=16, minute=30, second=0, microsecond=0).astimezone(UTC)
    spec = tmp_path / "corner.json"
    spec.write_text(json.dumps({"orders": corner_shop(now), "now": now.isoformat()}))
    seeded = server.cli("shell", "-c", SEED.format(path=str(spec)), check=False)
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    checked = server.cli("alerts", "check", "--at", now.isoformat(), check=False)
    assert checked.returncode == 0, checked.stderr[-3000:]
    assert "2 fired" in checked.stdout, checked.stdout

    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(server.url + "/")
    assert page.locator("#alerts-bell .bell-count").inner_text() == "2"
    home = page.locator("#alerts-home")
    assert "Orders have stopped: your checkout may be broken" in home.inner_text()
    assert "No counted order for 4 hours" in home.inner_text()
    assert "Unreachable since" in home.inner_text()
    screenshot(page, "alerts/home-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server.url + "/")
    assert page.locator("#alerts-bell").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(Path(screenshot(page, "alerts/home-phone")).with_name("home-phone-top.png")))

    # Mute the stopped orders from the Dashboard: the alert leaves the list.
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(server.url + "/")
    item = home.locator(".alert-item", has_text="Orders have stopped")
    item.get_by_role("button", name="Mute this kind").click()
    page.get_by_text("Muted orders stopped alerts for Corner Shop").wait_for()
    assert "Orders have stopped" not in page.locator("#alerts-home").inner_text()
    screenshot(page, "alerts/home-after-mute")

    page.locator("#alerts-bell").click()
    page.wait_for_url(server.url + "/alerts/")
    assert "muted" in page.locator("#alerts-open").inner_text()
    assert "Orders stopped" in page.locator("#alerts-mutes").inner_text()
    screenshot(page, "alerts/list-desktop")
    assert page.locator("#alerts-bell .bell-count").count() == 0  # opening the list read them
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "alerts/list-phone")

    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(server.url + "/settings/#alerts-settings")
    card = page.locator("#alerts-settings")
    card.locator("#alerts-email").check()
    card.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text(f"You will get an e-mail for every alert at {EMAIL}.").wait_for()
    page.locator("#alerts-webhook").fill("http://127.0.0.1:9/hook")
    page.locator("#alerts-settings").get_by_role("button", name="Save webhook").click()
    refused = page.get_by_text("Webhook not saved")
    refused.wait_for()
    assert "127.0.0.1 is this computer's own address" in refused.inner_text()
    assert "STORELENS_ALLOW_PRIVATE_STORES=1" in refused.inner_text()
    page.locator("#alerts-webhook").fill("https://hooks.example.com/services/T0/B0/x")
    page.locator("#alerts-settings").get_by_role("button", name="Save webhook").click()
    page.get_by_text("Webhook saved").wait_for()
    page.locator("#alerts-settings").scroll_into_view_if_needed()
    screenshot(page, "alerts/settings-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server.url + "/settings/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.evaluate(
        "window.scrollTo(0, document.getElementById('alerts-settings').getBoundingClientRect().top + scrollY - 64)"
    )
    page.screenshot(path=str(Path(screenshot(page, "alerts/settings-phone-page")).with_name("settings-phone.png")))

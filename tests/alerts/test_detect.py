"""Each detector on fake-store histories made to trigger it and made not to (tests/alerts/histories.py): ten weeks of
one order an hour, 09:00-20:00 in New York, written through the sync's upserts into the rollup cells.

Monday 10 March 2025 is "today" (the day after the US clocks went forward, which the local-hour cells absorb).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from storelens.accounts.models import Workspace
from storelens.alerts.detect import UNKNOWN, Finding, day_high, orders_stopped, refund_spike, store_down
from storelens.stores.models import Store
from storelens.stores.status import clear_status, set_status_from_error
from storelens.woocommerce.errors import NeedsReauth, Retriable
from tests.alerts.histories import Shop, regular_shop, utc

pytestmark = pytest.mark.django_db
MONDAY = date(2025, 3, 10)
SUNDAY = date(2025, 3, 9)


@pytest.fixture
def workspace(alice: object) -> Workspace:
    return Workspace.objects.get(name="Alice's Shop")


@pytest.fixture
def shop(workspace: Workspace) -> Shop:
    return regular_shop(workspace, MONDAY)


def at(shop: Shop, day: date, hour: int, minute: int = 30) -> object:
    now = utc(day, hour, minute)
    shop.synced(now)
    return now


# --- orders stopped ---------------------------------------------------------------------------------------------


def test_orders_stop_in_the_afternoon_when_the_store_always_sells_then(shop: Shop) -> None:
    shop.sell(MONDAY, range(9, 13))  # nothing after 12:15
    found = orders_stopped(shop.store, at(shop, MONDAY, 16))
    assert isinstance(found, Finding)
    assert found.figures["silence_hours"] == 4
    assert found.figures["usual_gap_hours"] == 0 and found.figures["threshold_hours"] == 3
    assert found.figures["weeks"] == 8
    assert "No counted order for 4 hours" in found.reason and "Monday 16:00" in found.reason
    assert "checkout may be broken" in found.title


def test_the_night_is_not_silence_when_every_night_is_quiet(shop: Shop) -> None:
    shop.sell(MONDAY, range(9, 21))
    assert orders_stopped(shop.store, at(shop, MONDAY, 23)) is None  # 3 hours, as every night at 23:00


def test_an_hour_or_two_without_an_order_is_not_an_alert(shop: Shop) -> None:
    shop.sell(MONDAY, range(9, 15))
    assert orders_stopped(shop.store, at(shop, MONDAY, 16)) is None


def test_the_usual_gap_is_the_weekdays_own(workspace: Workspace) -> None:
    """Closed on Sundays: nothing on a Sunday afternoon is normal; nothing on a Monday morning is not."""
    store = Store.objects.create(
        workspace=workspace,
        name="Closed Sundays",
        currency="USD",
        timezone_string="America/New_York",
        status=Store.Status.CONNECTED,
        keys_verified_at=timezone.now(),
    )
    shop = Shop(store)
    for back in range(70, 0, -1):
        day = MONDAY - timedelta(days=back)
        if day.weekday() != 6:
            shop.sell(day, range(9, 21))
    assert orders_stopped(store, at(shop, SUNDAY, 15)) is None
    found = orders_stopped(store, at(shop, MONDAY, 11))
    assert isinstance(found, Finding)
    assert found.figures["silence_hours"] == 39  # Saturday 20:00 → Monday 11:00
    assert found.figures["usual_gap_hours"] == 0  # every other Monday sold in the 11:00 hour


def test_a_sync_that_lags_says_nothing_about_orders(shop: Shop) -> None:
    shop.sell(MONDAY, range(9, 13))
    shop.synced(utc(MONDAY, 13))
    assert orders_stopped(shop.store, utc(MONDAY, 16, 30)) is UNKNOWN


def test_a_young_store_has_no_normal_yet(workspace: Workspace) -> None:
    shop = regular_shop(workspace, MONDAY, weeks=3)
    shop.sell(MONDAY, range(9, 10))
    assert orders_stopped(shop.store, at(shop, MONDAY, 16)) is None


# --- refund spike -----------------------------------------------------------------------------------------------


@pytest.fixture
def refunding(shop: Shop) -> Shop:
    """A refund of 10.00 every fourth day of the last four weeks."""
    for back in range(28, 0, -4):
        day = MONDAY - timedelta(days=back)
        shop.refund(shop.next_id - 12 * back, day, 15, 1000)
    return shop


def test_refunds_far_above_the_last_four_weeks_fire(refunding: Shop) -> None:
    ids = refunding.sell(MONDAY, range(9, 12))
    for order_id in ids:
        refunding.refund(order_id, MONDAY, 13, 5000)
    found = refund_spike(refunding.store, utc(MONDAY, 14))
    assert isinstance(found, Finding)
    assert found.figures["refunds"] == 15000 and found.figures["largest_day"] == 1000
    # 28 days of 600.00 less seven refunds of 10.00: a tenth of the average day (597.50) is the highest bar.
    assert found.figures["threshold"] == 5975
    assert "Refunds today: 150.00 USD" in found.reason


def test_a_refund_like_the_usual_ones_is_no_spike(refunding: Shop) -> None:
    ids = refunding.sell(MONDAY, range(9, 12))
    refunding.refund(ids[0], MONDAY, 13, 1000)
    assert refund_spike(refunding.store, utc(MONDAY, 14)) is None


def test_the_first_small_refund_of_a_quiet_month_is_no_spike(shop: Shop) -> None:
    ids = shop.sell(MONDAY, range(9, 12))
    shop.refund(ids[0], MONDAY, 13, 2000)
    assert refund_spike(shop.store, utc(MONDAY, 14)) is None


# --- a day far above normal ---------------------------------------------------------------------------------------


def test_three_times_the_usual_orders_is_a_day_far_above_normal(shop: Shop) -> None:
    shop.sell(MONDAY, range(9, 21), per_hour=3)
    found = day_high(shop.store, utc(MONDAY, 21))
    assert isinstance(found, Finding)
    assert found.figures["orders"] == {"today": 36, "average": 12, "best": 12}
    assert "Orders today 36 against an average of 12" in found.reason


def test_a_busy_but_normal_day_is_not(shop: Shop) -> None:
    shop.sell(MONDAY, range(9, 21), per_hour=2)  # 24 orders and 1,200.00: twice the average, not above
    assert day_high(shop.store, utc(MONDAY, 21)) is None


# --- store down ---------------------------------------------------------------------------------------------------


def test_an_unreachable_store_fires_after_the_grace_period(shop: Shop) -> None:
    set_status_from_error(shop.store, Retriable("Connection refused", code="unreachable"))
    now = shop.store.status_since + timedelta(minutes=5)
    assert store_down(shop.store, now) is UNKNOWN  # one failed pass is retried before anyone is told
    found = store_down(shop.store, shop.store.status_since + timedelta(minutes=20))
    assert isinstance(found, Finding)
    assert found.figures["minutes"] == 20 and found.figures["status"] == "unreachable"
    assert "Unreachable since" in found.reason


def test_revoked_keys_say_so(shop: Shop) -> None:
    set_status_from_error(shop.store, NeedsReauth("The key was revoked", code="key_revoked"))
    found = store_down(shop.store, shop.store.status_since + timedelta(hours=1))
    assert isinstance(found, Finding) and found.title == "Your store's keys stopped working"


def test_a_paused_or_recovered_store_is_not_down(shop: Shop) -> None:
    set_status_from_error(shop.store, Retriable("Connection refused", code="unreachable"))
    clear_status(shop.store)
    assert store_down(shop.store, timezone.now() + timedelta(hours=1)) is None
    shop.store.status = Store.Status.PAUSED
    assert store_down(shop.store, timezone.now() + timedelta(hours=1)) is None

"""An unexpected error in a sync pass (a bug in Storelens, not a store problem) becomes the store's visible status
with a support detail; automatic passes back off and stop after 5 attempts; a fix and a new pass clear it."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from storelens.stores.models import Store
from storelens.sync import failures
from storelens.sync.api import run_sync
from storelens.sync.models import SyncState
from storelens.sync.tasks import refetch, schedule_passes, sync_now

from .conftest import FAST_RETRIES, HOME, make_fake, make_store

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken(workspace: Any, serve_in_process: dict) -> tuple[Any, Any, int]:
    """A store whose newest order carries `"billing": "Array"` (a plugin that printed a PHP array as text): our
    parser expects an object there and raises AttributeError, which no store error covers."""
    fake = make_fake(120, seed=31)
    serve_in_process[HOME] = fake
    order_id = fake.store.orders.ids[-1]
    fake.store.orders.materialize(order_id)["billing"] = "Array"
    return fake, make_store(workspace, fake), order_id


def fail_once(store: Any) -> tuple[Store, SyncState]:
    with pytest.raises(AttributeError):
        run_sync(store.pk, client_options=FAST_RETRIES)
    return Store.objects.get(pk=store.pk), SyncState.objects.get(store=store)


def repair(fake: Any, order_id: int) -> None:
    record = fake.store.orders.materialize(order_id)
    record["billing"] = {**fake.store.orders.get(fake.store.orders.ids[0])["billing"], "email": "fixed@example.com"}


def test_an_unexpected_error_in_the_import_is_the_stores_status_with_a_support_detail(
    broken: tuple[Any, Any, int], client: Any, alice: Any
) -> None:
    _, store, _ = broken
    failed, state = fail_once(store)
    assert (failed.status, failed.status_code) == (Store.Status.ERROR, "sync_failed")
    assert failed.status_message.startswith("Importing history failed on ")
    assert "bug in Storelens" in failed.status_message
    assert "try again by itself at" in failed.status_fix and "(attempt 2 of 5)" in failed.status_fix
    assert "send the support detail" in failed.status_fix
    detail = state.failure_detail
    assert "builtins.AttributeError: 'str' object has no attribute 'get'" in detail
    assert "storelens/commerce/" in detail and " · pass " in detail and " · trace " in detail
    consumer_key, consumer_secret = store.keys()
    assert consumer_key not in detail and consumer_secret not in detail
    assert state.failures == 1 and state.retry_at == state.failed_at + timedelta(minutes=2)

    out = StringIO()
    call_command("sources", "list", "--json", stdout=out)
    (row,) = [r for r in json.loads(out.getvalue()) if r["id"] == store.pk]
    assert (row["status"], row["status_code"]) == ("error", "sync_failed")
    assert row["status_message"] == failed.status_message and row["status_fix"] == failed.status_fix
    assert row["sync_failure"]["detail"] == detail and row["sync_failure"]["attempts"] == 1
    assert row["sync_failure"]["retry_at"] == state.retry_at.isoformat()

    Store.objects.filter(pk=store.pk).update(workspace=alice.workspaces().first())
    client.force_login(alice)
    page = client.get(f"/sources/{store.pk}/").content.decode()
    assert "Sync failed" in page and detail in page.replace("&#x27;", "'")
    pills = re.findall(r'class="status-pill [a-z]*">([^<]*)<', page)
    assert pills and "Importing" not in pills and "Sync failed" in pills


def test_automatic_passes_back_off_then_stop_after_five_attempts_until_something_changes(
    broken: tuple[Any, Any, int],
) -> None:
    _, store, _ = broken
    fail_once(store)
    delays = []
    for _ in range(6):
        state = SyncState.objects.get(store=store)
        if state.retry_at is None:
            break
        delays.append(state.retry_at - state.failed_at)
        assert schedule_passes.call_local() == []  # not due yet
        assert refetch.call_local(store.pk) == "deferred: failure back-off"  # a webhook waits too
        SyncState.objects.filter(store=store).update(retry_at=timezone.now() - timedelta(seconds=1))
        assert schedule_passes.call_local() == [store.pk]  # the pass runs inline in tests, and fails again
    assert delays == [timedelta(minutes=m) for m in (2, 4, 8, 16)]
    state = SyncState.objects.get(store=store)
    assert state.failures == 5 and state.retry_at is None
    assert "stopped retrying after 5 failed attempts" in Store.objects.get(pk=store.pk).status_fix
    # Stopped: a day later the scheduler still leaves it alone; a webhook re-arms one attempt an hour at most.
    SyncState.objects.filter(store=store).update(failed_at=timezone.now() - timedelta(minutes=30))
    assert schedule_passes.call_local() == []
    assert refetch.call_local(store.pk) == "deferred: failure back-off"
    SyncState.objects.filter(store=store).update(failed_at=timezone.now() - timedelta(days=1))
    assert schedule_passes.call_local() == []
    assert refetch.call_local(store.pk) == "failed: sync_failed (AttributeError)"
    assert SyncState.objects.get(store=store).failures == 6
    # An upgrade of Storelens: a failure recorded under another version holds no automatic pass back.
    SyncState.objects.filter(store=store).update(failed_version="0.0.1")
    assert schedule_passes.call_local() == [store.pk]
    state = SyncState.objects.get(store=store)
    assert state.failures == 1 and state.retry_at == state.failed_at + timedelta(minutes=2)


def test_sync_now_after_the_fix_clears_the_failure(broken: tuple[Any, Any, int]) -> None:
    fake, store, order_id = broken
    fail_once(store)
    assert sync_now.call_local(store.pk) == "failed: sync_failed (AttributeError)"  # asked for: runs, re-armed
    assert SyncState.objects.get(store=store).failures == 1
    repair(fake, order_id)
    assert sync_now.call_local(store.pk) == "done"
    healed = Store.objects.get(pk=store.pk)
    assert (healed.status, healed.status_code, healed.status_message, healed.status_fix) == ("connected", "", "", "")
    state = SyncState.objects.get(store=store)
    assert (state.failures, state.retry_at, state.failure_detail) == (0, None, "")
    assert state.import_completed_at is not None


def test_check_connection_does_not_hide_the_failure_and_starts_a_pass_that_clears_it_once_fixed(
    broken: tuple[Any, Any, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from storelens.doctor.runner import check_store

    fake, store, order_id = broken
    failed, _ = fail_once(store)
    check_store(failed)  # the store answers every check; the pass it starts fails again
    still = Store.objects.get(pk=store.pk)
    assert (still.status, still.status_code) == (Store.Status.ERROR, "sync_failed")
    repair(fake, order_id)
    check_store(still)
    assert Store.objects.get(pk=store.pk).status == Store.Status.CONNECTED


def test_the_support_detail_names_the_error_without_secrets() -> None:
    try:
        raise ValueError(
            "GET https://shop.test/wp-json/wc/v3/orders?consumer_key=ck_" + "a" * 40 + "&consumer_secret=x1"
        )
    except ValueError as err:
        detail = failures.support_detail(err, "abcd1234", timezone.now())
    assert "builtins.ValueError: GET https://shop.test/wp-json/wc/v3/orders?consumer_key=[redacted]" in detail
    assert "ck_aaaa" not in detail and "x1" not in detail and "pass abcd1234" in detail


def test_storelens_sync_wait_says_what_failed_what_to_do_and_the_detail(broken: tuple[Any, Any, int]) -> None:
    from django.core.management.base import CommandError

    _, store, _ = broken
    err = StringIO()
    with pytest.raises(CommandError, match="could not be synced"):
        call_command("sync", str(store.pk), "--wait", stdout=StringIO(), stderr=err)
    text = err.getvalue()
    assert "Importing history failed on" in text and "What to do: Storelens will try again by itself" in text
    assert "Support detail: Storelens " in text and "AttributeError" in text


def test_a_failure_that_cannot_be_recorded_still_raises_the_passs_own_error(
    broken: tuple[Any, Any, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the database is what failed, recording the status fails too: the pass's own error is what surfaces."""
    from django.db import OperationalError

    def database_gone(*_: Any, **__: Any) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    _, store, _ = broken
    monkeypatch.setattr(failures, "record", database_gone)
    with pytest.raises(AttributeError):
        run_sync(store.pk, client_options=FAST_RETRIES)

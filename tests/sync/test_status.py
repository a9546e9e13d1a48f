"""Store failures become the source status the user sees, with the one thing to do; success clears it."""

from __future__ import annotations

from typing import Any

import pytest

from storelens.sources.models import Source
from storelens.sync.api import run_sync
from storelens.sync.status import clear_status
from storelens.woocommerce.errors import StoreError

from .conftest import FAST_RETRIES, HOME, make_fake, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_and_source(workspace: Any, serve_in_process: dict) -> tuple[Any, Any]:
    fake = make_fake(60, seed=17)
    serve_in_process[HOME] = fake
    return fake, make_source(workspace, fake)


def _sync_expecting_failure(source: Any) -> Source:
    with pytest.raises(StoreError):
        run_sync(source.pk, client_options=FAST_RETRIES)
    return Source.objects.get(pk=source.pk)


def test_a_revoked_key_asks_to_reconnect_and_success_clears_it(fake_and_source: tuple[Any, Any]) -> None:
    fake, source = fake_and_source
    fake.store.accounts.delete_key(fake.key.key_id)
    failed = _sync_expecting_failure(source)
    assert failed.status == Source.Status.NEEDS_REAUTH and "Reconnect Store" in failed.status_fix
    assert failed.status_code and failed.status_message
    fresh = fake.store.accounts.create_key(1, "Storelens", "read_write")
    failed.set_keys(fresh.consumer_key, fresh.consumer_secret)
    failed.save()
    run_sync(source.pk, client_options=FAST_RETRIES)
    healed = Source.objects.get(pk=source.pk)
    assert (healed.status, healed.status_code, healed.status_message, healed.status_fix) == ("connected", "", "", "")


def test_a_firewall_challenge_is_blocked_and_names_the_vendor(fake_and_source: tuple[Any, Any]) -> None:
    fake, source = fake_and_source
    fake.store.config.set_modes({"waf-cloudflare"})
    failed = _sync_expecting_failure(source)
    assert failed.status == Source.Status.BLOCKED
    assert "cloudflare" in (failed.status_message + failed.status_fix).lower()


def test_maintenance_mode_is_unreachable_for_now(fake_and_source: tuple[Any, Any]) -> None:
    fake, source = fake_and_source
    fake.store.config.set_modes({"maintenance"})
    failed = _sync_expecting_failure(source)
    assert failed.status == Source.Status.UNREACHABLE and failed.status_fix


def test_a_cleared_problem_during_an_unfinished_import_returns_to_importing_not_connected(
    fake_and_source: tuple[Any, Any],
) -> None:
    """The store goes into maintenance after the first page is written; a health check that later finds it fine
    clears the problem (clear_status, as `health.runner.check_source` does), but the import is not done yet."""
    fake, source = fake_and_source

    def maintenance_after_first_page(state: Any) -> None:
        if state.pages_done >= 1:
            fake.store.config.set_modes({"maintenance"})

    with pytest.raises(StoreError):
        run_sync(source.pk, progress=maintenance_after_first_page, client_options=FAST_RETRIES)
    failed = Source.objects.get(pk=source.pk)
    assert failed.status == Source.Status.UNREACHABLE
    fake.store.config.set_modes(set())
    assert clear_status(failed).status == Source.Status.IMPORTING
    assert Source.objects.get(pk=source.pk).status == Source.Status.IMPORTING
    run_sync(source.pk, client_options=FAST_RETRIES)  # the import finishes: now it is connected
    assert Source.objects.get(pk=source.pk).status == Source.Status.CONNECTED
    assert clear_status(Source.objects.get(pk=source.pk)).status == Source.Status.CONNECTED

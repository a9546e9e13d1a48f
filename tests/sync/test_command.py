"""`storelens sync`: in-process with --wait (plain progress lines when not a terminal), queued without it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from storelens.stores.models import Store

from .conftest import HOME, make_fake, make_store
from .equality import assert_copy_equals_store

pytestmark = pytest.mark.django_db


def test_sync_wait_prints_progress_and_returns_when_exact(workspace: Any, serve_in_process: dict) -> None:
    fake = make_fake(250, seed=37)
    serve_in_process[HOME] = fake
    store = make_store(workspace, fake)
    out = io.StringIO()
    call_command("sync", str(store.pk), "--wait", stdout=out)
    text = out.getvalue()
    assert "Importing history — orders" in text
    assert "exact as of the start of this sync" in text
    assert_copy_equals_store(store, fake.store)


def test_sync_wait_reports_what_to_do_when_the_store_refuses(workspace: Any, serve_in_process: dict) -> None:
    fake = make_fake(30, seed=41)
    serve_in_process[HOME] = fake
    store = make_store(workspace, fake)
    fake.store.accounts.delete_key(fake.key.key_id)
    err = io.StringIO()
    with pytest.raises(CommandError, match="could not be synced"):
        call_command("sync", "--all", "--wait", stdout=io.StringIO(), stderr=err)
    assert "What to do:" in err.getvalue()
    assert Store.objects.get(pk=store.pk).status == Store.Status.NEEDS_REAUTH


def test_sync_names_unknown_stores_and_needs_a_target(db: None) -> None:
    with pytest.raises(CommandError, match="No store with id 999"):
        call_command("sync", "999", "--wait")
    with pytest.raises(CommandError, match="--all"):
        call_command("sync")

"""`storelens sources add|list|remove` against the in-process fake store."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from storelens.stores.models import Store

from .helpers import HOME, a_store

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("sources", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_add_checks_the_key_prints_the_new_id_and_starts_the_import(
    alice: Any, fake_store: Any, queued_jobs: Any
) -> None:
    key = fake_store.accounts.create_key(1, "Storelens", "read_write")
    out, err = run("add", "shop.example.com", "--key", key.consumer_key, "--secret", key.consumer_secret)
    store = Store.objects.get()
    assert out.strip() == str(store.pk)
    assert "read and write access" in err
    assert store.home_url == HOME and store.keys_verified_at is not None
    assert [t.name for t in queued_jobs.pending()] == ["start_import"]


def test_add_with_a_wrong_secret_fails_with_the_fix(alice: Any, fake_store: Any) -> None:
    key = fake_store.accounts.create_key(1, "Storelens", "read_write")
    with pytest.raises(CommandError, match="What to do:"):
        run("add", "shop.example.com", "--key", key.consumer_key, "--secret", "cs_" + "0" * 40)
    assert not Store.objects.exists()


def test_add_needs_a_workspace_name_when_there_are_several(alice: Any, bob: Any, fake_store: Any) -> None:
    with pytest.raises(CommandError, match="--workspace"):
        run("add", "shop.example.com", "--key", "ck_" + "0" * 40, "--secret", "cs_" + "0" * 40)


def test_list_prints_a_table_and_json(alice: Any) -> None:
    a_store(alice.workspaces().first(), status=Store.Status.UNREACHABLE, status_message="Timed out.")
    out, _ = run("list")
    assert out.splitlines()[0].split() == ["id", "url", "name", "status", "last_sync", "orders"]
    assert "https://shop.example.com" in out and "unreachable" in out
    rows = json.loads(run("list", "--json")[0])
    assert rows[0]["url"] == "https://shop.example.com" and rows[0]["status"] == "unreachable"
    assert rows[0]["last_sync"] is None and rows[0]["orders"] == 0


def test_remove_needs_yes_then_deletes(alice: Any) -> None:
    store = a_store(alice.workspaces().first())
    with pytest.raises(CommandError, match="--yes"):
        run("remove", str(store.pk))
    assert Store.objects.filter(pk=store.pk).exists()
    out, _ = run("remove", str(store.pk), "--yes")
    assert "Removed Example Shop" in out and not Store.objects.filter(pk=store.pk).exists()


def test_connect_refuses_up_front_when_the_store_could_not_post_keys(
    alice: Any, fake_store: Any, settings: Any
) -> None:
    settings.STORELENS_PUBLIC_URL = ""
    with pytest.raises(CommandError, match="STORELENS_PUBLIC_URL"):
        run("connect", "shop.example.com", "--timeout", "1")


@pytest.mark.parametrize("timeout", ["nan", "inf", "0", "1e999"])
def test_connect_refuses_a_wait_that_would_never_end_or_never_start(alice: Any, timeout: str) -> None:
    with pytest.raises(CommandError, match="give the seconds to wait, from 1 to 86400"):
        run("connect", "shop.example.com", "--timeout", timeout)

"""A backup restored into a new database syncs on exactly (docs/operations.md, Backups and restore): pg_dump of a
synced installation, orders keep arriving at the store, pg_restore into a new database with the same keys, one
`storelens sync --wait`, and the copy equals the store again, without importing the history a second time.

PostgreSQL pass only (pg_dump/pg_restore); about 40 s on a loaded machine.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_PASS, port_answers, service_unavailable
from tests.server.fleet_harness import FakeStore, Installation, mismatches, passes, start_fake_fleet

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(600)]


@pytest.fixture
def synced(tmp_path: Path, migrated_database: str) -> Iterator[tuple[Installation, FakeStore]]:
    if not POSTGRES_PASS:
        pytest.skip("backups are pg_dump/pg_restore: the PostgreSQL pass runs this")
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        service_unavailable("pg_dump and pg_restore are missing: apt-get install postgresql-client")
    if not port_answers("127.0.0.1", 6379):
        service_unavailable("no Redis answers at 127.0.0.1:6379")
    fakes, (store,) = start_fake_fleet([{"name": "shop", "orders": 400, "seed": 8, "months": 6}], tmp_path)
    installation = None
    try:
        installation = Installation.create(tmp_path, "backup", template=migrated_database)
        installation.add_stores([store], processes=1)
        installation.run("sync", str(store.store_id), "--wait")
        yield installation, store
    finally:
        if installation is not None:
            installation.destroy()
        for fake in fakes:
            fake.kill()
            fake.wait()


def test_a_restored_backup_catches_up_exactly_with_an_incremental_pass(
    synced: tuple[Installation, FakeStore], tmp_path: Path
) -> None:
    installation, store = synced
    dump = installation.dump(tmp_path / "storelens.dump")
    store.admin("POST", "/__fleet/orders", {"count": 7})  # the shop keeps selling after the backup
    before = set(passes(store.requests()))

    restored = installation.restored(dump, "restored")
    try:
        restored.run("migrate", "--no-input", "-v", "0")
        restored.run("sync", str(store.store_id), "--wait")
        assert mismatches([store], restored.reports([store])) == {}
    finally:
        restored.destroy()

    log = store.requests()
    (tag,) = set(passes(log)) - before  # one pass on the restored database
    after_restore = [r for r in log if r[5] == tag]
    history = [r for r in log if r[5] != tag and r[5]]
    # An incremental pass and the id census, not the history again.
    assert len(after_restore) < len(history) / 2, (len(after_restore), len(history))

"""kill -9 in the middle of an import, restart, and the copy is exact: nothing lost, nothing twice.

Everything runs as real processes on real sockets: the fake store (`storelens fakestore serve`) and `storelens sync
ID --wait`, exactly as an operator would run them. The default pass gives them a SQLite file in their own data
directory; the PostgreSQL pass (STORELENS_TEST_DATABASE=postgres) their own PostgreSQL database through
STORELENS_DATABASE_URL, so the resume is proven on both (a kill -9 drops a PostgreSQL connection mid-transaction).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_PASS, REPO_ROOT, _postgres, _postgres_url

# Kept by the PostgreSQL pass (which runs only database tests), still run by the default pass.
pytestmark = [pytest.mark.postgres] if POSTGRES_PASS else []

STORELENS = str(Path(sys.executable).with_name("storelens"))
ORDERS = 1500
SEED = 4


@pytest.fixture
def fake_store_process() -> Iterator[tuple[str, str, str]]:
    key, secret = "ck_" + secrets.token_hex(20), "cs_" + secrets.token_hex(20)
    proc = subprocess.Popen(
        [STORELENS, "fakestore", "serve", "--port", "0", "--orders", str(ORDERS), "--seed", str(SEED),
         "--latency-ms", "15", "--consumer-key", key, "--consumer-secret", secret],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        url = ""
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("ready "):
                url = dict(p.split("=", 1) for p in line.split()[1:])["url"]
                break
        assert url, "the fake store did not start"
        yield url, key, secret
    finally:
        proc.kill()
        proc.wait()


@dataclass
class Database:
    """Where the subprocesses keep their copy: `url` for STORELENS_DATABASE_URL ("" means SQLite in the data
    directory) and `execute` to run one SQL statement on it from the test while they run."""

    url: str
    execute: Callable[[str], list[tuple]]


@pytest.fixture
def database(tmp_path: Path, migrated_database: str) -> Iterator[Database]:
    """A migrated database of the pass's kind, copied from the run's migrated one (no migrate per test)."""
    if not POSTGRES_PASS:
        db_path = tmp_path / "storelens.sqlite3"
        shutil.copy(migrated_database, db_path)

        def on_sqlite(statement: str) -> list[tuple]:
            with sqlite3.connect(db_path, timeout=5) as conn:
                return conn.execute(statement).fetchall()

        yield Database("", on_sqlite)
        return
    import psycopg

    name = f"storelens_live_{os.getpid()}_resume"  # the pid lets drop_stale_test_databases clean up after a crash
    _postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _postgres(f'CREATE DATABASE "{name}" TEMPLATE "{migrated_database}"')

    def on_postgres(statement: str) -> list[tuple]:
        with psycopg.connect(_postgres_url(name), autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(statement)
            return cursor.fetchall() if cursor.description else []

    try:
        yield Database(_postgres_url(name), on_postgres)
    finally:
        _postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(data_dir: Path, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "STORELENS_DATA_DIR": str(data_dir),
        "STORELENS_ALLOW_PRIVATE_STORES": "1",
        "STORELENS_DATABASE_URL": database_url,
        "STORELENS_TEST_DATABASE": "",
        "PYTHONPATH": str(REPO_ROOT),
    }


def _python(env: dict[str, str], code: str) -> str:
    script = (
        "import django, os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'storelens.settings')\ndjango.setup()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script + textwrap.dedent(code)], env=env, capture_output=True, text=True, cwd=REPO_ROOT
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _pages_done(database: Database) -> int:
    try:
        rows = database.execute("SELECT pages_done FROM sync_syncstate")
    except sqlite3.OperationalError:  # SQLite busy or mid-write: ask again on the next poll
        return 0
    return int(rows[0][0]) if rows else 0


def test_kill_9_during_the_import_then_restart_loses_nothing_and_duplicates_nothing(
    tmp_path: Path, fake_store_process: tuple[str, str, str], database: Database
) -> None:
    url, key, secret = fake_store_process
    env = _env(tmp_path, database.url)
    store_id = _python(
        env,
        f"""
        from storelens.accounts.models import Workspace
        from storelens.stores.models import Store
        s = Store(workspace=Workspace.objects.create(name="Shop"), home_url={url!r}, currency="USD")
        s.set_keys({key!r}, {secret!r})
        s.save()
        print(s.pk)
        """,
    ).strip()

    first = subprocess.Popen([STORELENS, "sync", store_id, "--wait"], env=env, cwd=REPO_ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + 120
    while _pages_done(database) < 5:
        assert first.poll() is None, f"the sync ended before it could be killed: {first.stderr.read()!r}"
        assert time.monotonic() < deadline, "the import made no progress"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()

    interrupted = _python(
        env,
        """
        from storelens.commerce.models import Order
        from storelens.sync.models import ImportWindow, SyncState
        state = SyncState.objects.get()
        print(Order.objects.count(), state.import_completed_at is None, ImportWindow.objects.count())
        """,
    ).split()
    assert 0 < int(interrupted[0]) < ORDERS and interrupted[1] == "True" and int(interrupted[2]) > 0

    # The dead process's lease runs out by itself (60 s); pretend that time has passed.
    database.execute("UPDATE sync_lease SET expires_at = '2000-01-01 00:00:00'")
    second = subprocess.run([STORELENS, "sync", store_id, "--wait"], env=env, cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert second.returncode == 0, second.stderr[-3000:]
    assert "exact as of the start" in second.stdout

    verdict = _python(
        env,
        f"""
        from django.db.models import Count
        from storelens.commerce.models import Order
        from fakestore.config import FakeStoreConfig
        from fakestore.store import FakeStore
        from storelens.stores.models import Store
        from tests.sync.equality import assert_copy_equals_store
        assert not Order.objects.values("wc_id").annotate(n=Count("id")).filter(n__gt=1).exists()
        store = FakeStore(FakeStoreConfig(orders={ORDERS}, seed={SEED}))
        assert_copy_equals_store(Store.objects.get(), store)
        from django.db import connection
        print("exact", Order.objects.count(), connection.vendor)
        """,
    ).split()
    assert verdict == ["exact", str(ORDERS), "postgresql" if POSTGRES_PASS else "sqlite"]

"""kill -9 in the middle of an import, restart, and the copy is exact: nothing lost, nothing twice.

Everything runs as real processes on real sockets: the fake store (`storelens fakestore serve`) and `storelens sync
ID --wait` with its own SQLite data directory, exactly as an operator would run them.
"""

from __future__ import annotations

import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

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


def _env(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "STORELENS_DATA_DIR": str(data_dir),
        "STORELENS_ALLOW_PRIVATE_STORES": "1",
        "STORELENS_DATABASE_URL": "",
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


def _pages_done(db_path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5) as conn:
            row = conn.execute("SELECT pages_done FROM sync_syncstate").fetchone()
            return int(row[0]) if row else 0
    except sqlite3.OperationalError:
        return 0


def test_kill_9_during_the_import_then_restart_loses_nothing_and_duplicates_nothing(
    tmp_path: Path, fake_store_process: tuple[str, str, str]
) -> None:
    url, key, secret = fake_store_process
    env = _env(tmp_path)
    subprocess.run([STORELENS, "migrate", "-v", "0"], env=env, check=True, cwd=REPO_ROOT)
    source_id = _python(
        env,
        f"""
        from storelens.accounts.models import Workspace
        from storelens.sources.models import Source
        s = Source(workspace=Workspace.objects.create(name="Shop"), home_url={url!r}, currency="USD")
        s.set_keys({key!r}, {secret!r})
        s.save()
        print(s.pk)
        """,
    ).strip()
    db_path = tmp_path / "storelens.sqlite3"

    first = subprocess.Popen([STORELENS, "sync", source_id, "--wait"], env=env, cwd=REPO_ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + 120
    while _pages_done(db_path) < 5:
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
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE sync_lease SET expires_at = '2000-01-01 00:00:00'")
    second = subprocess.run([STORELENS, "sync", source_id, "--wait"], env=env, cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert second.returncode == 0, second.stderr[-3000:]
    assert "exact as of the start" in second.stdout

    verdict = _python(
        env,
        f"""
        from django.db.models import Count
        from storelens.commerce.models import Order
        from storelens.fakestore.config import FakeStoreConfig
        from storelens.fakestore.store import FakeStore
        from storelens.sources.models import Source
        from tests.sync.equality import assert_copy_equals_store
        assert not Order.objects.values("wc_id").annotate(n=Count("id")).filter(n__gt=1).exists()
        store = FakeStore(FakeStoreConfig(orders={ORDERS}, seed={SEED}))
        assert_copy_equals_store(Source.objects.get(), store)
        print("exact", Order.objects.count())
        """,
    )
    assert verdict.startswith("exact")

"""One demo-seeded Storelens server shared by a whole test module, for walks that check many pages of the same data.

`start_storelens_server` (tests/conftest.py) is per test, so a module of short page checks would pay the ~20 s demo
import once per check; this starts the same `storelens serve` on SQLite once per module instead. Page checks only
read, so sharing is safe; a check that writes says so and cleans up after itself.
"""

from __future__ import annotations

import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import LiveServer, free_port, server_env


@contextmanager
def serve_sqlite(data_dir: Path, migrated_sqlite: Path, timeout: float = 60.0) -> Iterator[LiveServer]:
    """A `storelens serve` on a copy of the migrated SQLite file, stopped on exit."""
    env = server_env(data_dir)
    shutil.copy(migrated_sqlite, data_dir / "storelens.sqlite3")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "storelens", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=str(data_dir),
    )
    server = LiveServer(f"http://127.0.0.1:{port}", data_dir, env, process)
    ready: queue.Queue[bool] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            server.output.append(line)
            if "Uvicorn running on" in line:
                ready.put(True)
        ready.put(False)

    threading.Thread(target=pump, daemon=True).start()
    try:
        try:
            started = ready.get(timeout=timeout)
        except queue.Empty:
            started = False
        if not started:
            raise RuntimeError(f"storelens serve did not start within {timeout}s:\n{server.log()}")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

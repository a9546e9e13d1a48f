"""`storelens demo` as a newcomer runs it, twice: the figures do not double, the terminal shows the login rather than
request logs, the keys never appear on a command line, and nothing is left behind in the temporary folder."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port, server_env

pytestmark = pytest.mark.slow

DEMO_ARGS = ("--orders", "40", "--months", "2")


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (read from /proc: the fake stores the demo started)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def command_line(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.fixture
def demo_env(tmp_path: Path, migrated_sqlite: Path) -> dict[str, str]:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(migrated_sqlite, data_dir / "storelens.sqlite3")
    (tmp_path / "tmp").mkdir()
    # A private temporary folder, to see what the demo leaves there.
    return server_env(data_dir, TMPDIR=str(tmp_path / "tmp"))


def storelens(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storelens", *args], env=env, capture_output=True, text=True, timeout=240
    )


def test_demo_serves_with_its_login_last_and_keys_off_the_command_line_then_a_rerun_replaces_its_stores(
    demo_env: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    demo = subprocess.Popen(
        [sys.executable, "-m", "storelens", "demo", *DEMO_ARGS, "--port", str(port)],
        env=demo_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        assert demo.stdout is not None
        for line in demo.stdout:
            lines.append(line)
            if "Uvicorn running on" in line:
                break
        fake_stores = [pid for pid in descendants(demo.pid) if "fakestore" in command_line(pid)]
        assert len(fake_stores) == 2, lines
        for pid in fake_stores:
            assert "ck_" not in command_line(pid) and "cs_" not in command_line(pid), command_line(pid)
        login = httpx.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=10)
        assert login.status_code == 200
    finally:
        demo.send_signal(signal.SIGTERM)
        rest, _ = demo.communicate(timeout=60)
        lines.append(rest)
    output = "".join(lines)
    assert demo.returncode in (0, 130), output[-3000:]  # 130: stopped as by Ctrl-C
    assert f"Sign in at http://127.0.0.1:{port}/" in output
    # The login is what the terminal shows last before the server's own few lines, not under request logs.
    for noise in ("HTTP Request", "PassStats", "GET /", "Executing storelens"):
        assert noise not in output, output
    assert output.count("webhooks active") == 2, output[-3000:]
    assert len(output.splitlines()) < 25, output
    assert not list((tmp_path / "tmp").glob("storelens-demo-*")), "the demo left its temporary folder behind"

    first = json.loads(storelens(demo_env, "sources", "list", "--json").stdout)
    again = storelens(demo_env, "demo", *DEMO_ARGS, "--no-serve")
    assert again.returncode == 0, again.stderr[-3000:]
    assert "Sign in at" not in again.stdout and "storelens serve" in again.stdout
    assert "Replacing the previous demo's stores" in again.stderr
    second = json.loads(storelens(demo_env, "sources", "list", "--json").stdout)
    assert len(first) == len(second) == 2
    assert {s["name"] for s in first} == {s["name"] for s in second}
    assert {s["id"] for s in first}.isdisjoint({s["id"] for s in second})
    assert sum(s["orders"] for s in first) == sum(s["orders"] for s in second)
    assert not list((tmp_path / "tmp").glob("storelens-demo-*"))

    # After the demo, on a server that does not allow private addresses, the demo's stores may still be reached:
    # the sync says what is true there (nothing answers), not that 127.0.0.1 is refused.
    synced = storelens({**demo_env, "STORELENS_ALLOW_PRIVATE_STORES": "0"}, "sync", str(second[0]["id"]), "--wait")
    assert "private" not in synced.stdout + synced.stderr
    assert "could not connect" in synced.stderr.lower() or "refused" in synced.stderr.lower(), synced.stderr


def test_demo_help_lists_its_own_options_and_verbose_not_djangos() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "storelens", "help", "demo"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "storelens.settings"},
    )
    assert result.returncode == 0, result.stderr
    for option in ("--orders", "--no-serve", "--verbose"):
        assert option in result.stdout
    for hidden in ("--settings", "--pythonpath", "--skip-checks", "--traceback"):
        assert hidden not in result.stdout

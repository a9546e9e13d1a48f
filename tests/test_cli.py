"""The `storelens` command."""

from __future__ import annotations

import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from storelens import __version__, cli
from tests.conftest import LiveServer, server_env

EXPECTED = {"serve", "worker", "migrate", "users", "tokens", "version"}


def storelens(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storelens", *args],
        env=server_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_lists_storelens_commands_with_one_line_each(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    listed = {line.split()[0] for line in out.split("Commands:\n")[1].split("\n\n")[0].splitlines()}
    assert listed >= EXPECTED
    assert not listed & {"runserver", "shell", "dbshell", "createsuperuser", "run_huey", "axes_reset"}
    for name, text in cli.storelens_commands().items():
        assert text, f"{name} has no help text"


def test_help_picks_up_new_commands_of_any_storelens_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commands = tmp_path / "sync" / "management" / "commands"
    commands.mkdir(parents=True)
    (commands / "__init__.py").write_text("")
    (commands / "_private.py").write_text("")
    (commands / "sync.py").write_text('class Command:\n    help = """Sync a store.\n\n    More text."""\n')
    monkeypatch.setattr(cli, "PACKAGE_DIR", tmp_path)
    assert cli.storelens_commands()["sync"] == "Sync a store."
    assert "_private" not in cli.storelens_commands()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["version"]) == 0
    assert capsys.readouterr().out.strip() == f"storelens {__version__}"


def test_unknown_command_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["no-such-command"]) == 1
    assert "Unknown command: 'no-such-command'" in capsys.readouterr().err


def test_fakestore_runs_without_django_settings(tmp_path: Path) -> None:
    # A secret key Django would refuse: fakestore must not even load the settings.
    result = storelens(tmp_path, "fakestore", "--help", STORELENS_SECRET_KEY="changeme")
    assert result.returncode == 0, result.stderr
    assert "configuration error" not in result.stderr


def test_serve_refuses_an_unmigrated_database_with_the_fix(tmp_path: Path) -> None:
    result = storelens(tmp_path, "serve", "--port", "1")
    assert result.returncode == 1
    assert "run `storelens migrate` first" in result.stderr


def test_serve_needs_both_halves_of_a_certificate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve", "--tls-cert", str(tmp_path / "cert.pem")]) == 1
    assert "HTTPS needs both --tls-cert and --tls-key" in capsys.readouterr().err


def test_serve_refuses_a_missing_certificate_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve", "--tls-cert", str(tmp_path / "c.pem"), "--tls-key", str(tmp_path / "k.pem")]) == 1
    assert f"{tmp_path / 'c.pem'} does not exist or is not a file" in capsys.readouterr().err


def test_serve_answers_on_http_with_its_job_consumer_running(storelens_server: LiveServer) -> None:
    health = httpx.get(f"{storelens_server.url}/healthz", timeout=10).json()
    assert health["status"] == "ok"
    assert httpx.get(f"{storelens_server.url}/healthz/jobs", timeout=10).json() == {"status": "ok"}
    assert "Job consumer: 2 threads" in storelens_server.log()


def test_serve_over_https_with_an_api_token_from_the_cli(start_storelens_server: Any) -> None:
    server = start_storelens_server(tls=True)
    assert server.url.startswith("https://")
    server.cli("users", "create", "ops@example.com", "--password", "a-long-enough-password")
    token = server.cli("tokens", "create", "--user", "ops@example.com").stdout.strip()
    response = httpx.get(
        f"{server.url}/api/v1/me",
        headers={"Authorization": f"Bearer {token}"},
        verify=ssl.create_default_context(cafile=str(server.ca_file)),
        timeout=10,
    )
    assert response.status_code == 200
    assert response.json()["email"] == "ops@example.com"
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.url}/healthz", timeout=10)  # not trusted without the CA: it really is TLS


def test_serve_without_consumer_reports_jobs_unhealthy(start_storelens_server: Any) -> None:
    server = start_storelens_server(args=("--no-consumer",))
    response = httpx.get(f"{server.url}/healthz/jobs?timeout=0.2", timeout=15)
    assert response.status_code == 503
    assert "No job consumer answered within 0.2 s" in response.json()["detail"]
    assert "storelens worker" in response.json()["detail"]


def test_a_standalone_worker_runs_the_jobs_of_a_server_without_consumer(start_storelens_server: Any) -> None:
    server = start_storelens_server(args=("--no-consumer",))
    worker = subprocess.Popen(
        [sys.executable, "-m", "storelens", "worker", "--workers", "1"],
        env=server.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert worker.stdout is not None
        for line in worker.stdout:  # the worker says which queue it serves before it consumes
            if "Storelens worker:" in line:
                assert "SQLite" in line and str(server.data_dir) in line
                break
        response = httpx.get(f"{server.url}/healthz/jobs?timeout=10", timeout=20)
        assert response.status_code == 200, response.text
    finally:
        worker.terminate()
        worker.wait(timeout=15)


INSTALLED = Path(sys.executable).parent / "storelens"


def installed_storelens(cwd: Path, home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The installed `storelens` script run from `cwd`, as a user would, with no STORELENS_DATA_DIR set."""
    base = {k: v for k, v in server_env(home).items() if k not in ("STORELENS_DATA_DIR", "XDG_DATA_HOME")}
    return subprocess.run(
        [str(INSTALLED), *args],
        cwd=cwd,
        env={**base, "HOME": str(home), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_data_directory_does_not_depend_on_the_folder_a_command_runs_from(tmp_path: Path) -> None:
    home, elsewhere, other = tmp_path / "home", tmp_path / "elsewhere", tmp_path / "other"
    for folder in (home, elsewhere, other):
        folder.mkdir()
    data_dir = home / ".local" / "share" / "storelens"

    unmigrated = installed_storelens(elsewhere, home, "sources", "list")
    assert unmigrated.returncode == 1
    assert "Traceback" not in unmigrated.stderr
    assert "run `storelens migrate` first" in unmigrated.stderr
    assert str(data_dir / "storelens.sqlite3") in unmigrated.stderr
    assert not (elsewhere / "var").exists()
    assert (data_dir / "secret_key").is_file() and (data_dir / "encryption_key").is_file()

    assert installed_storelens(other, home, "migrate", "--no-input", "-v", "0").returncode == 0
    listed = installed_storelens(elsewhere, home, "sources", "list")  # the database `migrate` made, from elsewhere
    assert listed.returncode == 0, listed.stderr
    assert list(elsewhere.iterdir()) == [] and list(other.iterdir()) == []


def test_xdg_data_home_and_storelens_data_dir_choose_the_data_directory_and_commands_say_to_migrate(
    tmp_path: Path,
) -> None:
    xdg, chosen = tmp_path / "xdg", tmp_path / "chosen"
    tokens = installed_storelens(
        tmp_path, tmp_path, "tokens", "list", "--user", "x@example.com", XDG_DATA_HOME=str(xdg)
    )
    report = installed_storelens(
        tmp_path,
        tmp_path,
        "report",
        "--all",
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-31",
        STORELENS_DATA_DIR=str(chosen),
    )
    worker = installed_storelens(tmp_path, tmp_path, "worker", STORELENS_DATA_DIR=str(chosen))
    for result, data_dir in ((tokens, xdg / "storelens"), (report, chosen), (worker, chosen)):
        assert result.returncode == 1, result.stderr
        assert "run `storelens migrate` first" in result.stderr and "Traceback" not in result.stderr
        assert str(data_dir / "storelens.sqlite3") in result.stderr

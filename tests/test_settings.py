"""Settings are read from the environment, typed, and refused at start-up when unusable."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.db.utils import ConnectionHandler, OperationalError

from storelens import config
from storelens.config import SettingError
from tests.conftest import server_env


def test_booleans_accept_the_usual_words_and_refuse_the_rest() -> None:
    assert config.env_bool("X", environ={"X": "yes"}) is True
    assert config.env_bool("X", environ={"X": "0"}) is False
    assert config.env_bool("X", True, environ={}) is True
    with pytest.raises(SettingError, match="X='maybe' is not a yes/no value"):
        config.env_bool("X", environ={"X": "maybe"})


def test_integers_are_checked_against_their_minimum() -> None:
    assert config.env_int("N", 5, environ={"N": " 7 "}) == 7
    assert config.env_int("N", 5, environ={}) == 5
    with pytest.raises(SettingError, match="not a whole number"):
        config.env_int("N", 5, environ={"N": "five"})
    with pytest.raises(SettingError, match="at least 1"):
        config.env_int("N", 5, minimum=1, environ={"N": "0"})


def test_public_url_keeps_scheme_host_and_port_only() -> None:
    assert (
        config.public_url("STORELENS_PUBLIC_URL", environ={"STORELENS_PUBLIC_URL": "https://lens.example.com/"})
        == "https://lens.example.com"
    )
    assert config.public_url("STORELENS_PUBLIC_URL", environ={}) == ""
    with pytest.raises(SettingError, match="no path or query"):
        config.public_url("STORELENS_PUBLIC_URL", environ={"STORELENS_PUBLIC_URL": "https://lens.example.com/app"})
    with pytest.raises(SettingError, match="must look like http"):
        config.public_url("STORELENS_PUBLIC_URL", environ={"STORELENS_PUBLIC_URL": "lens.example.com"})


@pytest.mark.parametrize("value", ["changeme", "django-insecure-abc123def456ghi789jkl012mno345pqr678", "short"])
def test_known_or_weak_secret_keys_are_refused(value: str) -> None:
    with pytest.raises(SettingError, match="STORELENS_SECRET_KEY"):
        config.check_secret_key(value, "STORELENS_SECRET_KEY")


def test_secret_key_is_generated_once_into_the_data_dir_and_reused(tmp_path: Path) -> None:
    first = config.secret_key("STORELENS_SECRET_KEY", tmp_path, environ={})
    assert len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert config.secret_key("STORELENS_SECRET_KEY", tmp_path, environ={}) == first
    explicit = "x" * 10 + Fernet.generate_key().decode()
    assert config.secret_key("STORELENS_SECRET_KEY", tmp_path, environ={"STORELENS_SECRET_KEY": explicit}) == explicit


def test_encryption_key_is_generated_and_validated(tmp_path: Path) -> None:
    key = config.encryption_key("STORELENS_ENCRYPTION_KEY", tmp_path, environ={})
    Fernet(key.encode())
    assert config.encryption_key("STORELENS_ENCRYPTION_KEY", tmp_path, environ={}) == key
    with pytest.raises(SettingError, match="not a Fernet key"):
        config.encryption_key("STORELENS_ENCRYPTION_KEY", tmp_path, environ={"STORELENS_ENCRYPTION_KEY": "not-a-key"})


def test_storelens_settings_are_django_settings() -> None:
    assert isinstance(settings.STORELENS_DATA_DIR, Path)
    assert isinstance(settings.STORELENS_ALLOW_PRIVATE_STORES, bool)
    assert isinstance(settings.STORELENS_PUBLIC_URL, str)
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    # Storelens's own apps, after Django's and the libraries', lower layers before the ones that build on them.
    ours = [app for app in settings.INSTALLED_APPS if app.startswith("storelens.")]
    assert ours == [
        f"storelens.{app}"
        for app in (
            "mail",
            "server",
            "doctor",
            "accounts",
            "stores",
            "commerce",
            "sync",
            "analytics",
            "connector",
            "alerts",
            "dashboard",
            "api",
        )
    ]
    assert settings.INSTALLED_APPS[-len(ours) :] == ours


def run_storelens(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storelens", *args],
        env=server_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_known_secret_key_stops_start_up_with_what_to_do(tmp_path: Path) -> None:
    result = run_storelens(tmp_path, "migrate", STORELENS_SECRET_KEY="changeme")
    assert result.returncode == 2
    assert "STORELENS_SECRET_KEY is set to a well-known value" in result.stderr
    assert "Unset it" in result.stderr


def test_a_bad_database_url_stops_start_up(tmp_path: Path) -> None:
    result = run_storelens(tmp_path, "migrate", STORELENS_DATABASE_URL="mysql://x@localhost/db")
    assert result.returncode == 2
    assert "STORELENS_DATABASE_URL='mysql://x@localhost/db' is not a URL Storelens understands" in result.stderr


def test_sqlite_database_runs_in_wal_mode(migrated_sqlite: Path) -> None:
    with sqlite3.connect(migrated_sqlite) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sqlite_transactions_take_the_write_lock_when_they_begin(tmp_path: Path, django_db_blocker: Any) -> None:
    """IMMEDIATE: a second writer waits on the busy timeout instead of failing mid-transaction on a lock upgrade."""
    options = sys.modules["storelens.settings"]._sqlite(str(tmp_path / "lock.sqlite3"))
    options["OPTIONS"] = {**options["OPTIONS"], "timeout": 0.2}
    handler = ConnectionHandler({"default": options, "second": dict(options)})
    first, second = handler["default"], handler["second"]
    with django_db_blocker.unblock():
        _second_writer_is_locked_out(first, second)


def _second_writer_is_locked_out(first: Any, second: Any) -> None:
    try:
        with first.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x INTEGER)")
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        first._start_transaction_under_autocommit()  # what transaction.atomic() does on SQLite
        with pytest.raises(OperationalError, match="locked"), second.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES (1)")
    finally:
        first.close()
        second.close()


@pytest.mark.skipif(os.environ.get("STORELENS_TEST_DATABASE") != "postgres", reason="PostgreSQL pass only")
@pytest.mark.django_db
def test_postgres_pass_runs_on_postgres_in_its_own_database() -> None:
    from django.db import connection

    assert connection.vendor == "postgresql"
    assert connection.settings_dict["NAME"] == f"test_storelens_{os.getpid()}"

"""Is the database ready? Every command that reads it says "run `storelens migrate`" instead of a Django traceback.

`serve`, `worker` and `demo` ask before they start anything (`require_migrated`); the `storelens` command catches
the database error any other command hits on missing tables and turns it into the same advice (`missing_tables_advice`).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections


def database_description(using: str = DEFAULT_DB_ALIAS) -> str:
    """Which database this is, in words an owner can act on (the SQLite file's path, or the server and name)."""
    config = connections[using].settings_dict
    if config["ENGINE"].endswith("sqlite3"):
        return f"the SQLite database {config['NAME']}"
    return f"the database {config.get('NAME')} on {config.get('HOST') or 'localhost'}"


def pending_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Names of the migrations not yet applied ("app.0001_initial"); raises when the database cannot be reached."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def advice(using: str = DEFAULT_DB_ALIAS) -> str:
    """What to do when the database is not up to date, naming the database and any older data folder here."""
    message = (
        f"{database_description(using)} is not set up or not up to date: run `storelens migrate` first, "
        "then run this command again."
    )
    old = Path.cwd() / "var" / "storelens.sqlite3"
    if old.is_file() and Path(connections[using].settings_dict["NAME"]) != old.resolve():
        message += (
            f" (Older versions kept their data in ./var of the folder they ran from; to keep using {old.parent}, "
            f"set STORELENS_DATA_DIR={old.parent}.)"
        )
    return message


def require_migrated(using: str = DEFAULT_DB_ALIAS) -> None:
    """Raise a CommandError with the fix when migrations are pending or the database cannot be reached."""
    try:
        pending = pending_migrations(using)
    except Exception as exc:
        raise CommandError(
            f"Cannot reach {database_description(using)} ({exc}). Check STORELENS_DATABASE_URL "
            f"(data directory: {settings.STORELENS_DATA_DIR})."
        ) from exc
    if pending:
        raise CommandError(advice(using))


def missing_tables_advice(exc: BaseException, using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The migrate advice when `exc` (a database error a command raised) comes from an unmigrated database."""
    try:
        pending = pending_migrations(using)
    except Exception:
        return None
    return advice(using) if pending else None

"""A fresh MariaDB database and user per store, through the `mariadb` command-line client (no Python driver needed).

The database server is the machine's own (127.0.0.1:3306). Creating and dropping databases and users needs MariaDB's
root, reached through the unix socket as the operating-system root (the Debian default); the store itself and `sql()`
use the per-run user over TCP, as WordPress does.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
PORT = 3306
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


class MariaDBUnavailable(RuntimeError):
    """No MariaDB client, server or root access: the real store cannot run here (the message says what is missing)."""


def client() -> str:
    for name in ("mariadb", "mysql"):
        path = shutil.which(name)
        if path:
            return path
    raise MariaDBUnavailable("the MariaDB client is missing: install it with `apt-get install mariadb-client`")


def dump_tool() -> str:
    for name in ("mariadb-dump", "mysqldump"):
        path = shutil.which(name)
        if path:
            return path
    raise MariaDBUnavailable("mariadb-dump is missing: install it with `apt-get install mariadb-client`")


def as_root(script: str, timeout: float = 60) -> str:
    """Run SQL as MariaDB's root through the unix socket; raises MariaDBUnavailable with the server's answer."""
    result = subprocess.run(
        [client(), "--user=root", "--batch", "--skip-column-names"],
        input=script,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise MariaDBUnavailable(
            "cannot reach MariaDB as root through its unix socket (needed to create a database per store): "
            f"{result.stderr.strip()}. Start MariaDB (`service mariadb start`) and run the tests as the OS root."
        )
    return result.stdout


def literal(value: Any) -> str:
    """`value` as an SQL literal (for `sql(query, params)` without a driver)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | Decimal):
        return str(value)
    text = str(value).replace("\\", "\\\\").replace("'", "\\'").replace("\0", "\\0")
    return f"'{text}'"


def bind(query: str, params: Sequence[Any] = ()) -> str:
    """Replace each `%s` in `query` by the next parameter as a literal (`%%` is a literal percent sign)."""
    parts = query.split("%s")
    if len(parts) - 1 != len(params):
        raise ValueError(f"{len(parts) - 1} placeholders, {len(params)} parameters: {query}")
    out = [parts[0]]
    for value, part in zip(params, parts[1:], strict=True):
        out += [literal(value), part]
    return "".join(out).replace("%%", "%")


@dataclass
class Database:
    """One store's database and its own user (`name` doubles as the user name)."""

    name: str
    user: str
    password: str
    options_file: Path
    saved_state: dict[str, tuple[str | None, str | None]] | None = None  # per table, as snapshot() left it

    @classmethod
    def create(cls, folder: Path, prefix: str = "realstore") -> Database:
        suffix = secrets.token_hex(4)
        name = f"{prefix}_{suffix}"
        password = secrets.token_urlsafe(18)
        as_root(
            f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci;\n"
            f"CREATE USER '{name}'@'127.0.0.1' IDENTIFIED BY '{password}';\n"
            f"CREATE USER '{name}'@'localhost' IDENTIFIED BY '{password}';\n"
            f"GRANT ALL ON `{name}`.* TO '{name}'@'127.0.0.1';\n"
            f"GRANT ALL ON `{name}`.* TO '{name}'@'localhost';\n"
            # The snapshot copy (see snapshot()) lives beside the database, owned by the same user.
            f"GRANT ALL ON `{name}_snap`.* TO '{name}'@'127.0.0.1';\n"
        )
        options_file = folder / "my.cnf"
        options_file.write_text(
            f"[client]\nhost={HOST}\nport={PORT}\nuser={name}\npassword={password}\ndefault-character-set=utf8mb4\n"
        )
        options_file.chmod(0o600)
        return cls(name, name, password, options_file)

    def drop(self) -> None:
        as_root(
            f"DROP DATABASE IF EXISTS `{self.name}`;\nDROP DATABASE IF EXISTS `{self.name}_snap`;\n"
            f"DROP USER IF EXISTS '{self.user}'@'127.0.0.1';\nDROP USER IF EXISTS '{self.user}'@'localhost';\n"
        )

    def _client(self, *args: str) -> list[str]:
        return [client(), f"--defaults-extra-file={self.options_file}", *args]

    def execute(self, script: str, timeout: float = 300) -> str:
        """Run an SQL script as the store's user in its database; returns the batch output."""
        result = subprocess.run(
            self._client("--batch", self.name), input=script, capture_output=True, text=True, timeout=timeout
        )
        if result.returncode:
            raise RuntimeError(f"MariaDB refused the script on {self.name}: {result.stderr.strip()}\n{script[:2000]}")
        return result.stdout

    def sql(self, query: str, params: Sequence[Any] = ()) -> list[dict[str, str | None]]:
        """Rows of one statement as dicts of strings (NULL is None), as WordPress's `$wpdb` would see them."""
        result = subprocess.run(
            self._client("--xml", self.name), input=bind(query, params), capture_output=True, text=True, timeout=300
        )
        if result.returncode:
            raise RuntimeError(f"MariaDB refused the query on {self.name}: {result.stderr.strip()}\n{query}")
        if not result.stdout.strip():
            return []
        rows = []
        for row in ET.fromstring(result.stdout).iter("row"):
            rows.append(
                {field.get("name", ""): None if field.get(XSI_NIL) == "true" else field.text or "" for field in row}
            )
        return rows

    def tables(self, schema: str | None = None) -> list[str]:
        rows = self.sql(
            "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = %s ORDER BY table_name",
            (schema or self.name,),
        )
        return [row["t"] or "" for row in rows]

    def dump(self, path: Path) -> None:
        """mariadb-dump of the whole database into `path` (to load into another, fresh database)."""
        with path.open("wb") as out:
            result = subprocess.run(
                [
                    dump_tool(),
                    f"--defaults-extra-file={self.options_file}",
                    "--single-transaction",
                    "--skip-lock-tables",
                    "--no-tablespaces",
                    "--skip-comments",
                    self.name,
                ],
                stdout=out,
                stderr=subprocess.PIPE,
                timeout=300,
            )
        if result.returncode:
            raise RuntimeError(f"mariadb-dump {self.name} failed: {result.stderr.decode(errors='replace')}")

    def load(self, path: Path) -> None:
        """Load a dump made by dump() (from any database) into this one."""
        with path.open("rb") as store:
            result = subprocess.run(self._client(self.name), stdin=store, capture_output=True, timeout=300)
        if result.returncode:
            raise RuntimeError(f"loading {path} into {self.name} failed: {result.stderr.decode(errors='replace')}")

    def state(self) -> dict[str, tuple[str | None, str | None]]:
        """Per table: (CHECKSUM TABLE, next AUTO_INCREMENT): equal states mean equal contents and equal next ids."""
        tables = self.tables()
        if not tables:
            return {}
        checksums = self.sql("CHECKSUM TABLE " + ", ".join(f"`{self.name}`.`{table}`" for table in tables))
        counters = self.sql(
            "SELECT table_name AS t, auto_increment AS n FROM information_schema.tables WHERE table_schema = %s",
            (self.name,),
        )
        next_ids = {row["t"]: row["n"] for row in counters}
        states = {}
        for row in checksums:
            table = (row["Table"] or "").split(".", 1)[1]
            states[table] = (row["Checksum"], next_ids.get(table))
        return states

    def snapshot(self) -> None:
        """Copy every table into `<name>_snap` (server-side, no dump to parse) and note each table's state."""
        snap = f"{self.name}_snap"
        lines = [f"DROP DATABASE IF EXISTS `{snap}`;", f"CREATE DATABASE `{snap}`;"]
        for table in self.tables():
            lines += [
                f"CREATE TABLE `{snap}`.`{table}` LIKE `{self.name}`.`{table}`;",
                f"INSERT INTO `{snap}`.`{table}` SELECT * FROM `{self.name}`.`{table}`;",
            ]
        self.execute("\n".join(lines))
        self.saved_state = self.state()

    def restore(self) -> list[str]:
        """Put the database back as snapshot() saw it; returns the tables that had to be recopied.

        Only tables whose checksum or next AUTO_INCREMENT differ from the snapshot's are recopied (a test usually
        touches a handful of 50); tables created since are dropped. The next AUTO_INCREMENT is put back too, so ids
        used and deleted before the snapshot (permanently deleted orders) are never handed out again.
        """
        saved = self.saved_state
        if saved is None:
            raise RuntimeError(f"no snapshot of {self.name}: call snapshot() first")
        snap = f"{self.name}_snap"
        now = self.state()
        changed = sorted(table for table in saved if now.get(table) != saved[table])
        created = sorted(set(now) - set(saved))
        if not changed and not created:
            return []
        lines = ["SET FOREIGN_KEY_CHECKS = 0;"]
        lines += [f"DROP TABLE IF EXISTS `{table}`;" for table in (*created, *changed)]
        for table in changed:
            lines += [
                f"CREATE TABLE `{table}` LIKE `{snap}`.`{table}`;",
                f"INSERT INTO `{table}` SELECT * FROM `{snap}`.`{table}`;",
            ]
            next_id = saved[table][1]
            if next_id:
                lines.append(f"ALTER TABLE `{table}` AUTO_INCREMENT = {int(next_id)};")
        self.execute("\n".join(lines))
        return [*changed, *created]

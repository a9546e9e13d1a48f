"""Fixtures shared by the whole suite.

- Personas: `alice` owns "Alice's Shop", `bob` owns "Bob's Boutique" (two workspaces, for scoping tests).
- `csrf_client`: a Django test client that enforces CSRF, for every test that posts a form.
- `api_client_for(user)`: a client carrying a Bearer token of that user's workspace.
- `storelens_server` / `start_storelens_server(...)`: a real `storelens serve` subprocess on a free port with its own
  data directory (HTTPS when asked), for browser and end-to-end tests.
- `browser_page` and `screenshot`: Playwright in Debian's Chromium; screenshots land in var/screenshots/.
- `redis_url`: the real Redis, skipped when none answers (a failure under STORELENS_REQUIRE_SERVICES=1).

Background jobs run immediately (Huey immediate mode) unless a test builds its own queue.
"""

from __future__ import annotations

import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client
from huey.contrib.djhuey import HUEY

from tests.realstore.fixtures import (  # noqa: F401 - fixtures, registered by import
    REAL_STORE_FIXTURES,
    real_store_eu,
    real_store_us,
    restored_real_store_eu,
    restored_real_store_us,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT_DIR = REPO_ROOT / "var" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
# Fixtures through which a test reaches the database; the PostgreSQL pass runs only such tests.
DB_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}
)
POSTGRES_PASS = os.environ.get("STORELENS_TEST_DATABASE", "").lower() == "postgres"
REQUIRE_SERVICES = os.environ.get("STORELENS_REQUIRE_SERVICES", "") == "1"
REAL_STORE_TIMEOUT = 1200  # seconds: a cold real store (install + seed) inside the first test that asks for it

# Tasks run inline in tests: a job's effect is visible when the call returns, no consumer needed.
HUEY.immediate = True


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Still Argon2 (hashes start with "argon2$"), with parameters cheap enough for hundreds of test users."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1


settings.PASSWORD_HASHERS = ["tests.conftest.QuickArgon2PasswordHasher", *settings.PASSWORD_HASHERS]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the PostgreSQL pass keep only tests that touch the database; the rest already ran on the SQLite pass.

    Tests on a real WordPress store are marked `realstore` and kept on both passes (they drive Storelens's database);
    the first one to ask for a store may build it (install and seed, minutes on a busy machine), hence their timeout.
    """
    for item in items:
        if REAL_STORE_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("realstore"):
            if not item.get_closest_marker("realstore"):
                item.add_marker(pytest.mark.realstore)
            if not item.get_closest_marker("timeout"):
                item.add_marker(pytest.mark.timeout(REAL_STORE_TIMEOUT))
    if not POSTGRES_PASS:
        for item in items:
            if item.get_closest_marker("postgres"):
                item.add_marker(pytest.mark.skip(reason="needs the PostgreSQL pass (STORELENS_TEST_DATABASE=postgres)"))
        return
    keep, drop = [], []
    for item in items:
        uses_db = item.get_closest_marker("django_db") or DB_FIXTURES & set(getattr(item, "fixturenames", ()))
        uses_db = (
            uses_db
            or item.get_closest_marker("postgres")
            or item.get_closest_marker("realstore")
            or "storelens_server" in getattr(item, "fixturenames", ())
        )
        (keep if uses_db else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_sessionstart(session: pytest.Session) -> None:
    if POSTGRES_PASS:
        drop_stale_test_databases()


def drop_stale_test_databases() -> None:
    """Drop test databases left by runs that were killed: their pid is gone and nobody is connected to them.

    Every run names its databases after its pid (settings.py, start_storelens_server), so a live run's are never
    touched, and parallel runs by several engineers on this machine do not collide.
    """
    import re

    import psycopg

    try:
        conn = psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        return  # the pass will report the missing server itself
    with conn:
        rows = conn.execute(
            "SELECT datname FROM pg_database"
            " WHERE datname ~ '^(test_storelens|storelens_live|storelens_template)_[0-9]+'"
            " AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = pg_database.datname)"
        ).fetchall()
        for (name,) in rows:
            pid = int(re.match(r"^\D+_(\d+)", name).group(1))  # type: ignore[union-attr]
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            except PermissionError:
                pass  # alive, someone else's


def service_unavailable(message: str) -> None:
    """Skip, or fail when the run promised every service (CI sets STORELENS_REQUIRE_SERVICES=1)."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{message} (STORELENS_REQUIRE_SERVICES=1 requires it)")
    pytest.skip(message)


def port_answers(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- personas ----------------------------------------------------------------------------------------------

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def make_member(db: None) -> Callable[..., Any]:
    """`make_member(email, workspace_name, role="owner")`: a user in that workspace (created when missing)."""
    from storelens.accounts.models import Membership, User, Workspace

    def make(email: str, workspace_name: str, role: str = "owner", password: str = PASSWORD) -> User:
        user = User.objects.filter(email=email).first() or User.objects.create_user(email, password)
        workspace = Workspace.objects.filter(name=workspace_name).first() or Workspace.objects.create(
            name=workspace_name
        )
        Membership.objects.get_or_create(user=user, workspace=workspace, defaults={"role": role})
        return user

    return make


@pytest.fixture
def alice(make_member: Callable[..., Any]) -> Any:
    return make_member("alice@example.com", "Alice's Shop")


@pytest.fixture
def bob(make_member: Callable[..., Any]) -> Any:
    return make_member("bob@example.com", "Bob's Boutique")


@pytest.fixture
def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def client_for(db: None) -> Callable[[Any], Client]:
    """A signed-in browser-like client (session cookie) for `user`."""

    def make(user: Any) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def api_client_for(db: None) -> Callable[[Any], Client]:
    """A client that sends a fresh Bearer token of `user` (in their first workspace) with every request."""
    from storelens.accounts.models import ApiToken

    def make(user: Any, workspace: Any = None) -> Client:
        _, raw = ApiToken.issue(user, workspace or user.workspaces().first(), "test")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


# --- a real server -------------------------------------------------------------------------------------------------


@dataclass
class LiveServer:
    """A `storelens serve` subprocess. `url` has no trailing slash; `cli()` runs storelens against the same data."""

    url: str
    data_dir: Path
    env: dict[str, str]
    process: subprocess.Popen[str]
    ca_file: Path | None = None
    output: list[str] = field(default_factory=list)

    def cli(self, *args: str, check: bool = True, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "storelens", *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=check,
            input=input,
            timeout=120,
        )

    def log(self) -> str:
        return "".join(self.output)


def server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a child Storelens: this one's, minus anything that would point it at the test databases."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in ("STORELENS_TEST_DATABASE", "STORELENS_DATABASE_URL", "STORELENS_QUEUE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        STORELENS_DATA_DIR=str(data_dir),
        STORELENS_ALLOW_PRIVATE_STORES="1",
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="storelens.settings",
    )
    env.update(extra)
    return env


def _migrate(env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "storelens", "migrate", "--no-input", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if result.returncode:
        raise RuntimeError(f"storelens migrate failed:\n{result.stdout}{result.stderr}")


def _postgres(statement: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(statement)


def _postgres_url(name: str) -> str:
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file made once per run, to copy into a data directory (saves a migrate per server)."""
    data_dir = tmp_path_factory.mktemp("migrated-sqlite")
    _migrate(server_env(data_dir))
    return data_dir / "storelens.sqlite3"


@pytest.fixture(scope="session")
def migrated_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated once per run, which each live server copies instead of migrating its own.

    SQLite: the path of a migrated file. PostgreSQL pass: the name of a migrated template database.
    """
    if not POSTGRES_PASS:
        yield str(request.getfixturevalue("migrated_sqlite"))
        return
    data_dir = tmp_path_factory.mktemp("migrated-postgres")
    template = f"storelens_template_{os.getpid()}"
    _postgres(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
    _postgres(f'CREATE DATABASE "{template}"')
    try:
        _migrate(server_env(data_dir, STORELENS_DATABASE_URL=_postgres_url(template)))
        yield template
    finally:
        _postgres(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')


@pytest.fixture
def start_storelens_server(
    tmp_path_factory: pytest.TempPathFactory, migrated_database: str
) -> Iterator[Callable[..., LiveServer]]:
    """`start_storelens_server(tls=False, args=(), host=, port=, ca=, **env)`: a real server, stopped after the test.

    `args` are extra `storelens serve` options (e.g. `("--no-consumer",)`); `env` extra environment variables.

    On the PostgreSQL pass the server gets its own fresh PostgreSQL database; otherwise SQLite in its data directory.
    With `tls=True` it serves HTTPS with a certificate for `host` (and localhost) from `ca` (a trustme CA; a throw-away
    one by default), whose PEM is `server.ca_file`. `host`/`port` default to 127.0.0.1 and a free port; a real store's
    callback needs `host=store.host, port=8080, ca=store.ca` (see tests/realstore).
    """
    servers: list[LiveServer] = []
    databases: list[str] = []

    def start(
        tls: bool = False,
        args: tuple[str, ...] = (),
        timeout: float = 60.0,
        host: str = "127.0.0.1",
        port: int | None = None,
        ca: Any = None,
        **extra_env: str,
    ) -> LiveServer:
        data_dir = tmp_path_factory.mktemp("storelens-data")
        env = server_env(data_dir, **extra_env)
        if POSTGRES_PASS:
            name = f"storelens_live_{os.getpid()}_{len(databases)}"
            _postgres(f'CREATE DATABASE "{name}" TEMPLATE "{migrated_database}"')
            databases.append(name)
            env["STORELENS_DATABASE_URL"] = _postgres_url(name)
        else:
            shutil.copy(migrated_database, data_dir / "storelens.sqlite3")
        port = port or free_port()
        command = [sys.executable, "-m", "storelens", "serve", "--host", host, "--port", str(port), *args]
        ca_file = None
        if tls:
            import trustme

            ca = ca or trustme.CA()
            cert = ca.issue_cert(host, "localhost")
            ca_file = data_dir / "test-ca.pem"
            ca.cert_pem.write_to_path(str(ca_file))
            cert.private_key_pem.write_to_path(str(data_dir / "tls-key.pem"))
            cert.cert_chain_pems[0].write_to_path(str(data_dir / "tls-cert.pem"))
            for extra in cert.cert_chain_pems[1:]:
                extra.write_to_path(str(data_dir / "tls-cert.pem"), append=True)
            command += ["--tls-cert", str(data_dir / "tls-cert.pem"), "--tls-key", str(data_dir / "tls-key.pem")]
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=str(data_dir)
        )
        scheme = "https" if tls else "http"
        server = LiveServer(f"{scheme}://{host}:{port}", data_dir, env, process, ca_file)
        servers.append(server)
        ready: queue.Queue[bool] = queue.Queue()

        def pump() -> None:
            # Reading every line keeps the pipe from filling up, and the first "running on" line is our start signal.
            assert process.stdout is not None
            for line in process.stdout:
                server.output.append(line)
                if "Uvicorn running on" in line:
                    ready.put(True)
            ready.put(False)

        threading.Thread(target=pump, daemon=True).start()
        try:
            started = ready.get(timeout=timeout)
        except queue.Empty:
            started = False
        if not started:
            process.kill()
            raise RuntimeError(f"storelens serve did not start within {timeout}s:\n{server.log()}")
        return server

    yield start

    for server in servers:
        server.process.terminate()
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
    for name in databases:
        _postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def storelens_server(start_storelens_server: Callable[..., LiveServer]) -> LiveServer:
    return start_storelens_server()


# --- browser ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[Any]:
    """One Chromium per test module.

    Playwright's sync API keeps an event loop running on the main thread, where Django then refuses ORM calls as
    "async unsafe"; the flag allows them while the browser lives, and only then.
    """
    if not CHROMIUM.exists():
        service_unavailable(f"{CHROMIUM} is missing: install it with `apt-get install chromium` (make test does)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_page(chromium_browser: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) and page, 1280×800, accepting the test CA's self-signed certificates."""
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 800}, ignore_https_errors=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """`screenshot(page, "name")` saves var/screenshots/name.png (full page) and returns the path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# --- services ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("STORELENS_QUEUE_URL", "")
    if not url.startswith("redis"):
        url = "redis://127.0.0.1:6379/15"
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if not port_answers(parts.hostname or "127.0.0.1", parts.port or 6379):
        service_unavailable(f"no Redis answers at {parts.hostname}:{parts.port or 6379}")
    return url

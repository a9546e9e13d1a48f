"""An agency's fleet on this machine, as real processes: fake stores (`storelens fakestore fleet`, many per process),
a PostgreSQL database, a Redis queue, `storelens serve --no-consumer` and N `storelens worker` processes, each with
its own data directory (standing in for machines that share only the database, the queue and the two keys).

Used by the fleet test (tests/server/test_fleet.py) and the fleet benchmark (bench/fleet.py); no pytest here.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
STRIPPED = ("STORELENS_TEST_DATABASE", "STORELENS_DATABASE_URL", "STORELENS_QUEUE_URL", "DJANGO_SETTINGS_MODULE")


@dataclass
class FakeStore:
    name: str
    url: str
    key: str
    secret: str
    store_id: int = 0

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        response = httpx.request(method, self.url + path, json=body, timeout=120)
        response.raise_for_status()
        return response.json()

    def requests(self) -> list[list[Any]]:
        """[start, end, method, path, status, sync tag] of every request the store answered."""
        return self.admin("GET", "/__fleet/requests")["requests"]

    def truth(self) -> dict[str, Any]:
        return self.admin("GET", "/__fleet/truth")


def start_fake_fleet(
    specs: list[dict[str, Any]], workdir: Path, processes: int = 1
) -> tuple[list[Any], list[FakeStore]]:
    """The stores of `specs`, spread over `processes` fleet processes; returns (processes, stores in spec order)."""
    chunks = [specs[i::processes] for i in range(processes)]
    procs, by_name = [], {}
    for n, chunk in enumerate(chunks):
        spec_file = workdir / f"fleet-{n}.json"
        spec_file.write_text(json.dumps(chunk))
        log = open(workdir / f"fleet-{n}.log", "w+")  # noqa: SIM115 - lives as long as the process
        procs.append(
            (
                subprocess.Popen(
                    [sys.executable, "-m", "fakestore", "fleet", "--spec", str(spec_file)],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    text=True,
                ),
                log,
            )
        )
    deadline = time.monotonic() + 300
    for proc, log in procs:
        while True:
            log.seek(0)
            text = log.read()
            if "fleet ready" in text:
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the fake fleet did not start:\n{text[-3000:]}")
            time.sleep(0.2)
        for line in text.splitlines():
            if line.startswith("store "):
                fields = dict(part.split("=", 1) for part in line.split()[1:])
                by_name[fields["name"]] = FakeStore(
                    fields["name"], fields["url"], fields["consumer_key"], fields["consumer_secret"]
                )
    return [p for p, _ in procs], [by_name[spec["name"]] for spec in specs]


def free_redis_db() -> int:
    """An empty Redis database number (1-14), so parallel runs on this machine do not share a queue."""
    import redis

    for db in secrets.SystemRandom().sample(range(1, 15), 14):
        client = redis.Redis(REDIS_HOST, REDIS_PORT, db=db)
        if client.dbsize() == 0:
            client.set("storelens-fleet-claim", str(os.getpid()), ex=3600)
            return db
    raise RuntimeError("every Redis database 1-14 holds keys: free one (redis-cli -n N flushdb)")


@dataclass
class Installation:
    """One Storelens installation: a database, a queue, the two keys, and the processes started on them."""

    workdir: Path
    database: str
    redis_db: int
    env_base: dict[str, str]
    processes: dict[str, subprocess.Popen[str]] = field(default_factory=dict)

    @classmethod
    def create(cls, workdir: Path, label: str, template: str = "", **extra_env: str) -> Installation:
        """A new database (a copy of `template`, a migrated database, when given: no migrate to wait for)."""
        database = f"storelens_live_{os.getpid()}_{label}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{database}"' + (f' TEMPLATE "{template}"' if template else ""))
        redis_db = free_redis_db()
        env = {k: v for k, v in os.environ.items() if k not in STRIPPED}
        env.update(
            STORELENS_DATABASE_URL=f"postgresql://postgres@127.0.0.1:5432/{database}",
            STORELENS_QUEUE_URL=f"redis://{REDIS_HOST}:{REDIS_PORT}/{redis_db}",
            STORELENS_SECRET_KEY=secrets.token_urlsafe(48),
            STORELENS_ENCRYPTION_KEY=__import__("base64").urlsafe_b64encode(os.urandom(32)).decode(),
            STORELENS_ALLOW_PRIVATE_STORES="1",
            DJANGO_SETTINGS_MODULE="storelens.settings",
            PYTHONUNBUFFERED="1",
        )
        env.update(extra_env)
        installation = cls(workdir, database, redis_db, env)
        if not template:
            installation.run("migrate", "--no-input", "-v", "0")
        return installation

    def restored(self, dump: Path, label: str) -> Installation:
        """The same installation (same keys) on a new database restored from `dump` (pg_dump --format=custom)."""
        database = f"storelens_live_{os.getpid()}_{label}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{database}"')
        url = f"postgresql://postgres@127.0.0.1:5432/{database}"
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={url}", str(dump)], check=True)
        env = {**self.env_base, "STORELENS_DATABASE_URL": url}
        return Installation(self.workdir, database, self.redis_db, env)

    def clone(self, label: str) -> Installation:
        """The same installation (same keys) on a copy of its database and an empty queue of its own, with nothing
        queued: the fleet bench adds its stores once and copies them for each worker count (300 `sources add`, each
        checking the key against a 200 ms store, take minutes) — see `queue_imports`."""
        database = f"storelens_live_{os.getpid()}_{label}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{database}" TEMPLATE "{self.database}"')
        redis_db = free_redis_db()
        env = {
            **self.env_base,
            "STORELENS_DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{database}",
            "STORELENS_QUEUE_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{redis_db}",
        }
        return Installation(self.workdir, database, redis_db, env)

    def queue_imports(self) -> float:
        """Queue every store's history import, in store order, as `sources add` does (`queue_import`); returns
        when the first was queued (time.time(), after the Django start-up of the process that queues them)."""
        script = (
            "import django, time\n"
            "django.setup()\n"
            "from storelens.stores.models import Store\n"
            "from storelens.sync.tasks import queue_import\n"
            "pks = list(Store.objects.order_by('pk').values_list('pk', flat=True))\n"
            "print(time.time(), flush=True)\n"
            "for pk in pks:\n"
            "    queue_import(pk)\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script], env=self.env("cli"), capture_output=True, text=True, timeout=300
        )
        if result.returncode:
            raise RuntimeError(f"queueing the imports failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
        return float(result.stdout.split()[0])

    def wait_workers(self, pids: list[int], timeout: float = 300) -> None:
        """Until every worker process in `pids` has written its first heartbeat (its consumer runs)."""
        deadline = time.monotonic() + timeout
        while len(self.sql("SELECT 1 FROM server_workerheartbeat WHERE pid = ANY(%s)", pids)) < len(pids):
            if time.monotonic() > deadline:
                raise RuntimeError(f"workers {pids} not all beating after {timeout:.0f} s; see {self.workdir}")
            time.sleep(0.5)

    def dump(self, path: Path) -> Path:
        url = self.env_base["STORELENS_DATABASE_URL"]
        subprocess.run(["pg_dump", "--format=custom", f"--file={path}", url], check=True)
        return path

    def env(self, name: str) -> dict[str, str]:
        data_dir = self.workdir / name
        data_dir.mkdir(parents=True, exist_ok=True)
        return {**self.env_base, "STORELENS_DATA_DIR": str(data_dir)}

    def run(self, *args: str, timeout: float = 300) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "storelens", *args],
            env=self.env("cli"),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode:
            raise RuntimeError(f"storelens {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def commands(self, calls: Iterable[list[str]], timeout: float = 600) -> list[str]:
        """Many `storelens` commands in ONE process (Django starts once): each call's stdout, in order."""
        script = (
            "import io, json, sys, django\n"
            "django.setup()\n"
            "from django.core.management import call_command\n"
            "out = []\n"
            "for args in json.load(sys.stdin):\n"
            "    buffer = io.StringIO()\n"
            "    call_command(*args, stdout=buffer)\n"
            "    out.append(buffer.getvalue())\n"
            "print(json.dumps(out))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script],
            input=json.dumps(list(calls)),
            env=self.env("cli"),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode:
            raise RuntimeError(f"storelens commands failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def start(self, name: str, *args: str) -> subprocess.Popen[str]:
        log = open(self.workdir / f"{name}.log", "w")  # noqa: SIM115 - lives as long as the process
        process = subprocess.Popen(
            [sys.executable, "-m", "storelens", *args],
            env=self.env(name),
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=str(self.workdir / name),
        )
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")

    def sql(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.env_base["STORELENS_DATABASE_URL"], autocommit=True) as conn:
            return conn.execute(statement, params or None).fetchall()  # type: ignore[arg-type]

    def add_stores(self, stores: list[FakeStore], workspace: str = "Agency", processes: int = 3) -> None:
        """`storelens sources add` for each store (each checks its key with real requests and queues the import),
        in `processes` parallel processes: an agency connecting its stores while the workers already import."""
        from concurrent.futures import ThreadPoolExecutor

        def add(chunk: list[FakeStore], first: list[list[str]]) -> None:
            calls = [
                ["sources", "add", s.url, "--key", s.key, "--secret", s.secret, "--workspace", workspace] for s in chunk
            ]
            for store, out in zip(chunk, self.commands(first + calls)[len(first) :], strict=True):
                store.store_id = int(out.strip().splitlines()[-1])

        if not self.sql("SELECT 1 FROM accounts_workspace WHERE name = %s", workspace):
            email, password = f"{workspace.lower()}@example.com", secrets.token_urlsafe(12)
            # The workspace first, in the same process as the first store (one Django start-up fewer).
            add(stores[:1], [["users", "create", email, f"--password={password}", "--workspace", workspace]])
            stores = stores[1:]
        with ThreadPoolExecutor(processes) as pool:
            list(pool.map(lambda chunk: add(chunk, []), [c for i in range(processes) if (c := stores[i::processes])]))

    def reports(self, stores: list[FakeStore]) -> dict[int, dict[str, Any]]:
        """`storelens report --json` of each store over its whole history, on the creation date, with WooCommerce's
        default excluded statuses (what `FakeStore.truth()` computes)."""
        first, last = "2000-01-01", (date.today() + timedelta(days=2)).isoformat()
        calls = [
            ["report", "--source", str(s.store_id), "--from", first, "--to", last, "--date-basis", "created",
             "--exclude-statuses", "pending,failed,cancelled", "--json"]
            for s in stores
        ]  # fmt: skip
        return {s.store_id: json.loads(out) for s, out in zip(stores, self.commands(calls), strict=True)}

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def destroy(self) -> None:
        self.stop()
        import redis

        redis.Redis(REDIS_HOST, REDIS_PORT, db=self.redis_db).flushdb()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def mismatches(stores: list[FakeStore], reports: dict[int, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Stores whose report differs from their own truth: name -> {figure: (report, truth)}."""
    out = {}
    for store in stores:
        truth, report = store.truth(), reports[store.store_id]
        wrong = {
            name: (report.get(name), truth[name])
            for name in ("orders", "total_sales", "coupons")
            if str(report.get(name)) != str(truth[name])
        }
        if wrong:
            out[store.name] = wrong
    return out


def passes(requests: list[list[Any]]) -> dict[str, tuple[float, float]]:
    """Sync tag -> (first request sent, last answered): one pass each (a tag is one lease holder, one pass)."""
    spans: dict[str, tuple[float, float]] = {}
    for start, end, _method, _path, _status, tag in requests:
        if not tag:
            continue
        first, last = spans.get(tag, (start, end))
        spans[tag] = (min(first, start), max(last, end))
    return spans


def overlapping(spans: dict[str, tuple[float, float]]) -> list[tuple[str, str]]:
    """Pairs of passes over one store that were in flight at the same time."""
    found, running = [], ("", 0.0)  # the pass seen so far that ends last
    for tag, (start, end) in sorted(spans.items(), key=lambda item: item[1][0]):
        if running[0] and start < running[1]:
            found.append((running[0], tag))
        if end > running[1]:
            running = (tag, end)
    return found


def temp_workdir(prefix: str = "storelens-fleet-") -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))

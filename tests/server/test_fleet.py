"""An agency's fleet, proven with real processes (issue 17): PostgreSQL, Redis, three `storelens worker` processes
with their own data directories (sharing only the database, the queue and the two keys), `storelens serve
--no-consumer`, and 30 fake stores of different sizes and latencies served by two fake-fleet processes: one slow,
one failing 20 % of its requests, one behind a bot challenge.

What it proves, from the fake stores' own request logs and figures:
- every store's copy is exact (`storelens report` against the store's own truth), after an order trickle too;
- no store is synced by two passes at once (each request names its pass: X-Storelens-Sync);
- a worker killed with SIGKILL mid-import leaves its stores to the others once the lease expires, exact;
- the store that keeps failing (the bot challenge) starves nobody: every other store keeps getting passes;
- periodic passes come once per store per interval however many workers run the scheduler.

Runs in the PostgreSQL pass only (it needs PostgreSQL and Redis, and is slow: about 3 minutes on a loaded 2-core
machine). Sizes are kept small for that; bench/fleet.py runs the 300-store version.
"""

from __future__ import annotations

import itertools
import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_PASS, free_port, port_answers, service_unavailable
from tests.server.fleet_harness import (
    FakeStore,
    Installation,
    mismatches,
    overlapping,
    passes,
    start_fake_fleet,
)

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(900)]

LEASE_TTL = 15
SYNC_INTERVAL = 30
WORKERS = 3


def fleet_specs() -> list[dict]:
    specs = [
        {"name": "big", "orders": 800, "seed": 1, "latency_ms": 60, "months": 6},
        {"name": "slow", "orders": 120, "seed": 2, "latency_ms": 400, "months": 6},
        {"name": "flaky", "orders": 250, "seed": 3, "latency_ms": 20, "months": 6},
        {"name": "challenged", "orders": 60, "seed": 4, "latency_ms": 10, "months": 6},
    ]
    for n in range(26):
        specs.append(
            {"name": f"shop{n:02d}", "orders": 20 + (n * 37) % 70, "seed": 10 + n, "latency_ms": 5 + (n * 7) % 60,
             "months": 2 + n % 4}
        )  # fmt: skip
    return specs


@pytest.fixture
def fleet(tmp_path: Path, migrated_database: str) -> Iterator[tuple[Installation, list[FakeStore]]]:
    if not POSTGRES_PASS:
        pytest.skip("the fleet runs in the PostgreSQL pass (STORELENS_TEST_DATABASE=postgres)")
    if not port_answers("127.0.0.1", 6379):
        service_unavailable("no Redis answers at 127.0.0.1:6379: the fleet test needs the shared queue")
    fakes, stores = start_fake_fleet(fleet_specs(), tmp_path, processes=2)
    installation = None
    try:
        installation = Installation.create(
            tmp_path,
            "fleet",
            template=migrated_database,  # the run's migrated template (tests/conftest.py): no migrate here
            STORELENS_SYNC_LEASE_TTL=str(LEASE_TTL),
            STORELENS_SYNC_INTERVAL=str(SYNC_INTERVAL),
        )
        yield installation, stores
    finally:
        if installation is not None:
            installation.destroy()
        for fake in fakes:
            fake.kill()
            fake.wait()


def wait_for(what: str, check: object, timeout: float, installation: Installation) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {n}\n{installation.log(n)[-2500:]}" for n in installation.processes)
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}\n{logs}")
        time.sleep(1)


def test_a_fleet_of_30_stores_on_three_workers_stays_exact_single_flight_and_survives_a_killed_worker(
    fleet: tuple[Installation, list[FakeStore]],
) -> None:
    installation, stores = fleet
    by_name = {s.name: s for s in stores}
    started = time.time()
    installation.start("serve", "serve", "--no-consumer", "--port", str(free_port()))
    workers = {f"worker{n}": installation.start(f"worker{n}", "worker", "--workers", "2") for n in range(WORKERS)}
    big = by_name["big"]
    installation.add_stores([big])  # its import starts at once, while the others are being connected
    adding = ThreadPoolExecutor(1).submit(installation.add_stores, stores[1:])

    # SIGKILL the worker importing the big store, a while into its import.
    def big_store_mid_import() -> bool:
        rows = installation.sql(
            "SELECT l.holder FROM sync_lease l JOIN sync_syncstate s ON s.store_id = l.store_id"
            " WHERE l.store_id = %s AND l.holder <> '' AND l.expires_at > now() AND s.orders_done > 150"
            " AND s.import_completed_at IS NULL",
            big.store_id,
        )
        return bool(rows)

    wait_for("the big store's import to be under way", big_store_mid_import, 240, installation)
    holder = installation.sql("SELECT holder FROM sync_lease WHERE store_id = %s", big.store_id)[0][0]
    victim_pid = int(holder.split(":")[-2])
    victim = next(name for name, p in workers.items() if p.pid == victim_pid)
    orphaned = [
        store_id
        for (store_id,) in installation.sql(
            "SELECT store_id FROM sync_lease WHERE holder LIKE %s AND expires_at > now()", f"%:{victim_pid}:%"
        )
    ]
    os.kill(victim_pid, signal.SIGKILL)
    killed_at = time.time()
    workers[victim].wait()
    adding.result(timeout=600)
    # Faults switched on once connected (a store refusing at connect time would not be added at all).
    by_name["flaky"].admin("PUT", "/__fakestore/faults", {"error_5xx_rate": 0.2})
    by_name["challenged"].admin("PUT", "/__fakestore/modes", {"add": ["waf-cloudflare"]})

    # Every store but the challenged one finishes its import, the orphans included, on the surviving workers.
    healthy = [s for s in stores if s.name != "challenged"]
    ids = ",".join(str(s.store_id) for s in healthy)

    def all_imported() -> bool:
        done = installation.sql(
            f"SELECT count(*) FROM sync_syncstate WHERE store_id IN ({ids}) AND import_completed_at IS NOT NULL"
        )[0][0]
        return done == len(healthy)

    wait_for("every healthy store's import", all_imported, 420, installation)
    imported_at = time.time()
    print(f"fleet: killed at +{killed_at - started:.0f} s, all imported at +{imported_at - started:.0f} s")

    # A trickle of new orders; each store must pick them up with its periodic pass.
    trickled = healthy[::3]
    for store in trickled:
        store.admin("POST", "/__fleet/orders", {"count": 3})
    trickle_at = datetime.now(UTC)

    def trickle_synced() -> bool:
        fresh = installation.sql(
            f"SELECT count(*) FROM stores_store WHERE id IN ({ids}) AND last_sync_at > %s", trickle_at
        )[0][0]
        return fresh == len(healthy)

    wait_for("a pass over every healthy store after the trickle", trickle_synced, 3 * SYNC_INTERVAL + 90, installation)
    observed_until = time.time()
    print(f"fleet: trickle synced at +{observed_until - started:.0f} s")

    reports = installation.reports(stores)
    assert mismatches(healthy, reports) == {}

    by_id = {s.store_id: s for s in stores}
    logs = {s.name: s.requests() for s in stores}
    spans = {name: passes(log) for name, log in logs.items()}
    assert {name: overlapping(s) for name, s in spans.items() if overlapping(s)} == {}

    # The killed worker's stores went to the others only after its lease ran out, and ended exact (above).
    assert big.store_id in orphaned
    for store_id in orphaned:
        name = by_id[store_id].name
        later = [start for tag, (start, _end) in spans[name].items() if start > killed_at]
        assert later, f"{name}: nobody synced it after the worker holding it was killed"
        assert all(
            not tag.startswith(f"{victim_pid}:") for tag, (start, _e) in spans[name].items() if start > killed_at
        )
        # The lease was renewed at most TTL/3 before the kill, so it was free no sooner than 2/3 TTL after it.
        assert min(later) >= killed_at + LEASE_TTL * 2 / 3 - 1, f"{name} was taken before its lease expired"

    # Once imported, each store is passed over once per interval, not once per worker; nobody is starved by the
    # store that keeps failing behind its bot challenge.
    for store in healthy:
        starts = sorted(start for start, _end in spans[store.name].values() if start > imported_at)
        assert starts, f"{store.name} got no pass after the imports"
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        assert all(gap >= SYNC_INTERVAL - 5 for gap in gaps), f"{store.name}: passes {gaps} s apart"
        assert len(starts) <= (observed_until - imported_at) / (SYNC_INTERVAL - 5) + 1
    challenged = installation.sql(
        "SELECT status, status_code FROM stores_store WHERE id = %s", by_name["challenged"].store_id
    )[0]
    assert "waf" in challenged[1], challenged  # told to the owner with its fix, and retried, never blocking others

    # And the survivors are still there, each seen through its heartbeat.
    names = {name for name, p in workers.items() if p.poll() is None}
    assert len(names) == WORKERS - 1
    seen = installation.sql("SELECT pid FROM server_workerheartbeat WHERE seen_at > now() - interval '60 seconds'")
    assert {pid for (pid,) in seen} >= {workers[n].pid for n in names}

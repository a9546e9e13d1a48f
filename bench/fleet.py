"""Fleet benchmark (issue 17): many fake stores synced by 1, 2 and 4 `storelens worker` processes on PostgreSQL and
Redis — how the first imports scale with workers, and how fresh every store stays afterwards.

    .venv/bin/python bench/fleet.py                 # 300 stores x 3000 orders, 200 ms latency, 1/2/4 workers
    .venv/bin/python bench/fleet.py --small         # 24 stores x 300 orders: a few minutes per worker count
    .venv/bin/python bench/fleet.py --stores 60 --orders 1000 --workers 1,2 --interval 60 --window 180

For each worker count, in the same run and against the same fake stores (`storelens fakestore fleet`, spread over a
few processes): a fresh PostgreSQL database and Redis queue; every store added with `storelens sources add` (which
queues its import) BEFORE the workers start; then the workers start and the clock runs until every store's history
import is complete. Printed: seconds, orders imported per second, and the ratio to the 1-worker run (the issue's
targets: >= 1.8x at 2 workers, >= 3x at 4; the work is store-bound, so it should scale until the database or the
CPU is the limit).

Then the freshness phase: `--window` seconds of a steady trickle of new orders (one every `--trickle-every`
seconds into a random store) while the periodic scheduler keeps passing over every store. Every 5 s each store's
age (now - its last finished pass) is sampled; printed are the percentiles of those ages and the worst (the oldest
store's time since its last pass), against the target: never above 2 x STORELENS_SYNC_INTERVAL. Note the floor:
Huey's scheduler ticks once a minute per worker, so an interval below ~60 s plus a pass cannot be met by design.

The machine is shared: the 1-minute load average is printed before and after each phase. On a 2-core machine
running other work the ratios measure CPU contention as much as Storelens.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.server.fleet_harness import FakeStore, Installation, start_fake_fleet, temp_workdir  # noqa: E402


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def specs(stores: int, orders: int, latency_ms: float) -> list[dict]:
    return [
        {"name": f"store{n:03d}", "orders": orders, "seed": 100 + n, "latency_ms": latency_ms, "months": 12}
        for n in range(stores)
    ]


def wait_imported(installation: Installation, count: int, timeout: float) -> float:
    started = time.monotonic()
    while True:
        done = installation.sql("SELECT count(*) FROM sync_syncstate WHERE import_completed_at IS NOT NULL")[0][0]
        if done >= count:
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise SystemExit(f"only {done}/{count} stores imported after {timeout:.0f} s; see {installation.workdir}")
        time.sleep(1)


def trickle(stores: list[FakeStore], every: float, stop: threading.Event) -> None:
    rng = random.Random(5)
    while not stop.wait(every):
        try:
            rng.choice(stores).admin("POST", "/__fleet/orders", {"count": 1})
        except Exception as exc:  # a busy fake store: the next one
            print(f"  trickle: {exc}", file=sys.stderr)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(workers: int, args: argparse.Namespace, stores: list[FakeStore], total_orders: int) -> dict:
    workdir = temp_workdir(f"storelens-fleet-bench-{workers}w-")
    installation = Installation.create(workdir, f"bench{workers}", STORELENS_SYNC_INTERVAL=str(args.interval))
    try:
        t = time.monotonic()
        installation.add_stores(stores)
        print(f"  {workers} worker(s): {len(stores)} stores added in {time.monotonic() - t:.0f} s (load {load()})")
        before = load()
        for n in range(workers):
            installation.start(f"worker{n}", "worker", "--workers", str(args.threads))
        seconds = wait_imported(installation, len(stores), args.timeout)
        print(f"  imported in {seconds:.1f} s ({total_orders / seconds:.0f} orders/s), load {before} -> {load()}")

        stop = threading.Event()
        feeder = threading.Thread(target=trickle, args=(stores, args.trickle_every, stop), daemon=True)
        feeder.start()
        ages: list[float] = []
        oldest: list[float] = []
        end = time.monotonic() + args.window
        while time.monotonic() < end:
            rows = installation.sql("SELECT extract(epoch FROM now() - last_sync_at) FROM stores_store")
            sample = [float(age) for (age,) in rows if age is not None]
            ages += sample
            oldest.append(max(sample))
            time.sleep(5)
        stop.set()
        feeder.join()
        return {
            "workers": workers,
            "seconds": seconds,
            "rate": total_orders / seconds,
            "p50": statistics.median(ages),
            "p90": percentile(ages, 0.9),
            "p99": percentile(ages, 0.99),
            "max": max(oldest),
            "load": load(),
        }
    finally:
        installation.destroy()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="24 stores x 300 orders, 60 s interval, 150 s window")
    parser.add_argument("--stores", type=int, default=300)
    parser.add_argument("--orders", type=int, default=3000, help="orders per store")
    parser.add_argument("--latency-ms", type=float, default=200.0)
    parser.add_argument("--workers", default="1,2,4", help="worker counts to compare, the first is the baseline")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker (storelens worker --workers)")
    parser.add_argument("--fake-processes", type=int, default=4, help="processes serving the fake stores")
    parser.add_argument("--interval", type=int, default=120, help="STORELENS_SYNC_INTERVAL for the run (>= 30)")
    parser.add_argument("--window", type=float, default=360.0, help="seconds of the freshness phase")
    parser.add_argument("--trickle-every", type=float, default=2.0, help="seconds between new orders")
    parser.add_argument("--timeout", type=float, default=7200.0, help="give up an import phase after this long")
    args = parser.parse_args()
    if args.small:
        args.stores, args.orders, args.interval, args.window, args.fake_processes = 24, 300, 60, 150.0, 2
    counts = [int(n) for n in args.workers.split(",")]

    print(
        f"Fleet: {args.stores} stores x {args.orders} orders, {args.latency_ms:.0f} ms latency, {args.threads} "
        f"threads per worker, workers {counts}, interval {args.interval} s; "
        f"{os.cpu_count()} CPUs, load {load()}"
    )
    workdir = temp_workdir("storelens-fleet-stores-")
    started = time.monotonic()
    fakes, stores = start_fake_fleet(specs(args.stores, args.orders, args.latency_ms), workdir, args.fake_processes)
    print(f"  fake stores up in {time.monotonic() - started:.0f} s ({args.fake_processes} processes)")
    results = []
    try:
        for workers in counts:
            results.append(run(workers, args, stores, args.stores * args.orders))
    finally:
        for fake in fakes:
            fake.kill()
            fake.wait()

    base = results[0]
    print()
    print("workers  import s  orders/s  ratio  | freshness p50    p90    p99    max  (target max <= "
          f"{2 * args.interval} s)  load")  # fmt: skip
    for r in results:
        ok = "ok" if r["max"] <= 2 * args.interval else "MISSED"
        print(
            f"{r['workers']:>7}  {r['seconds']:>8.1f}  {r['rate']:>8.1f}  {r['rate'] / base['rate']:>5.2f}x"
            f" |          {r['p50']:>5.0f}  {r['p90']:>5.0f}  {r['p99']:>5.0f}  {r['max']:>5.0f}  {ok:>28}  {r['load']}"
        )
    targets = {2: 1.8, 4: 3.0}
    for r in results[1:]:
        target = targets.get(r["workers"] // base["workers"])
        if target:
            verdict = "met" if r["rate"] / base["rate"] >= target else "NOT met"
            print(f"target {target}x at {r['workers']} workers: {verdict} ({r['rate'] / base['rate']:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

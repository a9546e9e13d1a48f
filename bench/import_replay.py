"""The import's single writer on its own: capture the batches of pages a real `import_bench` run writes, then replay
them into a fresh database and print the writer's CPU seconds, per change-feed listener too.

    .venv/bin/python bench/import_replay.py capture --orders 10000   # one import against the fake store (~1 min)
    .venv/bin/python bench/import_replay.py replay --orders 10000    # the same writes, no network, no fake store
    .venv/bin/python bench/import_replay.py replay --orders 10000 --database postgres

Why: on this shared 2-core machine the import's wall time swings with the load, and the writer's CPU is what bounds
the ratio to the ideal (issue 17). A replay measures exactly the order and refund writes of each batch
(`commerce.upsert_orders` / `upsert_refunds` in one transaction each, with the listeners the app registers) and
nothing else: not the catalogue, the HTTP client or the JSON decoding. It runs with the pass's collector threshold and
page cache, as `run_sync` sets them. py-spy (`py-spy record --gil -- python bench/import_replay.py replay …`) then
shows the writer's Python without the fake store's noise.
"""

from __future__ import annotations

import argparse
import collections
import os
import pickle
import shutil
import sys
import tempfile
import time
from pathlib import Path

import import_bench  # bench/ is the script's directory, first on sys.path

CAPTURES = Path(tempfile.gettempdir())


def capture_path(orders: int) -> Path:
    return CAPTURES / f"storelens-import-batches-{orders}.pickle"


def capture(orders: int) -> None:
    """One import_bench run (200 ms latency, 4 at a time) whose writer batches are pickled as (resource, rows)."""
    import django

    batches: list[list[tuple[str, list]]] = []
    setup = django.setup

    def setup_and_hook(*args: object, **kwargs: object) -> None:
        setup(*args, **kwargs)
        from storelens.sync import history
        from storelens.sync.models import ImportWindow

        write = history._write_window_pages

        def recording(p: object, pages: list) -> set[int]:
            resources = dict(ImportWindow.objects.filter(pk__in={w for w, *_ in pages}).values_list("pk", "resource"))
            batches.append([(resources[w], rows) for w, _, rows, _ in pages])
            return write(p, pages)

        history._write_window_pages = recording

    django.setup = setup_and_hook
    result = import_bench.one(orders, 200.0, 4)
    capture_path(orders).write_bytes(pickle.dumps(batches))
    print(f"{len(batches)} batches, {result['orders']} orders → {capture_path(orders)}")


def replay(orders: int, database: str) -> None:
    batches = pickle.loads(capture_path(orders).read_bytes())
    data_dir = tempfile.mkdtemp(prefix="storelens-replay-")
    os.environ.update({"STORELENS_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "storelens.settings"})
    os.environ.pop("STORELENS_DATABASE_URL", None)
    pg_name = ""
    if database == "postgres":
        pg_name = f"storelens_replay_{os.getpid()}"
        import_bench.postgres(f'CREATE DATABASE "{pg_name}"')
        os.environ["STORELENS_DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{pg_name}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections, transaction

    from storelens import commerce
    from storelens.accounts.models import Workspace
    from storelens.commerce import changes
    from storelens.stores.models import Store
    from storelens.sync.api import fewer_collections, widen_writer_cache

    try:
        call_command("migrate", verbosity=0)
        store = Store.objects.create(workspace=Workspace.objects.create(name="Replay"), home_url="https://r.example")
        spent: collections.Counter[str] = collections.Counter()

        def timed(listener: changes.Listener) -> changes.Listener:
            name = listener.__module__.rsplit(".", 1)[-1]

            def run(*args: object) -> None:
                began = time.thread_time()
                listener(*args)
                spent[name] += time.thread_time() - began

            return run

        changes._listeners[:] = [timed(listener) for listener in changes._listeners]
        widen_writer_cache()
        began = time.thread_time()
        with fewer_collections():
            for batch in batches:
                with transaction.atomic():
                    rows = [row for resource, items in batch if resource != "refunds" for row in items]
                    refunds = [row for resource, items in batch if resource == "refunds" for row in items]
                    if rows:
                        commerce.upsert_orders(store, rows)
                    if refunds:
                        commerce.upsert_refunds(store, refunds)
        cpu = time.thread_time() - began
        listeners = ", ".join(f"{name} {s:.2f}" for name, s in spent.items())
        load = os.getloadavg()[0]
        print(f"{orders} orders ({database}): writer CPU {cpu:.2f} s; listeners {listeners}; load {load:.1f}")
    finally:
        connections.close_all()
        if pg_name:
            import_bench.postgres(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["capture", "replay"])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    if args.action == "capture":
        capture(args.orders)
    else:
        replay(args.orders, args.database)
    return 0


if __name__ == "__main__":
    sys.exit(main())

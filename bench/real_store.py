"""The first import of the seeded REAL WordPress 7.1 + WooCommerce 11.0.1 store (tests/realstore), by Storelens and,
in the same run against the same store, by Airbyte's WooCommerce source (`airbyte-source-woocommerce` from PyPI).

    .venv/bin/python bench/real_store.py                   # US store, 2 runs of each side, alternating
    .venv/bin/python bench/real_store.py --profile eu --runs 3

Why: issue 17 asks for the real store's import to be at least 5× faster than Airbyte's on the same streams. This
only measures and prints (no timed assertion; the machine is shared): every run of each side, the medians, the ratio
Airbyte ÷ Storelens of the medians, the requests each made (the store's own nginx access log, the same count for
both) and the records each read, with the 1-minute load average before and after each run.

The streams: orders, refunds, customers, products, variations (Airbyte: `product_variations`) and coupons. Airbyte's
catalog is what a first sync configures: incremental on `date_modified_gmt` where the stream offers it (orders,
products, coupons), full refresh elsewhere; its stdout is counted (RECORD messages per stream) and discarded.

Storelens: a fresh data directory with SQLite, `storelens sources add URL --key --secret` (discovery and the key
check, not timed; it queues the first import, which no worker runs here), then that first import run in-process as
the worker runs it: `run_sync(exact=True)` (`storelens sync ID --wait` does the same), timed. Webhook registration,
which follows the import in the worker and which Airbyte has no counterpart for, is not part of it. Each Storelens
run is a child process (fresh Django, fresh database).

Airbyte's source lives in its own venv, never Storelens's: var/bench-venvs/airbyte, created on first use (pip
install airbyte-source-woocommerce==0.4.12; `--airbyte-venv` to use another). Its HTTP client (airbyte-cdk) sends
prepared requests with `Session.send`, which ignores REQUESTS_CA_BUNDLE, so the source is started through a 6-line
launcher that passes the test CA as `verify=` (what `Session.request` does with that variable): only the trust anchor
changes, nothing of what is requested or how.

`--connector` compares Storelens with itself instead (issue 13): the same first import, then one incremental pass that
finds the 50 most recently modified orders changed (the orders cursor moved back to just before them: the store is
only read), then one reconciliation pass (`run_sync(reconcile=True)`: orders' census, re-read of the last 7 days,
refunds' census, catalogue), with the Storelens Connector plugin (plugin/storelens-connector) inactive (wc/v3 only)
and active (its censuses and its orders route, 500 a page with the refunds embedded); it prints each run, the
medians and the ratios without ÷ with.

The store: `start_real_store(profile)` from tests/realstore (its seeded state is cached in var/realstore-cache/, so a
start takes ~20-30 s; a cold one minutes), started once and stopped at the end. Both sides only read it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # `python bench/real_store.py` puts bench/ first, not the repository
    sys.path.insert(0, str(REPO))

AIRBYTE_PACKAGE = "airbyte-source-woocommerce==0.4.12"
AIRBYTE_VENV = REPO / "var" / "bench-venvs" / "airbyte"
TARGET_RATIO = 5.0  # issue 17: the first import at least 5× faster than Airbyte's on the same streams
INCREMENTAL_ORDERS = 50  # --connector: the incremental pass finds this many orders changed
# Storelens's entity → Airbyte's stream of the same records.
STREAMS = {
    "orders": "orders",
    "refunds": "refunds",
    "customers": "customers",
    "products": "products",
    "variations": "product_variations",
    "coupons": "coupons",
}

# Airbyte's CDK sends with Session.send(prepared), which skips REQUESTS_CA_BUNDLE: give it the test CA as verify=.
LAUNCHER = """\
import os, sys, requests
_send = requests.Session.send
def send(self, request, **kwargs):
    if kwargs.get("verify") in (None, True):
        kwargs["verify"] = os.environ["REQUESTS_CA_BUNDLE"]
    return _send(self, request, **kwargs)
requests.Session.send = send
from source_woocommerce.run import run
sys.argv[0] = "source-woocommerce"
run()
"""


def load() -> float:
    return round(os.getloadavg()[0], 1)


def access_log_lines(store: Any) -> int:
    """Requests the store has answered so far (nginx writes one line per request, whoever made it)."""
    with open(store.run_dir / "logs" / "nginx-access.log", "rb") as log:
        return sum(1 for _ in log)


# --- Airbyte -----------------------------------------------------------------------------------------------------


def ensure_airbyte_venv(venv: Path) -> Path:
    """The Airbyte source's own venv (created once, then reused): its dependencies never touch Storelens's."""
    python = venv / "bin" / "python"
    marker = venv / ".installed"
    if not (marker.exists() and marker.read_text().strip() == AIRBYTE_PACKAGE):
        print(f"Installing {AIRBYTE_PACKAGE} into {venv} (once)…", flush=True)
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", AIRBYTE_PACKAGE], check=True)
        marker.write_text(AIRBYTE_PACKAGE + "\n")
    (venv / "bench_launcher.py").write_text(LAUNCHER)
    return python


def airbyte_command(python: Path, *args: str) -> list[str]:
    return [str(python), str(python.parent.parent / "bench_launcher.py"), *args]


def airbyte_catalog(python: Path, config: Path, env: dict[str, str], folder: Path) -> tuple[Path, list[str]]:
    """`discover`, then the configured catalog of a first sync for our streams; returns it and the missing ones."""
    done = subprocess.run(
        airbyte_command(python, "discover", "--config", str(config)), env=env, capture_output=True, text=True
    )
    streams = None
    for line in done.stdout.splitlines():
        message = json.loads(line) if line.startswith("{") else {}
        if message.get("type") == "CATALOG":
            streams = {s["name"]: s for s in message["catalog"]["streams"]}
    if streams is None:
        raise RuntimeError(f"Airbyte's discover gave no catalog:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    configured, missing = [], []
    for name in STREAMS.values():
        stream = streams.get(name)
        if stream is None:
            missing.append(name)
            continue
        if "incremental" in stream["supported_sync_modes"] and stream.get("default_cursor_field"):
            mode = {"sync_mode": "incremental", "cursor_field": stream["default_cursor_field"]}
        else:
            mode = {"sync_mode": "full_refresh"}
        configured.append({"stream": stream, "destination_sync_mode": "append", **mode})
    catalog = folder / "catalog.json"
    catalog.write_text(json.dumps({"streams": configured}))
    return catalog, missing


def airbyte_start_date(store: Any) -> str:
    """The day before the store's oldest order, product or coupon: the whole history, as Storelens imports it, and
    no earlier. Airbyte's incremental streams (orders, products, coupons) read one request per 30-day window from
    `start_date` on, whether a window holds anything or not, so an earlier date only adds empty requests to its side
    (from 2000-01-01 the US store took it 1264 requests and 312-330 s)."""
    rows = store.sql(
        "SELECT LEAST((SELECT MIN(date_created_gmt) FROM wp_wc_orders WHERE date_created_gmt IS NOT NULL),"
        " (SELECT MIN(post_date_gmt) FROM wp_posts WHERE post_type IN"
        " ('product', 'product_variation', 'shop_coupon') AND post_date_gmt > '1000-01-01')) AS oldest"
    )
    oldest = datetime.fromisoformat(str(rows[0]["oldest"]))
    return (oldest.date() - timedelta(days=1)).isoformat()


def run_airbyte(store: Any, python: Path, folder: Path) -> dict[str, Any]:
    config = folder / "config.json"
    config.write_text(
        json.dumps(
            {
                "api_key": store.consumer_key,
                "api_secret": store.consumer_secret,
                "shop": f"{store.host}:{store.port}",  # the manifest builds https://{shop}/wp-json/wc/v3/…
                "start_date": airbyte_start_date(store),
            }
        )
    )
    env = {**os.environ, "REQUESTS_CA_BUNDLE": str(store.ca_bundle), "SSL_CERT_FILE": str(store.ca_bundle)}
    catalog, missing = airbyte_catalog(python, config, env, folder)
    load_before, lines_before = load(), access_log_lines(store)
    records: Counter[str] = Counter()
    errors: list[str] = []
    started = time.perf_counter()
    proc = subprocess.Popen(
        airbyte_command(python, "read", "--config", str(config), "--catalog", str(catalog)),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:  # read as it comes, as a destination would
        if not line.startswith("{"):
            continue
        message = json.loads(line)
        if message["type"] == "RECORD":
            records[message["record"]["stream"]] += 1
        elif message["type"] == "LOG" and message["log"]["level"] in ("ERROR", "FATAL"):
            errors.append(message["log"]["message"][:300])
        elif message["type"] == "TRACE" and message["trace"].get("type") == "ERROR":
            errors.append(message["trace"]["error"].get("message", "")[:300])
    stderr = proc.stderr.read() if proc.stderr else ""
    code = proc.wait()
    wall = time.perf_counter() - started
    if code != 0 or errors:
        print(f"  Airbyte read exited {code}; errors: {errors[:5]}\n{stderr[-2000:]}", file=sys.stderr)
    return {
        "wall_s": round(wall, 1),
        "requests": access_log_lines(store) - lines_before,
        "records": {ours: records.get(theirs, 0) for ours, theirs in STREAMS.items()},
        "missing_streams": missing,
        "start_date": json.loads(config.read_text())["start_date"],
        "exit_code": code,
        "load_before": load_before,
        "load_after": load(),
    }


# --- Storelens ---------------------------------------------------------------------------------------------------


def storelens_one(url: str, key: str, secret: str, ca_bundle: str, reconcile: bool = False) -> dict[str, Any]:
    """Runs in a child process: a fresh data directory and SQLite database, `sources add`, then the first import
    (and, with `reconcile`, one reconciliation pass after it, timed on its own)."""
    data_dir = tempfile.mkdtemp(prefix="storelens-bench-real-")
    os.environ.update(
        {
            "STORELENS_DATA_DIR": data_dir,
            "STORELENS_ALLOW_PRIVATE_STORES": "1",
            "STORELENS_STORE_CA_BUNDLE": ca_bundle,
            "DJANGO_SETTINGS_MODULE": "storelens.settings",
        }
    )
    for name in ("STORELENS_DATABASE_URL", "STORELENS_QUEUE_URL"):
        os.environ.pop(name, None)
    import io

    import django

    django.setup()
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        from storelens.accounts.models import Workspace
        from storelens.commerce import models as commerce
        from storelens.sync import passes
        from storelens.sync.api import run_sync

        Workspace.objects.create(name="Bench")
        out = io.StringIO()
        call_command("sources", "add", url, "--key", key, "--secret", secret, "--workspace", "Bench", stdout=out)
        source_id = int(out.getvalue().strip())
        clients: list[Any] = []
        original = passes.Pass.__init__

        def keep_client(self: passes.Pass, *args: Any, **kwargs: Any) -> None:
            original(self, *args, **kwargs)
            clients.append(self.client)

        passes.Pass.__init__ = keep_client  # type: ignore[method-assign]
        cpu0 = time.process_time()
        started = time.perf_counter()
        run_sync(source_id, exact=True)
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu0
        models = {
            "orders": commerce.Order,
            "refunds": commerce.Refund,
            "customers": commerce.Customer,
            "products": commerce.Product,
            "variations": commerce.Variation,
            "coupons": commerce.Coupon,
        }
        records = {name: model.objects.filter(store_id=source_id).count() for name, model in models.items()}
        registered = commerce.Customer.objects.filter(store_id=source_id, is_registered=True).count()
        timed_clients = len(clients)
        reconciled: dict[str, Any] = {}
        if reconcile:
            reconciled.update(incremental_pass(source_id, clients))
            reconciled_from = len(clients)
            started = time.perf_counter()
            run_sync(source_id, exact=True, reconcile=True)
            reconciled.update(
                reconcile_s=round(time.perf_counter() - started, 1),
                reconcile_requests=sum(c.stats.requests for c in clients[reconciled_from:]),
            )
        return {
            **reconciled,
            "wall_s": round(wall, 1),
            "cpu_s": round(cpu, 1),
            "client_requests": sum(c.stats.requests for c in clients[:timed_clients]),
            "retries": sum(c.stats.retries for c in clients[:timed_clients]),
            "records": records,
            "registered_customers": registered,
        }
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def incremental_pass(source_id: int, clients: list[Any]) -> dict[str, Any]:
    """One scheduled pass (`run_sync()`: incremental windows, pending re-fetches) that finds the store's
    INCREMENTAL_ORDERS most recently modified orders changed: the orders cursor is moved so that its window (the
    cursor less the lag overlap) starts just before the INCREMENTAL_ORDERS-th newest date_modified of the copy (the
    store is only read; both sides re-read the same orders, more when several share that second). Timed, with its
    requests."""
    from django.conf import settings

    from storelens.commerce.models import Order
    from storelens.sync.api import run_sync
    from storelens.sync.models import Cursor

    dates = Order.objects.filter(store_id=source_id, modified_at__isnull=False).order_by("-modified_at")
    edge = dates.values_list("modified_at", flat=True)[INCREMENTAL_ORDERS - 1]
    lag = timedelta(seconds=settings.STORELENS_SYNC_LAG_OVERLAP)
    Cursor.objects.filter(store_id=source_id, resource="orders").update(position=edge - timedelta(seconds=1) + lag)
    before = len(clients)
    started = time.perf_counter()
    stats = run_sync(source_id).stats
    return {
        "incremental_s": round(time.perf_counter() - started, 1),
        "incremental_requests": sum(c.stats.requests for c in clients[before:]),
        "incremental_orders": stats.orders if stats else 0,
    }


def run_storelens(store: Any, reconcile: bool = False) -> dict[str, Any]:
    load_before, lines_before = load(), access_log_lines(store)
    done = subprocess.run(
        [sys.executable, __file__, "--storelens-one", store.url, store.consumer_key, store.consumer_secret,
         str(store.ca_bundle), *(["--reconcile"] if reconcile else [])],
        capture_output=True, text=True, cwd=REPO,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"the Storelens import failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # Everything the child asked the store (discovery and key check included), next to the timed import's own count.
    result["requests"] = access_log_lines(store) - lines_before
    result.update(load_before=load_before, load_after=load())
    return result


def connector_comparison(store: Any, runs: int) -> None:
    """Import + one reconciliation pass with the Storelens Connector inactive and active, alternating; the ratios."""
    from tests.realstore.connector import (
        activate_connector,
        deactivate_connector,
        install_connector,
        uninstall_connector,
    )

    install_connector(store, activate=False)
    results: dict[str, list[dict[str, Any]]] = {"wc/v3": [], "plugin": []}
    try:
        for n in range(1, runs + 1):
            for side in ("wc/v3", "plugin") if n % 2 else ("plugin", "wc/v3"):
                (activate_connector if side == "plugin" else deactivate_connector)(store)
                result = run_storelens(store, reconcile=True)
                results[side].append(result)
                print(
                    f"  {side:6} run {n}: import {result['wall_s']:6.1f} s ({result['client_requests']} requests), "
                    f"incremental {result['incremental_s']:5.1f} s ({result['incremental_requests']} requests, "
                    f"{result['incremental_orders']} orders), "
                    f"reconciliation {result['reconcile_s']:5.1f} s ({result['reconcile_requests']} requests); "
                    f"{sum(result['records'].values())} records; load {result['load_before']} → "
                    f"{result['load_after']}",
                    flush=True,
                )
    finally:
        uninstall_connector(store)
    print(f"\nReal {store.profile} store, {runs} runs each, medians (without the plugin ÷ with it):")
    for label, key, requests in (
        ("import", "wall_s", "client_requests"),
        ("incremental", "incremental_s", "incremental_requests"),
        ("reconciliation", "reconcile_s", "reconcile_requests"),
    ):
        plain = statistics.median(r[key] for r in results["wc/v3"])
        plugin = statistics.median(r[key] for r in results["plugin"])
        asked = [statistics.median(r[requests] for r in results[side]) for side in ("wc/v3", "plugin")]
        print(
            f"  {label:14} wc/v3 {plain:6.1f} s, plugin {plugin:6.1f} s → {plain / plugin:.2f}×; "
            f"requests {asked[0]:.0f} → {asked[1]:.0f}"
        )
    same = results["wc/v3"][-1]["records"] == results["plugin"][-1]["records"]
    print(f"  records equal: {same} ({results['plugin'][-1]['records']})")
    print(f"  Load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


# --- the run -----------------------------------------------------------------------------------------------------


def show(side: str, n: int, result: dict[str, Any]) -> None:
    records = ", ".join(f"{name} {count}" for name, count in result["records"].items())
    extra = (
        f", {result['client_requests']} by the timed import, CPU {result['cpu_s']} s, {result['retries']} retries"
        if side == "Storelens"
        else f", exit {result['exit_code']}"
    )
    print(
        f"  {side:9} run {n}: {result['wall_s']:7.1f} s, {result['requests']} requests{extra}; "
        f"{sum(result['records'].values())} records ({records}); load {result['load_before']} → "
        f"{result['load_after']}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", choices=["us", "eu"], default="us")
    parser.add_argument("--runs", type=int, default=2, help="runs of each side, alternating (default 2)")
    parser.add_argument("--airbyte-venv", type=Path, default=AIRBYTE_VENV)
    parser.add_argument("--connector", action="store_true", help="Storelens with and without the Connector plugin")
    parser.add_argument("--storelens-one", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--reconcile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.storelens_one:
        print(json.dumps(storelens_one(*args.storelens_one, reconcile=args.reconcile)))
        return 0
    if args.connector:
        from tests.realstore import start_real_store

        print(f"Starting the real {args.profile} store…", flush=True)
        store = start_real_store(args.profile)
        try:
            connector_comparison(store, args.runs)
        finally:
            store.stop()
        return 0

    python = ensure_airbyte_venv(args.airbyte_venv)
    from tests.realstore import start_real_store

    print(f"Starting the real {args.profile} store…", flush=True)
    store = start_real_store(args.profile)
    folder = Path(tempfile.mkdtemp(prefix="bench-airbyte-"))
    try:
        print(f"Store {store.url} up in {store.timings['total']} s (from the cache: {store.from_cache})", flush=True)
        results: dict[str, list[dict[str, Any]]] = {"Storelens": [], "Airbyte": []}
        for n in range(1, args.runs + 1):
            order = ("Storelens", "Airbyte") if n % 2 else ("Airbyte", "Storelens")
            for side in order:
                result = run_storelens(store) if side == "Storelens" else run_airbyte(store, python, folder)
                results[side].append(result)
                show(side, n, result)
        ours = statistics.median(r["wall_s"] for r in results["Storelens"])
        theirs = statistics.median(r["wall_s"] for r in results["Airbyte"])
        missing = results["Airbyte"][0]["missing_streams"]
        start = results["Airbyte"][0]["start_date"]
        print(f"\nReal {args.profile} store, {args.runs} runs each ({AIRBYTE_PACKAGE}, start_date {start}):")
        met = "met" if theirs / ours >= TARGET_RATIO else "NOT met"
        print(
            f"  Storelens median {ours:.1f} s, Airbyte median {theirs:.1f} s → Airbyte ÷ Storelens "
            f"{theirs / ours:.2f}× (issue 17's target: ≥ {TARGET_RATIO:.0f}×, {met})"
        )
        for side in results:
            last = results[side][-1]
            print(f"  {side:9} records: {last['records']} (total {sum(last['records'].values())})")
        print("  Storelens's customers include guest identities (one per guest e-mail); registered ones: "
              f"{results['Storelens'][-1]['registered_customers']}")  # fmt: skip
        if missing:
            print(f"  Not in Airbyte's catalog: {', '.join(missing)} (compared on the other streams)")
        print(f"  Load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    finally:
        store.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

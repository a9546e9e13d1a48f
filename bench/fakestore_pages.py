"""How fast the fake store generates a big shop and serves `orders?per_page=100` pages on loopback.

    .venv/bin/python bench/fakestore_pages.py                     # 100k orders, https + Basic, 15 s
    .venv/bin/python bench/fakestore_pages.py --scheme http       # http + OAuth 1.0a (signed per request)
    .venv/bin/python bench/fakestore_pages.py --orders 20000 --pages 200

The store runs in its own process under uvicorn (0 latency, no faults) so that the client does not share its
GIL; the child reports generation time and its peak RSS. The client walks the pages in order with one
keep-alive connection, like a sync's first import, and prints pages and orders per second.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int, scheme: str, orders: int, seed: int, cert_dir: str, ck: str, cs: str, report: Any) -> None:
    import uvicorn

    from fakestore.app import create_app
    from fakestore.config import FakeStoreConfig
    from fakestore.store import FakeStore

    started = time.perf_counter()
    config = FakeStoreConfig(home_url=f"{scheme}://127.0.0.1:{port}", orders=orders, seed=seed, months=24)
    store = FakeStore(config)
    generation = time.perf_counter() - started
    store.accounts.create_key(1, "bench", "read", ck, cs)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report.send(
        {"generation_s": generation, "rss_mb": rss_mb, "orders": len(store.orders), "refunds": len(store.refunds)}
    )
    kwargs: dict[str, Any] = {}
    if scheme == "https":
        kwargs = {"ssl_certfile": f"{cert_dir}/server.pem", "ssl_keyfile": f"{cert_dir}/server.key"}
    uvicorn.run(create_app(config, store), host="127.0.0.1", port=port, log_level="warning", access_log=False, **kwargs)


def write_certs(directory: Path) -> Path:
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert.private_key_pem.write_to_path(directory / "server.key")
    cert.cert_chain_pems[0].write_to_path(directory / "server.pem")
    for extra in cert.cert_chain_pems[1:]:
        with open(directory / "server.pem", "ab") as fh:
            fh.write(extra.bytes())
    ca.cert_pem.write_to_path(directory / "ca.pem")
    return directory / "ca.pem"


def wait_until_up(base: str, verify: Any, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/wp-json/", verify=verify, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("the fake store did not come up; see its output above")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scheme", choices=["https", "http"], default="https", help="https + Basic, or http + OAuth")
    parser.add_argument("--seconds", type=float, default=15.0, help="stop after this long")
    parser.add_argument("--pages", type=int, default=0, help="stop after this many pages (0: time-bound only)")
    args = parser.parse_args()

    from fakestore.restauth import sign

    ck, cs = "ck_" + "b" * 40, "cs_" + "c" * 40
    port = free_port()
    base = f"{args.scheme}://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        verify: Any = str(write_certs(Path(tmp))) if args.scheme == "https" else False
        ctx = mp.get_context("spawn")
        receive, send = ctx.Pipe(duplex=False)
        child = ctx.Process(
            target=serve, args=(port, args.scheme, args.orders, args.seed, tmp, ck, cs, send), daemon=True
        )
        child.start()
        stats = receive.recv()
        print(
            f"generated {stats['orders']:,} orders and {stats['refunds']:,} refunds in {stats['generation_s']:.2f} s; "
            f"store process peak RSS {stats['rss_mb']:.0f} MB"
        )
        wait_until_up(base, verify)
        pages = orders_seen = 0
        nbytes = 0
        auth = (ck, cs) if args.scheme == "https" else None

        def page_params(page: int) -> dict[str, str]:
            params = {"per_page": "100", "page": str(page)}
            if args.scheme == "http":
                params.update(
                    {
                        "oauth_consumer_key": ck,
                        "oauth_nonce": f"{time.time_ns()}{page}",
                        "oauth_signature_method": "HMAC-SHA256",
                        "oauth_timestamp": str(int(time.time())),
                    }
                )
                params["oauth_signature"] = sign("GET", f"{base}/wp-json/wc/v3/orders", dict(params), cs, "HMAC-SHA256")
            return params

        with httpx.Client(base_url=base, verify=verify, timeout=60, auth=auth) as client:
            first = client.get("/wp-json/wc/v3/orders", params=page_params(1))
            first.raise_for_status()
            total_pages = int(first.headers["X-WP-TotalPages"])
            started = time.perf_counter()
            page = 2
            while True:
                r = client.get("/wp-json/wc/v3/orders", params=page_params(page))
                r.raise_for_status()
                body = r.json()
                pages += 1
                orders_seen += len(body)
                nbytes += len(r.content)
                page = page % total_pages + 1
                elapsed = time.perf_counter() - started
                if elapsed >= args.seconds or (args.pages and pages >= args.pages):
                    break
        child.terminate()
        child.join(5)
    print(
        f"{pages} pages ({orders_seen:,} orders, {nbytes / pages / 1024:.0f} KB/page) in {elapsed:.1f} s over "
        f"{args.scheme}{' + OAuth' if args.scheme == 'http' else ' + Basic'}: "
        f"{pages / elapsed:.1f} pages/s, {orders_seen / elapsed:,.0f} orders/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

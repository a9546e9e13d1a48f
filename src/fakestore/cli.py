"""`storelens fakestore serve|mutate` (also `python -m fakestore`).

`serve` runs the fake on a real socket with uvicorn. Its first line of output names the URL; the last line,
`ready url=… consumer_key=… consumer_secret=… admin_user=… admin_password=… ca=…`, is meant for scripts and tests
that start it as a subprocess (`--port 0` picks a free port, and that line tells which).

`mutate` changes orders through the store's REST write API only (see `mutate.py`), so webhooks fire as on a real
store.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fakestore.config import MODES, FakeStoreConfig, Faults


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="storelens fakestore", description="A faithful fake WooCommerce store for tests, benchmarks and demos."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve a fake store on a socket (uvicorn)")
    serve.add_argument("--port", type=int, required=True, help="port to listen on (0 picks a free one)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--home-url", help="WordPress home URL if not scheme://host:port (e.g. behind a proxy)")
    serve.add_argument("--https", action="store_true", help="serve TLS with a fresh certificate (its CA is printed)")
    serve.add_argument("--cert-dir", help="where --https writes ca.pem and server.pem (default: a new temp dir)")
    serve.add_argument("--site-name", default="Fake Store")
    serve.add_argument(
        "--environment-type",
        choices=("production", "staging", "development", "local"),
        default="production",
        help="wp_get_environment_type(); outside production wc-admin/options refuses the excluded statuses",
    )
    data = serve.add_argument_group("data")
    data.add_argument("--orders", type=int, default=FakeStoreConfig.orders, help="orders to generate")
    data.add_argument("--seed", type=int, default=FakeStoreConfig.seed)
    data.add_argument("--months", type=int, default=FakeStoreConfig.months, help="months of history")
    data.add_argument("--currency", default=FakeStoreConfig.currency)
    data.add_argument("--timezone", default=FakeStoreConfig.timezone)
    data.add_argument("--subscriptions", action="store_true", help="WooCommerce Subscriptions data and routes")
    data.add_argument("--dataset", help="serve a recorded store (JSON files as in woocommerce/dataset/)")
    data.add_argument(
        "--tax-profile",
        choices=("us", "eu"),
        default=FakeStoreConfig.tax_profile,
        help="eu: prices inclusive of VAT (DE/AT/FR, reduced rates), unrounded line amounts; use with --currency EUR",
    )
    data.add_argument(
        "--shared-email-guests",
        type=float,
        default=FakeStoreConfig.shared_email_guests,
        help="share of customers with a guest order using their e-mail next to their first order (0: none)",
    )
    data.add_argument(
        "--mixed-case-emails",
        type=float,
        default=FakeStoreConfig.mixed_case_emails,
        help="share of e-mails typed in mixed case (accounts, borrowed and repeat guest e-mails; 0: none)",
    )
    keys = serve.add_argument_group("keys and users")
    keys.add_argument("--consumer-key", help="pre-install this REST key (ck_…), with --consumer-secret")
    keys.add_argument("--consumer-secret", help="its secret (cs_…)")
    keys.add_argument("--key-scope", choices=("read", "write", "read_write"), default="read_write")
    keys.add_argument("--admin-user", default=FakeStoreConfig.admin_user, help="WordPress administrator login")
    keys.add_argument("--admin-password", default=FakeStoreConfig.admin_password)
    keys.add_argument("--admin-token", help="require this bearer token on /__fakestore/ (else loopback only)")
    outbound = serve.add_argument_group("callbacks and webhooks")
    outbound.add_argument("--ca-file", help="CA bundle the store verifies callback/webhook TLS with")
    outbound.add_argument("--webhook-delay", type=float, default=FakeStoreConfig.webhook_delay_s, help="seconds")
    outbound.add_argument(
        "--allow-port",
        type=int,
        action="append",
        default=[],
        help="also allow this callback/webhook port (WordPress's http_allowed_safe_ports filter); repeatable",
    )
    faults = serve.add_argument_group("misbehaviour")
    faults.add_argument("--latency-ms", type=float, default=0.0, help="added to every request")
    faults.add_argument("--jitter-ms", type=float, default=0.0, help="plus a uniform random 0..J ms")
    faults.add_argument("--fail-rate", type=float, default=0.0, help="share of requests answered with a JSON 500")
    faults.add_argument("--html-502-rate", type=float, default=0.0, help="share answered with a proxy 502 page")
    faults.add_argument("--timeout-rate", type=float, default=0.0, help="share that hang, then drop")
    faults.add_argument("--timeout-s", type=float, default=Faults.timeout_s, help="how long a timeout hangs")
    faults.add_argument("--reset-rate", type=float, default=0.0, help="share whose connection is reset")
    faults.add_argument("--rate-limit-rate", type=float, default=0.0, help="share answered 429 with Retry-After")
    faults.add_argument("--retry-after", type=int, default=Faults.retry_after_s, help="Retry-After seconds")
    faults.add_argument(
        "--mode",
        action="append",
        default=[],
        choices=sorted(MODES),
        metavar="MODE",
        help="repeatable: " + ", ".join(sorted(MODES)),
    )
    serve.set_defaults(func=_serve)

    mutate = commands.add_parser("mutate", help="change orders through the store's REST write API")
    mutate.add_argument("--url", required=True, help="the store's home URL")
    mutate.add_argument("--key", required=True, help="consumer key (read_write)")
    mutate.add_argument("--secret", required=True, help="consumer secret")
    mutate.add_argument("--create", type=int, default=0, help="orders to create")
    mutate.add_argument("--update", type=int, default=0, help="orders to move to their next status")
    mutate.add_argument("--refund", type=int, default=0, help="orders to refund partially")
    mutate.add_argument("--trash", type=int, default=0, help="orders to trash")
    mutate.add_argument("--delete", type=int, default=0, help="orders to delete permanently")
    mutate.add_argument("--seed", type=int, default=1)
    mutate.add_argument("--ca-file", help="CA to verify the store's TLS with (e.g. the one serve --https printed)")
    mutate.set_defaults(func=_mutate)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["fleet"]:  # many stores in one process: its own options (fakestore.fleet)
        from fakestore.fleet import main as fleet_main

        return fleet_main(argv[1:])
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return int(args.func(args))


# --- serve -------------------------------------------------------------------------------------------------------


def config_from_args(args: argparse.Namespace, home_url: str) -> FakeStoreConfig:
    config = FakeStoreConfig(
        home_url=home_url,
        site_name=args.site_name,
        environment_type=args.environment_type,
        currency=args.currency,
        timezone=args.timezone,
        seed=args.seed,
        orders=args.orders,
        months=args.months,
        subscriptions=args.subscriptions,
        tax_profile=args.tax_profile,
        shared_email_guests=args.shared_email_guests,
        mixed_case_emails=args.mixed_case_emails,
        admin_user=args.admin_user,
        admin_password=args.admin_password,
        ca_file=args.ca_file,
        webhook_delay_s=args.webhook_delay,
        faults=Faults(
            latency_ms=args.latency_ms,
            jitter_ms=args.jitter_ms,
            error_5xx_rate=args.fail_rate,
            html_502_rate=args.html_502_rate,
            timeout_rate=args.timeout_rate,
            reset_rate=args.reset_rate,
            rate_limit_rate=args.rate_limit_rate,
            retry_after_s=args.retry_after,
            timeout_s=args.timeout_s,
        ),
        dataset_dir=args.dataset,
        admin_token=args.admin_token,
    )
    config.http_allowed_safe_ports = (*config.http_allowed_safe_ports, *args.allow_port)
    config.set_modes(set(args.mode))
    return config


def _serve(args: argparse.Namespace) -> int:
    problem = _check_serve_args(args)
    if problem:
        print(f"storelens fakestore serve: {problem}", file=sys.stderr)
        return 2

    import uvicorn

    from fakestore.app import create_app

    sock = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        print(f"storelens fakestore serve: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    sock.listen(2048)  # connections made as soon as "ready" is printed wait in the backlog, not refused
    port = sock.getsockname()[1]
    scheme = "https" if args.https else "http"
    shown_host = f"[{args.host}]" if ":" in args.host else args.host
    home_url = (args.home_url or f"{scheme}://{shown_host}:{port}").rstrip("/")

    tls: dict[str, Any] = {}
    ca_path = ""
    if args.https:
        ca_path, server_pem = write_certificate(args.host, Path(args.cert_dir) if args.cert_dir else None)
        tls = {"ssl_certfile": str(server_pem)}

    config = config_from_args(args, home_url)
    started = time.perf_counter()
    app = create_app(config)
    store = _store_of(app)
    generated_s = time.perf_counter() - started
    key = None
    if args.consumer_key:
        key = store.accounts.create_key(
            1, "Storelens fake store", args.key_scope, args.consumer_key, args.consumer_secret
        )

    print(f"Fake WooCommerce store at {home_url} (WordPress 6.8.3, WooCommerce 9.9.5)")
    source = (
        f"dataset {args.dataset}" if args.dataset else f"{args.orders} orders, seed {args.seed}, {args.months} months"
    )
    print(f"  data: {source}, {args.currency}, {args.timezone}; ready in {generated_s:.2f} s")
    if key is not None:
        print(f"  REST key: {key.consumer_key} / {key.consumer_secret} ({key.permissions}, key_id {key.key_id})")
    else:
        print("  REST key: none pre-installed; approve one through /wc-auth/v1/authorize or POST /__fakestore/keys")
    print(f"  WordPress login: {args.admin_user} / {args.admin_password}  ({home_url}/wp-login.php)")
    if ca_path:
        print(f"  TLS: certificate authority {ca_path} (clients must trust it)")
    if config.modes:
        print(f"  modes: {', '.join(sorted(config.modes))}")
    print(f"  admin endpoint: {home_url}/__fakestore/")
    fields = {
        "url": home_url,
        "consumer_key": key.consumer_key if key else "",
        "consumer_secret": key.consumer_secret if key else "",
        "admin_user": args.admin_user,
        "admin_password": args.admin_password,
        "ca": str(ca_path),
    }
    print("ready " + " ".join(f"{k}={v}" for k, v in fields.items()), flush=True)

    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", timeout_keep_alive=30, **tls)
    )
    asyncio.run(server.serve(sockets=[sock]))
    return 0


def _check_serve_args(args: argparse.Namespace) -> str | None:
    if bool(args.consumer_key) != bool(args.consumer_secret):
        return "--consumer-key and --consumer-secret go together"
    if args.consumer_key and not args.consumer_key.startswith("ck_"):
        return "--consumer-key must start with ck_ (WooCommerce keys are ck_ + 40 hex characters)"
    if args.consumer_secret and not args.consumer_secret.startswith("cs_"):
        return "--consumer-secret must start with cs_"
    for name in ("fail_rate", "html_502_rate", "timeout_rate", "reset_rate", "rate_limit_rate"):
        if not 0 <= getattr(args, name) <= 1:
            return f"--{name.replace('_', '-')} is a probability between 0 and 1"
    if args.ca_file and not Path(args.ca_file).is_file():
        return f"--ca-file {args.ca_file} does not exist"
    if args.dataset and not Path(args.dataset).is_dir():
        return f"--dataset {args.dataset} is not a directory"
    return None


def _store_of(app: Any) -> Any:
    """The FakeStore behind the app (create_app keeps it on `app.state.store`, possibly under the fault wrapper)."""
    seen = app
    for _ in range(5):
        state = getattr(seen, "state", None)
        if state is not None and hasattr(state, "store"):
            return state.store
        seen = getattr(seen, "app", None) or getattr(seen, "__wrapped__", None)
        if seen is None:
            break
    raise RuntimeError("create_app() returned an app without state.store")


def write_certificate(host: str, directory: Path | None = None) -> tuple[Path, Path]:
    """A fresh CA and a server certificate for `host`, 127.0.0.1 and localhost; returns (ca.pem, server.pem)."""
    import trustme

    directory = directory or Path(tempfile.mkdtemp(prefix="fakestore-tls-"))
    directory.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA(organization_name="Storelens fake store")
    names = list(dict.fromkeys([host, "127.0.0.1", "localhost"]))
    if host in ("0.0.0.0", "::"):
        names = ["127.0.0.1", "localhost"]
    leaf = ca.issue_cert(*names)
    ca_path, server_path = directory / "ca.pem", directory / "server.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    leaf.private_key_and_cert_chain_pem.write_to_path(str(server_path))
    return ca_path, server_path


# --- mutate ------------------------------------------------------------------------------------------------------


def _mutate(args: argparse.Namespace) -> int:
    import ssl

    import httpx

    from fakestore.mutate import USER_AGENT, MutateError, Mutator

    verify: Any = ssl.create_default_context(cafile=args.ca_file) if args.ca_file else True
    client = httpx.Client(timeout=120, headers={"User-Agent": USER_AGENT}, verify=verify)
    mutator = Mutator(args.url, args.key, args.secret, seed=args.seed, client=client)
    results: dict[str, list[int]] = {}
    try:
        for name in ("create", "update", "refund", "trash", "delete"):
            count = getattr(args, name)
            if count:
                results[name] = getattr(mutator, name)(count)
    except (MutateError, httpx.HTTPError) as exc:
        for line in mutator.log:
            print(line)
        print(f"storelens fakestore mutate: {exc}", file=sys.stderr)
        return 1
    finally:
        client.close()
    for line in mutator.log:
        print(line)
    summary = "; ".join(f"{name}: {', '.join(map(str, ids))}" for name, ids in results.items())
    print(summary or "nothing to do: pass --create/--update/--refund/--trash/--delete N")
    return 0

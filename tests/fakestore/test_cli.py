"""`storelens fakestore serve|mutate`: arguments, the certificate, the OAuth signer, and a real serve subprocess."""

from __future__ import annotations

import json
import os
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from fakestore import cli
from fakestore.mutate import oauth_params
from tests.fakestore.edge_servers import Receiver, ServerThread, bound_socket
from tests.fakestore.wcauth_pages import capture

CK = "ck_" + "1" * 40
CS = "cs_" + "2" * 40


def parse(*argv: str) -> object:
    return cli.build_parser().parse_args(list(argv))


def test_serve_flags_become_the_stores_config() -> None:
    args = parse(
        "serve", "--port", "8443", "--https", "--orders", "50", "--seed", "7", "--months", "3", "--currency", "EUR",
        "--timezone", "Asia/Tokyo", "--subscriptions", "--latency-ms", "20", "--jitter-ms", "5", "--fail-rate", "0.1",
        "--rate-limit-rate", "0.05", "--retry-after", "9", "--mode", "php-notices", "--mode", "cache",
        "--admin-user", "owner", "--admin-password", "pw", "--allow-port", "9443", "--webhook-delay", "0.2",
    )  # fmt: skip
    config = cli.config_from_args(args, "https://127.0.0.1:8443")
    assert (config.home_url, config.orders, config.seed, config.months) == ("https://127.0.0.1:8443", 50, 7, 3)
    assert (config.currency, config.timezone, config.subscriptions) == ("EUR", "Asia/Tokyo", True)
    assert (config.faults.latency_ms, config.faults.jitter_ms, config.faults.error_5xx_rate) == (20, 5, 0.1)
    assert (config.faults.rate_limit_rate, config.faults.retry_after_s) == (0.05, 9)
    assert config.modes == {"php-notices", "cache"}
    assert (config.admin_user, config.admin_password, config.webhook_delay_s) == ("owner", "pw", 0.2)
    assert config.http_allowed_safe_ports == (80, 443, 8080, 9443)


def test_unknown_modes_and_half_key_pairs_are_refused_with_a_reason(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve", "--port", "0", "--mode", "waf-akamai"]) == 2
    assert "invalid choice: 'waf-akamai'" in capsys.readouterr().err
    assert cli.main(["serve", "--port", "0", "--consumer-key", CK]) == 2
    assert "--consumer-key and --consumer-secret go together" in capsys.readouterr().err
    assert cli.main(["serve", "--port", "0", "--consumer-key", "abc", "--consumer-secret", CS]) == 2
    assert "must start with ck_" in capsys.readouterr().err
    assert cli.main(["serve", "--port", "0", "--fail-rate", "2"]) == 2
    assert "--fail-rate is a probability between 0 and 1" in capsys.readouterr().err


def test_https_writes_a_ca_and_a_server_certificate_that_verify(tmp_path: Path) -> None:
    ca_path, server_pem = cli.write_certificate("127.0.0.1", tmp_path)
    context = ssl.create_default_context(cafile=str(ca_path))
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(str(server_pem))
    assert context.cert_store_stats()["x509_ca"] == 1
    assert "PRIVATE KEY-----" in server_pem.read_text()


def test_the_mutate_oauth_signer_reproduces_a_signature_the_real_store_accepted() -> None:
    recorded = capture("authmodes/orders-oauth1-hmac-sha256-http.json")
    query = dict(httpx.URL(recorded["request"]["url"]).params)
    assert recorded["response"]["status"] == 200
    key = capture("auth/ok_read_write-callback-001.json")["body_json"]
    assert query["oauth_consumer_key"] == key["consumer_key"]
    signed = oauth_params(
        "GET",
        "http://127.0.0.1:8080/wp-json/wc/v3/orders",
        key["consumer_key"],
        key["consumer_secret"],
        {"per_page": query["per_page"]},
        nonce=query["oauth_nonce"],
        timestamp=int(query["oauth_timestamp"]),
    )
    assert signed["oauth_signature"] == query["oauth_signature"]


def test_python_dash_m_runs_the_same_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "fakestore", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "serve" in done.stdout and "mutate" in done.stdout


@contextmanager
def serving(*extra: str) -> Iterator[dict[str, str]]:
    """`python -m fakestore serve --port 0 …` as a subprocess; yields the fields of its `ready` line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "fakestore", "serve", "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        lines = []
        deadline = time.monotonic() + 60
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                raise AssertionError(f"serve exited: {process.stderr.read() if process.stderr else ''}")
            lines.append(line)
            if line.startswith("ready "):
                fields = dict(part.split("=", 1) for part in line.split()[1:])
                fields["output"] = "".join(lines)
                yield fields
                return
        raise AssertionError("serve printed no ready line")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_serve_over_https_then_mutate_through_the_rest_api_fires_webhooks(capsys: pytest.CaptureFixture[str]) -> None:
    receiver = Receiver()
    receiver_sock = bound_socket()
    receiver_port = receiver_sock.getsockname()[1]
    extra = ["--https", "--orders", "30", "--consumer-key", CK, "--consumer-secret", CS]
    extra += ["--webhook-delay", "0.05", "--allow-port", str(receiver_port), "--mode", "php-notices"]
    with ServerThread(receiver, receiver_sock), serving(*extra) as ready:
        url, ca = ready["url"], ready["ca"]
        assert url.startswith("https://127.0.0.1:")
        assert (ready["consumer_key"], ready["consumer_secret"]) == (CK, CS)
        assert f"Fake WooCommerce store at {url}" in ready["output"]
        assert "WordPress login: admin / password" in ready["output"]
        verify = ssl.create_default_context(cafile=ca)
        with httpx.Client(verify=verify, auth=(CK, CS), timeout=30) as api:
            assert api.get(f"{url}/wp-json/").status_code == 200
            for topic in ("order.updated", "order.deleted"):
                created = api.post(
                    f"{url}/wp-json/wc/v3/webhooks",
                    json={"topic": topic, "secret": "s", "delivery_url": f"http://127.0.0.1:{receiver_port}/{topic}"},
                )
                assert created.status_code == 201  # (php-notices: the body is not parsed here)

            changes = ["--create", "2", "--update", "2", "--refund", "1", "--trash", "1", "--delete", "1"]
            code = cli.main(
                ["mutate", "--url", url, "--key", CK, "--secret", CS, "--ca-file", ca, "--seed", "4", *changes]
            )
            assert api.post(f"{url}/__fakestore/deliveries/drain").status_code == 200
    out = capsys.readouterr().out
    assert code == 0, out
    summary = dict(part.split(": ") for part in out.strip().splitlines()[-1].split("; "))
    ids = {name: [int(i) for i in value.split(", ")] for name, value in summary.items()}
    assert len(ids["create"]) == 2 and len(ids["update"]) == 2 and len(ids["trash"]) == 1
    assert "created order" in out and "trashed order" in out and "deleted order" in out

    delivered = {
        path: {json.loads(r.body)["id"] for r in receiver.requests if r.path == path and r.header("X-WC-Webhook-ID")}
        for path in ("/order.updated", "/order.deleted")
    }
    assert set(ids["create"]) | set(ids["update"]) <= delivered["/order.updated"]
    assert delivered["/order.deleted"] == set(ids["trash"])
    assert not set(ids["delete"]) & delivered["/order.deleted"]  # a permanent delete fires no webhook


def test_mutate_over_plain_http_signs_with_oauth_and_reports_a_refused_key(capsys: pytest.CaptureFixture[str]) -> None:
    with serving("--orders", "20", "--consumer-key", CK, "--consumer-secret", CS) as ready:
        assert ready["url"].startswith("http://") and ready["ca"] == ""
        refused = cli.main(["mutate", "--url", ready["url"], "--key", CK, "--secret", "cs_wrong", "--update", "1"])
        assert "answered 401" in capsys.readouterr().err
        code = cli.main(["mutate", "--url", ready["url"], "--key", CK, "--secret", CS, "--update", "1"])
    out = capsys.readouterr().out
    assert refused == 1
    assert code == 0, out
    assert out.startswith("updated order ")

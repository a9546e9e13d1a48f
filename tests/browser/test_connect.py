"""Connecting a store end to end, on real sockets, in Debian's Chromium.

Storelens runs as `storelens serve` over HTTPS with a throw-away CA; the fake WooCommerce store runs as
`storelens fakestore serve --https` and verifies the callback's certificate against Storelens's CA (`--ca-file`), as
WordPress does with its own bundle. Storelens trusts the fake's CA through STORELENS_STORE_CA_BUNDLE. Both listen on
127.0.0.1, so the callback passes WordPress's private-address rule (same host as the store); its port passes because
the fake is started with `--allow-port` (WordPress's `http_allowed_safe_ports` filter) and Storelens is told the same
with STORELENS_CALLBACK_ALLOWED_PORTS. Screenshots land in var/screenshots/connect/.
"""

from __future__ import annotations

import queue
import shutil
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import SCREENSHOT_DIR, free_port, server_env

pytestmark = pytest.mark.browser

PASSWORD = "a-long-and-secret-passphrase"
SHOTS = SCREENSHOT_DIR / "connect"


@dataclass
class Process:
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    def log(self) -> str:
        return "".join(self.lines)


def _launch(args: list[str], env: dict[str, str], cwd: Path, ready_marker: str, timeout: float = 60) -> Process:
    process = subprocess.Popen(args, env=env, cwd=str(cwd), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    proc = Process(process)
    ready: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            proc.lines.append(line)
            if ready_marker in line:
                ready.put(line)
        ready.put(None)

    threading.Thread(target=pump, daemon=True).start()
    try:
        line = ready.get(timeout=timeout)
    except queue.Empty:
        line = None
    if line is None:
        process.kill()
        raise RuntimeError(f"{args[3:5]} did not start:\n{proc.log()}")
    return proc


def _stop(proc: Process) -> None:
    proc.process.terminate()
    try:
        proc.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.process.kill()
        proc.process.wait()


@dataclass
class Stack:
    storelens_url: str
    store_url: str
    store_ca: str
    env: dict[str, str]
    storelens: Process
    store: Process

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "storelens", *args], env=self.env, capture_output=True, text=True, timeout=120
        )

    def store_admin(self, method: str, path: str, **kwargs: Any) -> Any:
        with httpx.Client(verify=ssl.create_default_context(cafile=self.store_ca), timeout=30) as client:
            answer = client.request(method, f"{self.store_url}/__fakestore/{path}", **kwargs)
            answer.raise_for_status()
            return answer.json()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, migrated_sqlite: Path) -> Iterator[Stack]:
    import trustme

    data_dir = tmp_path_factory.mktemp("connect-storelens")
    shutil.copy(migrated_sqlite, data_dir / "storelens.sqlite3")
    port = free_port()
    ca = trustme.CA(organization_name="Storelens test CA")
    cert = ca.issue_cert("127.0.0.1", "localhost")
    storelens_ca = data_dir / "storelens-ca.pem"
    ca.cert_pem.write_to_path(str(storelens_ca))
    cert.private_key_pem.write_to_path(str(data_dir / "tls-key.pem"))
    cert.cert_chain_pems[0].write_to_path(str(data_dir / "tls-cert.pem"))
    for extra in cert.cert_chain_pems[1:]:
        extra.write_to_path(str(data_dir / "tls-cert.pem"), append=True)

    store_dir = tmp_path_factory.mktemp("connect-store")
    store_env = server_env(store_dir)
    store = _launch(
        [
            *(sys.executable, "-m", "storelens", "fakestore", "serve", "--https", "--port", "0"),
            *("--cert-dir", str(store_dir), "--ca-file", str(storelens_ca), "--allow-port", str(port)),
            *("--orders", "40", "--months", "2", "--site-name", "Lab Store", "--webhook-delay", "0.2"),
        ],
        store_env,
        store_dir,
        "ready url=",
    )
    ready = dict(part.split("=", 1) for part in next(ln for ln in store.lines if ln.startswith("ready ")).split()[1:])

    env = server_env(
        data_dir,
        STORELENS_PUBLIC_URL=f"https://127.0.0.1:{port}",
        STORELENS_CALLBACK_ALLOWED_PORTS=str(port),
        STORELENS_STORE_CA_BUNDLE=ready["ca"],
    )
    try:
        storelens = _launch(
            [
                *(sys.executable, "-m", "storelens", "serve", "--host", "127.0.0.1", "--port", str(port)),
                *("--tls-cert", str(data_dir / "tls-cert.pem"), "--tls-key", str(data_dir / "tls-key.pem")),
            ],
            env,
            data_dir,
            "Uvicorn running on",
        )
    except Exception:
        _stop(store)
        raise
    yield Stack(f"https://127.0.0.1:{port}", ready["url"], ready["ca"], env, storelens, store)
    _stop(storelens)
    _stop(store)


@pytest.fixture
def shot(browser_page: Any) -> Any:
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SHOTS / f"{name}.png"
        browser_page.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in_and_add_store(stack: Stack, page: Any, email: str) -> str:
    """A new owner (own workspace) signs in and adds the fake store; returns the source page's URL."""
    made = stack.cli("users", "create", email, "--password", PASSWORD, "--workspace", f"{email} shop")
    assert made.returncode == 0, made.stderr
    page.goto(stack.storelens_url + "/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(stack.storelens_url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Data sources").click()
    page.wait_for_url("**/sources/")
    page.get_by_label("Store address").fill(stack.store_url)
    page.get_by_role("button", name="Add store").click()
    page.wait_for_url("**/sources/*/")
    assert page.get_by_role("heading", name="Lab Store", exact=True).is_visible()
    return page.url.split("?")[0]


def log_in_on_store(page: Any) -> None:
    """WooCommerce's own login form (the owner is not signed in to the store yet)."""
    page.wait_for_selector("form.wc-auth-login")
    page.fill("#username", "admin")
    page.fill("#password", "password")
    page.click("button.wc-auth-login-button")
    page.wait_for_selector(".wc-auth-approve")


def wait_for_phase(page: Any, phase: str) -> None:
    page.wait_for_selector(f'#source-card[data-phase="{phase}"]', timeout=30_000)


def test_connect_approve_reconnect_and_remove(stack: Stack, browser_page: Any, shot: Any) -> None:
    page = browser_page
    store_page = sign_in_and_add_store(stack, page, "approve@example.com")
    shot("01-store-added")

    page.get_by_role("button", name="Connect Store").click()
    log_in_on_store(page)
    assert page.get_by_role("heading", name="Storelens would like to connect to your store").is_visible()
    assert "127.0.0.1" in page.inner_text("body")  # "Approving will share credentials with 127.0.0.1"
    shot("02-store-approval-screen")

    page.click(".wc-auth-approve")
    page.wait_for_url(store_page + "?success=1*")
    wait_for_phase(page, "connected")  # turned by htmx polling, no reload
    assert page.locator("#source-card h2").inner_text() == "Connected"
    shot("03-connected")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Data sources").click()
    row = page.locator("tbody tr", has_text="Lab Store")
    assert row.locator(".status-pill").inner_text() in ("Importing", "Connected")
    shot("03b-data-sources-list")

    keys = stack.store_admin("GET", "keys")
    assert [k["description"].split(" - ")[0] for k in keys] == ["Storelens"]

    page.goto(store_page)
    page.locator("summary", has_text="Reconnect Store").click()
    page.locator("#source-card").get_by_role("button", name="Reconnect Store").click()
    page.wait_for_selector(".wc-auth-approve")  # already signed in to the store: straight to the grant page
    page.click(".wc-auth-approve")
    page.wait_for_url(store_page + "?success=1*")
    wait_for_phase(page, "connected")
    assert page.get_by_text("New keys are in use").is_visible()
    assert page.get_by_text("Storelens - API (date)").first.is_visible()
    shot("04-reconnected")
    assert page.url.startswith(store_page)  # the same source: history, cursors and settings stay
    assert len(stack.store_admin("GET", "keys")) == 2  # WooCommerce never reuses a key

    page.get_by_role("link", name="Remove…").click()
    shot("05-remove-confirm")
    page.get_by_label("Yes, remove this store and its data").check()
    page.get_by_role("button", name="Remove store").click()
    page.wait_for_url("**/sources/")
    assert page.get_by_text("Removed Lab Store").is_visible()
    shot("06-removed")
    listed = stack.cli("sources", "list", "--json")
    assert '"url": "' + stack.store_url not in listed.stdout
    left = [h["delivery_url"] for h in stack.store_admin("GET", "")["webhooks"]]
    assert not [url for url in left if url.startswith(stack.storelens_url)], left


def test_deny_on_the_store_says_so_with_try_again(stack: Stack, browser_page: Any, shot: Any) -> None:
    page = browser_page
    store_page = sign_in_and_add_store(stack, page, "deny@example.com")
    page.get_by_role("button", name="Connect Store").click()
    log_in_on_store(page)
    page.click(".wc-auth-deny")
    page.wait_for_url(store_page + "?success=0*")
    assert page.get_by_role("heading", name="You chose Deny on your store").is_visible()
    assert page.get_by_role("button", name="Try again").is_visible()
    shot("07-denied")


def test_an_expired_link_ends_in_the_store_error_and_storelens_explains(
    stack: Stack, browser_page: Any, shot: Any
) -> None:
    page = browser_page
    store_page = sign_in_and_add_store(stack, page, "expired@example.com")
    page.get_by_role("button", name="Connect Store").click()
    log_in_on_store(page)
    expired = stack.cli(
        "shell",
        "-c",
        "from django.utils import timezone; from datetime import timedelta; "
        "from storelens.stores.models import ConnectAttempt; "
        "ConnectAttempt.objects.update(expires_at=timezone.now() - timedelta(minutes=1))",
    )
    assert expired.returncode == 0, expired.stderr
    page.click(".wc-auth-approve")
    assert "unable to send the consumer data" in page.inner_text("body")  # WooCommerce's own wp_die page
    shot("08-store-error-after-expired-link")
    page.goto(store_page)
    wait_for_phase(page, "no_keys")
    assert page.get_by_text("The connection link expired").is_visible()
    assert page.get_by_role("heading", name="Use keys you create on your store").is_visible()
    shot("09-no-keys-explained")


def test_manual_keys_connect_without_the_approval_screen(stack: Stack, browser_page: Any, shot: Any) -> None:
    page = browser_page
    store_page = sign_in_and_add_store(stack, page, "manual@example.com")
    key = stack.store_admin("POST", "keys", json={"user_id": 1, "app_name": "Pasted by hand", "permissions": "read"})
    page.get_by_role("heading", name="Use keys you create on your store").click()
    page.get_by_label("Consumer key").fill(key["consumer_key"])
    page.get_by_label("Consumer secret").fill(key["consumer_secret"])
    shot("10-manual-keys-form")
    page.get_by_role("button", name="Check and save keys").click()
    page.wait_for_url(store_page)
    assert page.get_by_text("The keys work (read access)").is_visible()
    assert page.get_by_text("cannot register webhooks").first.is_visible()
    wait_for_phase(page, "connected")
    shot("11-manual-keys-connected")


def test_cli_connect_prints_the_approval_address_and_waits_for_the_keys(
    stack: Stack, browser_page: Any, shot: Any
) -> None:
    made = stack.cli("users", "create", "cli@example.com", "--password", PASSWORD, "--workspace", "Headless shop")
    assert made.returncode == 0, made.stderr
    command = subprocess.Popen(
        [sys.executable, "-m", "storelens", "sources", "connect", stack.store_url, "--workspace", "Headless shop"],
        env=stack.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert command.stdout is not None
        address = command.stdout.readline().strip()
        assert address.startswith(stack.store_url + "/wc-auth/v1/authorize?app_name=Storelens&scope=read_write")
        page = browser_page
        page.goto(address)
        log_in_on_store(page)
        shot("12-cli-approval-screen")
        page.click(".wc-auth-approve")
        out, err = command.communicate(timeout=60)
    finally:
        if command.poll() is None:
            command.kill()
    assert command.returncode == 0, err
    assert out.strip().isdigit() and "Connected Lab Store" in err
    listed = stack.cli("sources", "list", "--workspace", "Headless shop")
    assert "Lab Store" in listed.stdout and ("importing" in listed.stdout or "connected" in listed.stdout)


def test_an_address_where_no_store_answers_says_why_and_what_to_do(stack: Stack, browser_page: Any, shot: Any) -> None:
    page = browser_page
    sign_in_and_add_store(stack, page, "typo@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Data sources").click()
    page.get_by_label("Store address").fill("https://127.0.0.1:1/wp-admin/")
    page.get_by_role("button", name="Add store").click()
    problem = page.locator(".add-store .problem")
    assert problem.get_attribute("data-code") == "unreachable"
    assert "What to do:" in problem.inner_text()
    shot("13-add-error")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(stack.storelens_url + "/sources/")
    shot("14-data-sources-phone")

"""The whole Application Authentication flow over real sockets: the fake on https://127.0.0.1:P (uvicorn, a trustme
certificate), a callback receiver on https://127.0.0.1:Q whose CA the fake is given as its WordPress CA bundle."""

from __future__ import annotations

import json
import re
import ssl
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import trustme

from fakestore.config import FakeStoreConfig
from tests.fakestore.edge_servers import Receiver, ServerThread, bound_socket, free_port, self_signed_pem
from tests.fakestore.wcauth_harness import store_app
from tests.fakestore.wcauth_pages import capture, form_fields, h1, hidden, link, title, wp_die_message


@dataclass
class Stack:
    home: str
    store: Any
    receiver: Receiver
    receiver_port: int
    ca_path: Path
    tmp: Path

    def authorize_url(self, callback: str, scope: str = "read_write", app_name: str = "Putler Lab") -> str:
        query = {
            "app_name": app_name,
            "scope": scope,
            "user_id": "123",
            "return_url": "https://app.example.test/woocommerce/return?shop=lab",
            "callback_url": callback,
        }
        return f"{self.home}/wc-auth/v1/authorize?{urlencode(query)}"

    def browser(self) -> httpx.Client:
        return httpx.Client(verify=ssl.create_default_context(cafile=str(self.ca_path)), timeout=30)


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> tuple[trustme.CA, Path]:
    authority = trustme.CA()
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    authority.cert_pem.write_to_path(str(path))
    return authority, path


@pytest.fixture(scope="module")
def servers(ca: tuple[trustme.CA, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    authority, ca_path = ca
    tmp = tmp_path_factory.mktemp("tls")
    pem = tmp / "leaf.pem"
    authority.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(str(pem))
    receiver = Receiver()
    receiver_sock = bound_socket()
    store_sock = bound_socket()
    home = f"https://127.0.0.1:{store_sock.getsockname()[1]}"
    app, store = store_app(FakeStoreConfig(home_url=home))
    with ServerThread(receiver, receiver_sock, certfile=str(pem)), ServerThread(app, store_sock, certfile=str(pem)):
        yield Stack(home, store, receiver, receiver_sock.getsockname()[1], ca_path, tmp)


@pytest.fixture
def stack(servers: Stack) -> Stack:
    """The module's servers, with the store and the receiver as new."""
    config = servers.store.config
    config.ca_file = str(servers.ca_path)
    config.http_allowed_safe_ports = (80, 443, 8080, servers.receiver_port)
    for key_id in list(servers.store.accounts.keys):
        servers.store.accounts.delete_key(key_id)
    servers.receiver.requests.clear()
    servers.receiver.delay_s = 0.0
    servers.receiver.status = 200
    return servers


def sign_in_through_woocommerce_form(browser: httpx.Client, start: str) -> httpx.Response:
    first = browser.get(start)
    assert first.status_code == 302
    form = browser.get(first.headers["location"])
    assert form_fields(form.text) == capture("auth/not_logged_in_login_form.json")["login_form_fields"]
    posted = browser.post(
        first.headers["location"],
        data={
            "username": "admin",
            "password": "password",
            "woocommerce-login-nonce": hidden(form.text, "woocommerce-login-nonce"),
            "_wp_http_referer": hidden(form.text, "_wp_http_referer"),
            "login": "Login",
            "redirect": hidden(form.text, "redirect"),
        },
    )
    assert posted.status_code == 302
    return browser.get(posted.headers["location"])


def approve(stack: Stack, callback: str) -> httpx.Response:
    with stack.browser() as browser:
        grant = sign_in_through_woocommerce_form(browser, stack.authorize_url(callback))
        assert h1(grant.text) == "Putler Lab would like to connect to your store"
        return browser.get(link(grant.text, "wc-auth-approve"))


def test_the_whole_flow_delivers_the_key_to_an_https_callback_exactly_as_woocommerce_posts_it(stack: Stack) -> None:
    done = approve(stack, f"https://127.0.0.1:{stack.receiver_port}/wc-callback")
    assert done.status_code == 302
    assert done.headers["location"] == "https://app.example.test/woocommerce/return?shop=lab&success=1&user_id=123"

    (received,) = stack.receiver.requests
    captured = dict(capture("auth/ok_read_write-callback-001.json")["headers"])
    assert received.path == "/wc-callback"
    assert received.header("user-agent") == f"WordPress/6.8.3; {stack.home}"
    assert received.header("content-type") == captured["Content-Type"] == "application/json;charset=UTF-8"
    assert received.header("accept") == captured["Accept"]
    assert received.header("accept-encoding") == captured["Accept-Encoding"]
    assert received.header("connection") == "close"
    assert received.header("host") == f"127.0.0.1:{stack.receiver_port}"
    body = json.loads(received.body)
    assert list(body) == ["key_id", "user_id", "consumer_key", "consumer_secret", "key_permissions"]
    assert body["user_id"] == "123"
    key = stack.store.accounts.find(body["consumer_key"])
    assert key is not None and key.consumer_secret == body["consumer_secret"] and key.key_id == body["key_id"]

    with stack.browser() as api:
        orders = api.get(f"{stack.home}/wp-json/wc/v3/orders", auth=(body["consumer_key"], body["consumer_secret"]))
    assert orders.status_code == 200
    assert orders.json() and int(orders.headers["x-wp-total"]) >= len(orders.json())


def test_a_callback_port_outside_wordpress_safe_ports_is_refused(stack: Stack) -> None:
    stack.store.config.http_allowed_safe_ports = (80, 443, 8080)
    failed = approve(stack, f"https://127.0.0.1:{stack.receiver_port}/wc-callback")
    assert failed.status_code == 401
    assert title(failed.text) == "Access denied"
    assert wp_die_message(failed.text) == "Error: A valid URL was not provided.."
    assert stack.receiver.requests == []
    assert stack.store.accounts.keys == {}


def test_a_callback_on_the_stores_own_port_reaches_the_store_itself(stack: Stack) -> None:
    stack.store.config.http_allowed_safe_ports = (80, 443, 8080)
    failed = approve(stack, f"{stack.home}/wc-callback-404")
    assert wp_die_message(failed.text) == capture("auth/callback_home_port.json")["error_seen"]
    assert stack.store.accounts.keys == {}


def test_a_callback_certificate_not_in_the_stores_ca_bundle_fails_like_curl(stack: Stack) -> None:
    untrusted = ServerThread(Receiver(), bound_socket(), certfile=str(self_signed_pem(stack.tmp)))
    stack.store.config.http_allowed_safe_ports = (80, 443, 8080, untrusted.port)
    with untrusted:
        failed = approve(stack, f"https://127.0.0.1:{untrusted.port}/wc-callback")
    expected = capture("auth/callback_untrusted_cert.json")["error_seen"]
    assert wp_die_message(failed.text) == expected
    assert expected == "Error: cURL error 60: SSL certificate problem: self-signed certificate."
    assert stack.store.accounts.keys == {}


def test_without_a_ca_file_the_store_trusts_only_public_cas(stack: Stack) -> None:
    stack.store.config.ca_file = None
    failed = approve(stack, f"https://127.0.0.1:{stack.receiver_port}/wc-callback")
    assert wp_die_message(failed.text) == (
        "Error: cURL error 60: SSL certificate problem: unable to get local issuer certificate."
    )


def test_an_unreachable_callback_fails_with_curls_connect_error(stack: Stack) -> None:
    port = free_port()
    stack.store.config.http_allowed_safe_ports = (80, 443, 8080, port)
    failed = approve(stack, f"https://127.0.0.1:{port}/nobody-listens")
    expected_shape = capture("auth/callback_unreachable.json")["error_seen"].replace("443", str(port))
    pattern = re.escape(expected_shape).replace("after\\ 0\\ ms", r"after\ \d+\ ms")
    assert re.fullmatch(pattern, wp_die_message(failed.text))
    assert stack.store.accounts.keys == {}


def test_the_approve_click_waits_for_a_slow_callback(stack: Stack) -> None:
    stack.receiver.delay_s = 0.3
    started = time.perf_counter()
    done = approve(stack, f"https://127.0.0.1:{stack.receiver_port}/wc-callback")
    assert done.status_code == 302
    assert time.perf_counter() - started >= 0.3
    assert len(stack.store.accounts.keys) == 1

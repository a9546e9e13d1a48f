"""`storelens serve` as a process: its port, the proxies it believes, and bodies it refuses (issue 14, #4 and #10)."""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.test_settings import run_storelens


@pytest.mark.parametrize("port", ["99999", "0"])
def test_serve_refuses_a_port_outside_1_to_65535(tmp_path: Path, port: str) -> None:
    result = run_storelens(tmp_path, "serve", "--port", port)
    assert result.returncode != 0
    assert "use a whole number from 1 to 65535" in result.stderr
    assert "serving at" not in result.stdout


def failed_sign_ins(url: str, forwarded_for: list[str]) -> list[int]:
    """One wrong password per X-Forwarded-For value ."""
    with httpx.Client(base_url=url, timeout=20) as client:
        client.get("/accounts/login/")
        token = client.cookies["csrftoken"]
        codes = []
        for address in forwarded_for:
            response = client.post(
                "/accounts/login/",
                data={"username": "owner@example.com", "password": "wrong-password", "csrfmiddlewaretoken": token},
                headers={"X-Forwarded-For": address},
            )
            codes.append(response.status_code)
        return codes


@pytest.mark.browser  # a live server: one database pass is enough
def test_forwarded_addresses_from_an_untrusted_client_do_not_reset_the_lockout(start_storelens_server: Any) -> None:
    server = start_storelens_server(STORELENS_LOGIN_FAILURE_LIMIT="2")
    server.cli("users", "create", "owner@example.com", "--password", "a-long-enough-passphrase")
    codes = failed_sign_ins(server.url, [f"203.0.113.{i}" for i in range(1, 4)])
    assert codes[-1] == 429, codes  # every guess counted against 127.0.0.1, whatever the header claimed


def served_config(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Any:
    """The uvicorn configuration `storelens serve` would run with (the server itself is not started)."""
    import uvicorn
    from django.core.management import call_command

    seen: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: seen.append(self.config))
    call_command("serve", "--no-consumer", "--port", "8123")
    return seen[0]


@pytest.mark.django_db
def test_forwarded_headers_are_believed_only_from_the_trusted_proxies(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.STORELENS_TRUSTED_PROXIES = ()
    assert served_config(monkeypatch, settings).proxy_headers is False
    settings.STORELENS_TRUSTED_PROXIES = ("10.0.0.0/8", "127.0.0.1/32")
    config = served_config(monkeypatch, settings)
    assert config.proxy_headers is True and config.forwarded_allow_ips == ["10.0.0.0/8", "127.0.0.1/32"]


def stream_chunked(url: str, path: str, total: int) -> tuple[str, int]:
    """POST `total` bytes with chunked encoding over a raw socket; the status line and how much got sent."""
    parts = urlsplit(url)
    sent = 0
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
        head = f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\n"
        sock.sendall((head + "Transfer-Encoding: chunked\r\n\r\n").encode())
        chunk = b"%x\r\n%s\r\n" % (1024 * 1024, b"{" * 1024 * 1024)
        try:
            while sent < total:
                sock.sendall(chunk)
                sent += 1024 * 1024
        except OSError:
            pass  # the server answered and closed while we were still sending
        answer = b""
        deadline = time.monotonic() + 20
        while b"\r\n" not in answer and time.monotonic() < deadline:
            try:
                data = sock.recv(4096)
            except OSError:
                break
            if not data:
                break
            answer += data
    return answer.split(b"\r\n", 1)[0].decode(), sent


@pytest.mark.browser
def test_a_huge_streamed_post_to_the_key_callback_gets_413_from_the_server(start_storelens_server: Any) -> None:
    server = start_storelens_server()
    status, sent = stream_chunked(server.url, "/sources/wc-callback/", 400 * 1024 * 1024)
    assert re.match(r"HTTP/1\.1 413", status), status
    assert sent < 400 * 1024 * 1024  # the server stopped the upload long before its end

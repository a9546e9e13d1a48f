"""Fixtures for the alert tests: real local servers for the deliveries (an SMTP server, aiosmtpd, and an HTTP server
taking webhook POSTs, both on 127.0.0.1, each keeping what it received) and a workspace whose orders stopped."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from tests.alerts.histories import Shop, regular_shop, utc


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd calls it by this name
        self.messages.append(envelope.original_content or envelope.content)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, auth_require_tls=False)
    controller.start()
    try:
        with override_settings(STORELENS_SMTP_URL=f"smtp://127.0.0.1:{port}?from=Storelens%20%3Calerts@example.com%3E"):
            yield handler
    finally:
        controller.stop()


class Hook:
    """What the webhook server received; `status` and `delay` say how it answers."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.status = 200
        self.delay = 0.0
        self.url = ""


@pytest.fixture
def hook() -> Iterator[Hook]:
    received = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # http.server calls it by this name
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if received.delay:
                time.sleep(received.delay)
            received.posts.append(
                {"path": self.path, "type": self.headers.get("Content-Type"), "json": json.loads(body)}
            )
            self.send_response(received.status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    received.url = f"http://127.0.0.1:{server.server_address[1]}/services/T000/B000/secret"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received
    finally:
        server.shutdown()
        server.server_close()


MONDAY = date(2025, 3, 10)
LATER = utc(MONDAY, 16, 50)  # the clock of the sending tick


@pytest.fixture
def fired(alice: object) -> Any:
    """Alice's workspace, with alice asking for alert e-mails (`stop_orders` then gives it an alert to send)."""
    from storelens.accounts.models import Membership, Workspace
    from storelens.alerts.models import MemberAlerts

    workspace = Workspace.objects.get(name="Alice's Shop")
    MemberAlerts.objects.create(membership=Membership.objects.get(user=alice, workspace=workspace), email=True)
    return workspace


def stop_orders(workspace: object) -> Shop:
    """Ten weeks of hourly orders, then none after 12:15 on Monday, synced at 16:30: orders stopped, 4 hours."""
    shop = regular_shop(workspace, MONDAY)
    shop.sell(MONDAY, range(9, 13))
    shop.synced(utc(MONDAY, 16, 30))
    return shop

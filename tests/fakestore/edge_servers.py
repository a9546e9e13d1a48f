"""Real sockets for the fake store's edge tests: uvicorn in a thread on a free 127.0.0.1 port, TLS from a trustme
CA, and a tiny receiver that records what the store sends to a callback or webhook URL."""

from __future__ import annotations

import asyncio
import datetime
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn


def bound_socket(port: int = 0) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    return sock


def free_port() -> int:
    """A port nobody listens on (bound and released: connecting to it is refused)."""
    with bound_socket() as sock:
        return sock.getsockname()[1]


class ServerThread:
    """uvicorn serving `app` on an already bound socket, in a background thread with its own event loop."""

    def __init__(self, app: Any, sock: socket.socket, certfile: str | None = None, lifespan: str = "on") -> None:
        self.sock = sock
        self.port = sock.getsockname()[1]
        tls = {"ssl_certfile": certfile} if certfile else {}
        self.server = uvicorn.Server(
            uvicorn.Config(app, log_level="error", access_log=False, lifespan=lifespan, timeout_keep_alive=5, **tls)
        )
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.run(self.server.serve(sockets=[self.sock]))

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.005)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@dataclass
class Received:
    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


@dataclass
class Receiver:
    """An ASGI app standing in for Storelens's callback or a webhook endpoint: records and answers `status`."""

    status: int = 200
    delay_s: float = 0.0
    answer: Callable[[Received], int] | None = None
    requests: list[Received] = field(default_factory=list)
    event: threading.Event = field(default_factory=threading.Event)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        record = Received(scope["method"], scope["path"], headers, body)
        self.requests.append(record)
        self.event.set()
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        status = self.answer(record) if self.answer else self.status
        await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok"})


def self_signed_pem(directory: Path, host: str = "127.0.0.1") -> Path:
    """A certificate that signs itself (no CA anyone trusts), with its key, in one PEM file for uvicorn."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    path = directory / "self-signed.pem"
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        + cert.public_bytes(serialization.Encoding.PEM)
    )
    return path

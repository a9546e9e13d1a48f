"""A loopback address of its own for each store, and free ports on it.

Why not 127.0.0.1: WooCommerce posts the new keys to the app's callback with `wp_safe_remote_post`, which refuses a
loopback host unless it is the store's own host, and any port but 80, 443, 8080 and the store's own. So each store
lives on 127.0.0.X (X random in 2..250), and the Storelens server under test binds https://127.0.0.X:8080
(`CALLBACK_PORT`): the real rules hold, nothing loosens them. A lock file held for the store's lifetime keeps two
runs on this machine (several engineers, two pytest passes) from picking the same address.
"""

from __future__ import annotations

import fcntl
import os
import random
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

CALLBACK_PORT = 8080
LOCK_DIR = Path(tempfile.gettempdir()) / "storelens-realstore-hosts"


@dataclass
class LoopbackHost:
    """An address 127.0.0.X reserved for one store until release()."""

    address: str
    lock: IO[str]

    def release(self) -> None:
        self.lock.close()


def port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str) -> int:
    """A port the kernel says is free on `host` (never 8080, which the callback server needs)."""
    while True:
        with socket.socket() as sock:
            sock.bind((host, 0))
            port = sock.getsockname()[1]
        if port != CALLBACK_PORT:
            return port


def reserve_loopback_host(attempts: int = 200) -> LoopbackHost:
    """A random 127.0.0.X whose callback port is free and that no other live run holds."""
    LOCK_DIR.mkdir(mode=0o1777, exist_ok=True)
    candidates = random.sample(range(2, 251), k=min(attempts, 249))
    for x in candidates:
        address = f"127.0.0.{x}"
        handle = open(LOCK_DIR / address, "w")  # noqa: SIM115 - held open for the store's lifetime
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        if not port_free(address, CALLBACK_PORT):
            handle.close()
            continue
        handle.write(str(os.getpid()))
        handle.flush()
        return LoopbackHost(address, handle)
    raise RuntimeError("no free loopback address 127.0.0.2..250 with port 8080 free: are stale stores still running?")

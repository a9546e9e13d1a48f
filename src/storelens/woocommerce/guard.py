"""Refuse to connect to private, loopback, link-local and reserved addresses (unless allowed).

A store URL is user input: without this, "add a store" would let anyone make Storelens fetch from its own network
(cloud metadata at 169.254.169.254, a database admin on 127.0.0.1, …). The check runs when the connection is made,
on the addresses actually dialled, so a DNS answer that changes between a check and the request (rebinding) or a
redirect to an internal host cannot slip through. `GuardedTransport` is what `StoreClient` uses for real sockets.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpcore
import httpx

from .errors import Misconfigured

Resolver = Callable[[str, int], Awaitable[list[str]]]


def is_public_address(address: str) -> bool:
    """True only for globally routable unicast addresses (IPv4-mapped IPv6 is judged by its IPv4 part)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def private_address_error(host: str, address: str) -> Misconfigured:
    """Say plainly which kind of address it is (this computer's own, or a private network's) and how to allow it."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        kind = "this computer's own address (loopback)"
    elif ip.is_private or ip.is_link_local:
        kind = "a private network address"
    else:
        kind = "an address that is not on the public internet"
    named = host.strip("[]")
    where = f"{address} is {kind}" if named == address else f"{host} points to {address}, {kind}"
    return Misconfigured(
        f"{where}. Storelens connects only to stores on the public internet unless it is allowed to use private "
        "addresses.",
        code="private_address",
        fix=(
            "If the store really runs on this computer or on your private network, whoever runs Storelens sets "
            "STORELENS_ALLOW_PRIVATE_STORES=1 and restarts it. Otherwise use the store's public address."
        ),
    )


def check_addresses(host: str, addresses: Iterable[str], *, allow_private: bool) -> list[str]:
    """Every address must be public (one private answer is enough to refuse: the resolver may pick it)."""
    addresses = list(addresses)
    if not allow_private:
        for address in addresses:
            if not is_public_address(address):
                raise private_address_error(host, address)
    return addresses


async def system_resolve(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        if sockaddr[0] not in seen:
            seen.append(str(sockaddr[0]))
    return seen


async def resolve_checked(host: str, port: int, *, allow_private: bool, resolver: Resolver | None = None) -> list[str]:
    """Resolve `host` and check every address. Raises `httpcore.ConnectError` when the name does not resolve."""
    bare = host.strip("[]")
    try:
        ipaddress.ip_address(bare.split("%", 1)[0])
        return check_addresses(host, [bare], allow_private=allow_private)
    except ValueError:
        pass
    try:
        addresses = await (resolver or system_resolve)(bare, port)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"Could not resolve host name {host}: {exc}") from exc
    if not addresses:
        raise httpcore.ConnectError(f"Could not resolve host name {host}: no addresses")
    return check_addresses(host, addresses, allow_private=allow_private)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore network backend that resolves names itself, checks them, and dials a checked address.

    TLS still uses the original host name for SNI and certificate checks (httpcore passes it to `start_tls`).
    """

    def __init__(self, *, allow_private: bool, resolver: Resolver | None = None) -> None:
        self._allow_private = allow_private
        self._resolver = resolver
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await asyncio.wait_for(
                resolve_checked(host, port, allow_private=self._allow_private, resolver=self._resolver), timeout
            )
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"Timed out resolving {host}") from exc
        last: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("Unix sockets are not used for stores")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def make_ssl_context(verify: bool | str | ssl.SSLContext = True) -> ssl.SSLContext | bool:
    """`verify` as given by the caller: True (system/certifi bundle), False, a CA bundle path, or a context."""
    if isinstance(verify, ssl.SSLContext):
        return verify
    if isinstance(verify, str):
        return ssl.create_default_context(cafile=verify)
    return verify


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport with the guarded network backend swapped in.

    httpx does not expose `network_backend`; replacing the pool it built keeps every other behaviour (HTTP/1.1,
    keep-alive, exception mapping) exactly httpx's.
    """

    def __init__(
        self,
        *,
        allow_private: bool,
        verify: bool | str | ssl.SSLContext = True,
        limits: httpx.Limits | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        limits = limits or httpx.Limits(max_connections=10, max_keepalive_connections=10)
        ctx = make_ssl_context(verify)
        super().__init__(verify=ctx, limits=limits)
        ssl_context = self._pool._ssl_context  # the context httpx built from `verify`
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=GuardedBackend(allow_private=allow_private, resolver=resolver),
        )

"""The private-address guard and transport failures, on real sockets (127.0.0.1 only)."""

from __future__ import annotations

import datetime
import ssl

import pytest
import trustme

from storelens.woocommerce.client import ClientConfig, StoreClient
from storelens.woocommerce.errors import Misconfigured, Retriable
from storelens.woocommerce.guard import GuardedTransport, is_public_address
from storelens.woocommerce.retry import RetryPolicy

from . import sockets
from .conftest import FakeSleep

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.5",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.1",
        "255.255.255.255",
        "192.0.2.10",  # documentation
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::",
    ],
)
def test_private_loopback_link_local_and_reserved_addresses_are_not_public(address: str) -> None:
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_global_addresses_are_public(address: str) -> None:
    assert is_public_address(address)


async def test_loopback_store_is_refused_before_any_connection(fake_sleep: FakeSleep) -> None:
    async with sockets.serve(sockets.json_answer()) as (port, connections):
        client = StoreClient(f"http://127.0.0.1:{port}", sleep=fake_sleep)
        async with client:
            with pytest.raises(Misconfigured) as info:
                await client.get("/", authenticate=False)
    assert info.value.code == "private_address"
    assert "STORELENS_ALLOW_PRIVATE_STORES" in info.value.fix
    assert connections == []
    assert fake_sleep.delays == []  # not retried


async def test_loopback_store_is_reached_when_private_stores_are_allowed(fake_sleep: FakeSleep) -> None:
    async with sockets.serve(sockets.json_answer()) as (port, connections):
        config = ClientConfig(allow_private=True)
        async with StoreClient(f"http://127.0.0.1:{port}", config=config, sleep=fake_sleep) as client:
            resp = await client.get("/", authenticate=False)
    assert resp.data == {"ok": True}
    assert len(connections) == 1


async def test_a_name_with_any_private_address_is_refused(fake_sleep: FakeSleep) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "10.0.0.7"]

    client = StoreClient("https://shop.example.com", sleep=fake_sleep)
    client._http._transport = GuardedTransport(allow_private=False, resolver=resolver)
    async with client:
        with pytest.raises(Misconfigured) as info:
            await client.get("/", authenticate=False)
    assert info.value.code == "private_address" and "10.0.0.7" in info.value.message


async def test_the_checked_address_is_the_one_dialled_and_the_host_name_is_kept(fake_sleep: FakeSleep) -> None:
    seen: list[bytes] = []

    async def record(reader, writer) -> None:  # type: ignore[no-untyped-def]
        seen.append(await sockets.read_request(reader))
        body = b"[]"
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n" + body)
        await writer.drain()

    async def resolver(host: str, port: int) -> list[str]:
        assert host == "shop.test"
        return ["127.0.0.1"]

    async with sockets.serve(record) as (port, _):
        client = StoreClient(f"http://shop.test:{port}", sleep=fake_sleep)
        client._http._transport = GuardedTransport(allow_private=True, resolver=resolver)
        async with client:
            await client.get("/", authenticate=False)
    assert f"host: shop.test:{port}".encode() in seen[0].lower()


async def test_unknown_host_is_unreachable(fake_sleep: FakeSleep) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        import socket

        raise socket.gaierror(-2, "Name or service not known")

    client = StoreClient("https://no-such-store.example", sleep=fake_sleep)
    client._http._transport = GuardedTransport(allow_private=False, resolver=resolver)
    async with client:
        with pytest.raises(Retriable) as info:
            await client.get("/", authenticate=False)
    assert info.value.code == "unreachable"
    assert "DNS" in info.value.message


def _quick(**kw: object) -> ClientConfig:
    return ClientConfig(allow_private=True, retry=RetryPolicy(max_attempts=2), **kw)  # type: ignore[arg-type]


async def test_refused_connection_is_unreachable(fake_sleep: FakeSleep) -> None:
    async with sockets.serve(sockets.json_answer()) as (port, _):
        pass  # closed again: nothing listens on the port now
    async with StoreClient(f"http://127.0.0.1:{port}", config=_quick(), sleep=fake_sleep) as client:
        with pytest.raises(Retriable) as info:
            await client.get("/", authenticate=False)
    assert info.value.code == "unreachable" and "refused" in info.value.message
    assert len(fake_sleep.delays) == 1


async def test_a_store_that_never_answers_times_out(fake_sleep: FakeSleep) -> None:
    async with sockets.serve(sockets.hang) as (port, connections):
        config = _quick(read_timeout=0.2)
        async with StoreClient(f"http://127.0.0.1:{port}", config=config, sleep=fake_sleep) as client:
            with pytest.raises(Retriable) as info:
                await client.get("/", authenticate=False)
    assert info.value.code == "timeout"
    assert len(connections) == 2  # retried once (max_attempts=2)


async def test_a_connection_reset_is_retriable(fake_sleep: FakeSleep) -> None:
    async with (
        sockets.serve(sockets.reset) as (port, _),
        StoreClient(f"http://127.0.0.1:{port}", config=_quick(), sleep=fake_sleep) as client,
    ):
        with pytest.raises(Retriable) as info:
            await client.get("/", authenticate=False)
    assert info.value.code == "connection_reset"


# --- TLS ----------------------------------------------------------------------------------------------------------


def _server_ctx(cert: trustme.LeafCert) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(ctx)
    return ctx


async def test_tls_with_a_trusted_ca_bundle_works(fake_sleep: FakeSleep, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    async with sockets.serve(sockets.json_answer(), _server_ctx(ca.issue_cert("127.0.0.1"))) as (port, _):
        config = _quick(verify=str(ca_file))
        async with StoreClient(f"https://127.0.0.1:{port}", config=config, sleep=fake_sleep) as client:
            resp = await client.get("/", authenticate=False)
    assert resp.data == {"ok": True}


@pytest.mark.parametrize(
    ("issue", "trusted", "words"),
    [
        ("self", False, "not signed by an authority"),
        ("wrong-host", True, "different name"),
        ("expired", True, "expired"),
    ],
)
async def test_tls_problems_are_tls_errors_with_the_reason(
    issue: str, trusted: bool, words: str, fake_sleep: FakeSleep, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    if issue == "wrong-host":
        leaf = ca.issue_cert("shop.example.com")
    elif issue == "expired":
        leaf = ca.issue_cert(
            "127.0.0.1",
            not_before=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
            not_after=datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC),
        )
    else:
        leaf = ca.issue_cert("127.0.0.1")
    async with sockets.serve(sockets.json_answer(), _server_ctx(leaf)) as (port, _):
        config = _quick(verify=str(ca_file) if trusted else True)
        async with StoreClient(f"https://127.0.0.1:{port}", config=config, sleep=fake_sleep) as client:
            with pytest.raises(Misconfigured) as info:
                await client.get("/", authenticate=False)
    assert info.value.code == "tls_error"
    assert words in info.value.message
    assert fake_sleep.delays == []  # a certificate does not fix itself between retries

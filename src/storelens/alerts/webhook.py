"""The workspace's webhook: checking the URL an owner or admin saves, and POSTing an alert to it (Slack-compatible
JSON, `{"text": …}`), from the job queue only.

Why the guard: the URL is user input that Storelens will request from its own network, like a store's address. So
the same rule as stores applies (`storelens.woocommerce.guard`): only public addresses, checked on the addresses
actually dialled (a DNS answer that changes later cannot slip through), no redirects followed; a private or loopback
address needs STORELENS_ALLOW_PRIVATE_STORES=1, the explicit permission the demo and the tests use. Saving checks what
it can without the network (the scheme, a literal address, "localhost"); sending checks the rest. Each POST has a
short timeout and runs in a worker, never in a request.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from storelens.woocommerce.errors import StoreError
from storelens.woocommerce.guard import GuardedTransport, is_public_address, private_address_error

TIMEOUT = httpx.Timeout(5.0, connect=3.0)


class WebhookRefused(Exception):
    """The URL cannot be used (said in the owner's words)."""


def _refused(err: StoreError) -> WebhookRefused:
    return WebhookRefused(f"{err.message} {err.fix}".strip())


def check_url(url: str) -> str:
    """The URL to save ("" clears it), or WebhookRefused saying why not."""
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise WebhookRefused("Give the full address, starting with https:// (for example a Slack incoming webhook).")
    if parts.username or parts.password:
        raise WebhookRefused("Put no user name or password in the address; a webhook's secret is in its path.")
    if len(url) > 500:
        raise WebhookRefused("That address is longer than 500 characters.")
    if settings.STORELENS_ALLOW_PRIVATE_STORES:
        return url
    host = parts.hostname
    if host == "localhost" or host.endswith(".localhost"):
        raise _refused(private_address_error(host, "127.0.0.1"))
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return url  # a name: checked on every address it resolves to when sending
    if not is_public_address(host):
        raise _refused(private_address_error(host, host))
    return url


def payload(text: str) -> bytes:
    return json.dumps({"text": text}).encode()


async def _post(url: str, body: bytes) -> int:
    transport = GuardedTransport(allow_private=settings.STORELENS_ALLOW_PRIVATE_STORES)
    async with httpx.AsyncClient(transport=transport, timeout=TIMEOUT, follow_redirects=False) as client:
        response = await client.post(url, content=body, headers={"Content-Type": "application/json"})
        return response.status_code


def post(url: str, text: str) -> None:
    """POST the alert; raises with a plain reason unless the webhook answered 2xx."""
    try:
        status = asyncio.run(_post(check_url(url), payload(text)))
    except StoreError as err:  # the guard refused the address it resolved to
        raise _refused(err) from err
    except httpx.HTTPError as err:
        raise WebhookRefused(f"{type(err).__name__}: {err}") from err
    if not 200 <= status < 300:
        raise WebhookRefused(f"the webhook answered HTTP {status}")

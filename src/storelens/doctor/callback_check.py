"""Can the store post keys (and webhooks) to Storelens? STORELENS_PUBLIC_URL judged by WordPress's own rules, then
probed for real. Part of the doctor's checks (`checks.run_checks` turns a finding into the `callback_unreachable`
problem); kept apart because it is about Storelens's own address, not the store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol
from urllib.parse import urlsplit

import httpx

from storelens.stores import callback_rules
from storelens.stores.callback_rules import CallbackProblem, callback_problem
from storelens.stores.problems import ERROR, WARNING
from storelens.woocommerce.client import ClientConfig, StoreClient
from storelens.woocommerce.errors import StoreError

HEALTH_PATH = "/healthz"  # what the callback check asks Storelens's public address for
# WordPress's rules that concern only the key callback, not webhook deliveries (callback_rules codes).
KEY_CALLBACK_ONLY = frozenset({"public_url_missing", "public_url_not_https"})
# (message, fix, severity); severity None: the catalogue entry's.
Finding = tuple[str, str, str | None]


class CallbackSettings(Protocol):
    """The part of `checks.CheckSettings` this check reads."""

    public_url: str
    callback_ports: tuple[int, ...]
    resolve: Callable[[str], str | None]
    callback_verify: bool | str
    callback_transport: httpx.AsyncBaseTransport | None


MANUAL_KEYS = (
    "Meanwhile, paste keys you create on your store (WooCommerce → Settings → Advanced → REST API) into Storelens."
)


def _callback_words(problem: CallbackProblem) -> tuple[str, str]:
    """The connect flow's rule, in WooCommerce's own words, with a fix for whoever runs Storelens."""
    action = problem.fix.split(" or ", 1)[-1].rstrip(".").removeprefix("ask whoever runs Storelens to ")
    fix = f"Whoever runs Storelens: {action}. {MANUAL_KEYS}"
    if problem.code == "public_url_missing":
        message = (
            "Storelens has no public address (STORELENS_PUBLIC_URL is not set), so your store cannot send it keys "
            "when you click Approve, nor tell it about new orders right away."
        )
        return message, fix
    if problem.code == "public_url_not_https":
        said = callback_rules.WC_NOT_SSL
    elif problem.code == "public_url_unresolvable":
        said = callback_rules.WC_SEND_FAILED
    else:
        said = callback_rules.WC_INVALID_URL
    return f"{problem.message} Your store would show “{said}”", fix


async def callback_finding(settings: CallbackSettings, store_url: str, *, keys_work: bool = False) -> Finding | None:
    """STORELENS_PUBLIC_URL as WordPress judges it (callback_rules), then a real GET of its health path: the
    `callback_unreachable` problem's (message, fix, severity or None for the catalogue's), or None when it is fine.

    With keys that work (`keys_work`) the keys have already arrived. An unset address then just means changes are
    polled, and plain http matters only to a Reconnect (webhooks may be delivered over http; the connect flow checks
    it itself), so neither is reported. What also stops webhooks (a name that does not resolve, a private address,
    a port WordPress refuses, no answer) is a warning, not an error, since syncing goes on.
    """
    public = settings.public_url.rstrip("/")
    store_home = store_url if "://" in store_url else f"https://{store_url}"
    rule = callback_problem(public, store_home, extra_ports=settings.callback_ports, resolve=settings.resolve)
    if rule is not None:
        if keys_work and rule.code in KEY_CALLBACK_ONLY:
            return None
        message, fix = _callback_words(rule)
        severity = WARNING if rule.code == "public_url_missing" or keys_work else ERROR
        return _keys_work_note(message, keys_work), fix, severity
    severity = WARNING if keys_work else None
    # WordPress's own rules allow this address (a private one only on the store's host), so the guard may too.
    config = ClientConfig(allow_private=True, verify=settings.callback_verify, connect_timeout=5.0, read_timeout=10.0)
    target = public + HEALTH_PATH
    host = urlsplit(public).netloc
    fix = (
        f"Whoever runs Storelens: make {public} answer from the internet over HTTPS (check the firewall and that "
        f"Storelens is running). {MANUAL_KEYS}"
    )
    try:
        async with StoreClient(public, config=config, transport=settings.callback_transport) as probe:
            resp = await probe.fetch_url(target)
    except StoreError as err:
        if err.code == "tls_error":
            message = (
                f"Storelens's certificate at {host} is not one WordPress trusts: "
                f"{err.message.split(': ', 1)[-1].rstrip('.')}. Your store would show “{callback_rules.WC_CURL_60} …”."
            )
            fix = (
                "Whoever runs Storelens: use a certificate from a public authority (for example Let's Encrypt) for "
                f"{host}. {MANUAL_KEYS}"
            )
        else:
            message = (
                f"Storelens's public address {public} did not answer: {err.message.rstrip('.')}. Your store "
                f"would show “{callback_rules.WC_SEND_FAILED}”"
            )
        return _keys_work_note(message, keys_work), fix, severity
    if resp.status_code != 200:
        message = (
            f"Storelens's public address {public} answered HTTP {resp.status_code} instead of 200, so your store "
            f"would show “{callback_rules.WC_SEND_FAILED}”"
        )
        return _keys_work_note(message, keys_work), fix, severity
    return None


def _keys_work_note(message: str, keys_work: bool) -> str:
    """The callback problem, saying what it does not affect when the store's keys work."""
    if not keys_work:
        return message
    return (
        f"{message.rstrip('.')}. Your keys work, so syncing goes on; only live updates (webhooks) and a later "
        "Reconnect need this address."
    )

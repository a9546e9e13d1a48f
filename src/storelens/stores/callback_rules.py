"""Can WooCommerce post keys to Storelens's callback URL? WordPress's own rules, checked before we send anyone there.

WooCommerce posts the new key with `wp_safe_remote_post`, which refuses (FINDINGS §1, `wp_http_validate_url`):
- a callback that is not https (checked on the approval screen already);
- a host that resolves to a private or loopback address, unless it is the store's own host;
- a port other than 80, 443, 8080 (the `http_allowed_safe_ports` filter) or the store's own port on the same host.
It also verifies the TLS certificate against WordPress's bundled CA list, which we cannot check from here: the text
says so instead. Sending the owner to the approval screen when any rule fails ends in a certain error on their store
("A valid URL was not provided."), so the connect page offers manual keys instead.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

# WooCommerce's own words when it cannot post keys to Storelens (FINDINGS §1; the double period is WordPress's).
WC_SEND_FAILED = "Error: An error occurred in the request and at the time were unable to send the consumer data."
WC_INVALID_URL = "Error: A valid URL was not provided.."
WC_CURL_60 = "Error: cURL error 60: SSL certificate problem"
WC_NOT_SSL = "Error: The callback_url needs to be over SSL."

WORDPRESS_SAFE_PORTS = (80, 443, 8080)

Resolver = Callable[[str], str | None]


@dataclass(frozen=True)
class CallbackProblem:
    code: str
    message: str
    fix: str


def gethostbyname(host: str) -> str | None:
    """PHP's gethostbyname(): an IPv4 literal as is, else the first IPv4 address (None when it does not resolve)."""
    try:
        return str(ipaddress.IPv4Address(host))
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, family=socket.AF_INET, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None
    return str(infos[0][4][0]) if infos else None


def _wordpress_private(ip: str) -> bool:
    """The ranges wp_http_validate_url() refuses: 127/8, 10/8, 0/8, 172.16/12, 192.168/16."""
    first, second = (int(p) for p in ip.split(".")[:2])
    return first in (127, 10, 0) or (first == 172 and 16 <= second <= 31) or (first == 192 and second == 168)


def callback_problem(
    public_url: str,
    store_home_url: str,
    *,
    extra_ports: Iterable[int] = (),
    resolve: Resolver = gethostbyname,
) -> CallbackProblem | None:
    """Why the store at `store_home_url` would refuse to post keys to `public_url`'s callback, or None."""
    manual = "Use manual keys below instead, or"
    if not public_url:
        return CallbackProblem(
            "public_url_missing",
            "Storelens does not know the address your store can reach it at, so WooCommerce cannot send it the keys.",
            f"{manual} ask whoever runs Storelens to set STORELENS_PUBLIC_URL to its public https:// address.",
        )
    parts = urlsplit(public_url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https":
        return CallbackProblem(
            "public_url_not_https",
            f"Storelens is reachable at {public_url}, but WooCommerce only sends keys over HTTPS "
            "(“The callback_url needs to be over SSL”).",
            f"{manual} serve Storelens over HTTPS and set STORELENS_PUBLIC_URL to its https:// address.",
        )
    home = urlsplit(store_home_url)
    home_host = (home.hostname or "").lower()
    same_host = bool(home_host) and home_host == host
    if not same_host:
        ip = resolve(host.strip("[]"))
        if ip is None:
            return CallbackProblem(
                "public_url_unresolvable",
                f"The name {host} in STORELENS_PUBLIC_URL does not resolve to an IPv4 address, so your store "
                "cannot reach Storelens to send the keys.",
                f"{manual} give Storelens a public DNS name (an A record) and put it in STORELENS_PUBLIC_URL.",
            )
        if _wordpress_private(ip):
            return CallbackProblem(
                "public_url_private",
                f"Storelens's address {public_url} is a private or local network address ({ip}); WordPress refuses "
                "to send keys there (“A valid URL was not provided.”).",
                f"{manual} make Storelens reachable at a public address and set STORELENS_PUBLIC_URL to it.",
            )
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None or port in (*WORDPRESS_SAFE_PORTS, *extra_ports):
        return None
    try:
        home_port = home.port
    except ValueError:
        home_port = None
    if same_host and home_port == port:
        return None
    return CallbackProblem(
        "public_url_port",
        f"Storelens listens on port {port}, but WordPress only sends keys to ports 443, 80 or 8080 "
        "(“A valid URL was not provided.”).",
        f"{manual} put Storelens behind HTTPS on port 443 and set STORELENS_PUBLIC_URL to that address.",
    )

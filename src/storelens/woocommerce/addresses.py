"""Turn what a person types into the address of a store, and build REST addresses from what discovery found.

People paste anything: a bare domain, a wp-admin page, a REST address, a `?rest_route=` link. We keep the part that
can be the WordPress home (scheme, host, port, sub-directory) and let discovery find the real home from the REST index.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlsplit

from .errors import Misconfigured

# Path segments that are never part of a WordPress home: everything from them on is cut.
_WP_SEGMENTS = ("wp-admin", "wp-json", "wp-login.php", "wp-content", "wp-includes", "index.php", "wc-auth", "wc-api")
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _invalid(text: str, why: str) -> Misconfigured:
    return Misconfigured(
        f"“{text.strip()[:200]}” is not a store address Storelens can use: {why}.",
        code="invalid_url",
        fix="Enter your store's address as you open it in a browser, for example https://shop.example.com.",
    )


def _normalize_host(host: str, text: str) -> str:
    host = host.strip().rstrip(".").lower()
    if not host:
        raise _invalid(text, "it has no host name")
    if ":" in host:  # IPv6 literal (urlsplit dropped the brackets); the guard decides whether it may be used
        try:
            return f"[{ipaddress.IPv6Address(host.strip('[]'))}]"
        except ValueError as exc:
            raise _invalid(text, f"{host} is not a valid IPv6 address") from exc
    if re.fullmatch(r"[0-9.]+", host):
        parts = host.split(".")
        if len(parts) != 4 or not all(p.isdigit() and 0 <= int(p) <= 255 for p in parts):
            raise _invalid(text, f"{host} is not a valid IP address")
        if any(len(p) > 1 and p.startswith("0") for p in parts):
            # 0177.0.0.1 is 127.0.0.1 to programs that read a leading zero as octal and 177.0.0.1 to others: one
            # address must not mean two (httpx refused it with InvalidURL, which answered 500).
            decimal = ".".join(str(int(p)) for p in parts)
            octets = [int(p, 8) if p.startswith("0") else int(p) for p in parts if set(p) <= set("01234567")]
            octal = ".".join(map(str, octets)) if len(octets) == 4 and max(octets) <= 255 else decimal
            meant = decimal if octal == decimal else f"{octal} or {decimal}, whichever you mean"
            raise _invalid(
                text, f"{host} has a number with a leading zero, which some programs read as octal: write {meant}"
            )
        return host
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise _invalid(text, f"{host} is not a valid host name") from exc
    labels = ascii_host.split(".")
    if not all(_HOST_LABEL.match(label) for label in labels):
        raise _invalid(text, f"{host} is not a valid host name")
    if len(labels) < 2 and ascii_host != "localhost":
        raise _invalid(text, f"{host} has no domain ending such as .com")
    return ascii_host


def _split_input(text: str) -> tuple[str, bool]:
    raw = text.strip()
    if not raw:
        raise _invalid(text, "it is empty")
    if any(ch.isspace() for ch in raw):
        raise _invalid(text, "it contains spaces")
    scheme_given = "://" in raw
    if raw.startswith("//"):
        raw, scheme_given = "https:" + raw, False
    elif not scheme_given:
        raw = "https://" + raw
    return raw, scheme_given


def normalize_store_url(text: str) -> str:
    """The candidate home URL for what someone typed: `https://example.com` or `https://example.com/shop`.

    No trailing slash, lower-case ASCII host (IDN → punycode), default port dropped, query and fragment dropped, and
    the path cut before `/wp-admin`, `/wp-json`, `/index.php` and friends. `https://` is assumed when no scheme is
    given. Raises `Misconfigured(code="invalid_url")` for anything that cannot be a store address.
    """
    raw, _ = _split_input(text)
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise _invalid(text, "its port or brackets are malformed") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise _invalid(text, f"the {scheme}:// scheme is not a web address")
    if parts.username is not None or parts.password is not None:
        raise _invalid(text, "it contains a user name or password; leave them out")
    host = _normalize_host(parts.hostname or "", text)
    netloc = host
    if port is not None and not (scheme == "https" and port == 443) and not (scheme == "http" and port == 80):
        netloc = f"{host}:{port}"
    segments = [s for s in parts.path.split("/") if s]
    kept: list[str] = []
    for segment in segments:
        if segment.lower() in _WP_SEGMENTS:
            break
        kept.append(quote(segment, safe="%-._~!$&'()*+,;=:@"))
    path = "/" + "/".join(kept) if kept else ""
    return f"{scheme}://{netloc}{path}"


def candidate_urls(text: str) -> list[str]:
    """The addresses to try, in order: the normalized one, then plain http when no scheme was typed.

    Small stores without a certificate exist; someone typing `example.com` means whichever answers.
    """
    url = normalize_store_url(text)
    _, scheme_given = _split_input(text)
    if scheme_given:
        return [url]
    return [url, "http://" + url.removeprefix("https://")]


def encode_component(value: str) -> str:
    """PHP's rawurlencode: RFC 3986 unreserved characters stay, everything else (including `/` and `+`) is %XX."""
    return quote(value, safe="~")


def format_param(value: object) -> str:
    """How a Python value is sent as a WordPress query parameter.

    Lists become comma lists (`include=1,2,3`): WordPress splits them itself, and array syntax (`a[]=`) is avoided
    because OAuth signs arrays differently and some firewalls choke on brackets.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        raise TypeError("pass dates through dates.gmt_filter(): naive UTC with dates_are_gmt=true, never an offset")
    if isinstance(value, list | tuple | set | frozenset):
        return ",".join(format_param(v) for v in value)
    return str(value)


def build_query(params: list[tuple[str, str]], *, raw: frozenset[str] = frozenset()) -> str:
    """A query string encoded the way PHP decodes it. Keys in `raw` keep `/` literal (the plain-permalinks marker)."""
    out = []
    for key, value in params:
        if key in raw:
            out.append(f"{encode_component(key)}={quote(value, safe='/~')}")
        else:
            out.append(f"{encode_component(key)}={encode_component(value)}")
    return "&".join(out)


@dataclass(frozen=True)
class RestRoot:
    """Where a store's REST API lives.

    `pretty`: `<home>/wp-json/` (route appended to the path). `plain`: `<home>/?rest_route=/route` for stores with
    plain permalinks. `url` is the root as discovery found it (`https://example.com/wp-json/` or
    `https://example.com/?rest_route=/`).
    """

    url: str
    plain: bool = False

    @classmethod
    def pretty_for(cls, home_url: str) -> RestRoot:
        return cls(url=home_url.rstrip("/") + "/wp-json/", plain=False)

    @classmethod
    def plain_for(cls, home_url: str) -> RestRoot:
        return cls(url=home_url.rstrip("/") + "/?rest_route=/", plain=True)

    @classmethod
    def from_link(cls, link_url: str) -> RestRoot:
        """From the `Link: <…>; rel="https://api.w.org/"` target (pretty `…/wp-json/` or plain `…?rest_route=/`)."""
        parts = urlsplit(link_url)
        if "rest_route=" in parts.query:
            base = f"{parts.scheme}://{parts.netloc}{parts.path}"
            return cls(url=base + "?rest_route=/", plain=True)
        url = link_url if link_url.endswith("/") else link_url + "/"
        return cls(url=url, plain=False)

    @property
    def base(self) -> str:
        """The URL without the query: `https://example.com/wp-json/` or `https://example.com/`."""
        return self.url.split("?", 1)[0]

    def route_url(self, route: str) -> tuple[str, list[tuple[str, str]]]:
        """The URL path part for a route and the query parameters the route itself needs (plain mode)."""
        route = "/" + route.strip("/")
        if self.plain:
            return self.base, [("rest_route", route)]
        return self.base + route.lstrip("/"), []

"""Find out what a store is from its address alone, then (with keys) what the keys can do.

`discover` needs no keys: it canonicalises the address (redirects followed once, here and only here), finds the
REST root from the `Link: <…>; rel="https://api.w.org/"` header (or the `<link>` tag, or by trying `/wp-json/` and
`/?rest_route=/`), and reads the WordPress index: the real home URL (what OAuth signs and wc-auth lives under), the
name, the time zone, whether WooCommerce is there and whether permalinks are plain. Each way this can fail is a typed
error with the owner's fix. `describe_store` then uses a keyed `StoreClient` for currency, routes, Analytics settings
and the key's permissions (it lives in `store_details` and is re-exported here).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import httpx

from .addresses import RestRoot, candidate_urls
from .auth import error_body
from .body import classify_non_json, detect_firewall, is_maintenance, maintenance_error, parse_json_lenient
from .client import ClientConfig, StoreClient
from .errors import (
    Blocked,
    DataError,
    Misconfigured,
    NeedsReauth,
    Retriable,
    StoreError,
    StoreWarning,
    legacy_woocommerce_warning,
    php_notices_warning,
    plain_permalinks_warning,
)
from .retry import Sleep

__all__ = ["SiteInfo", "discover", "find_api_root"]

MAX_REDIRECTS = 5
_API_LINK = re.compile(r"<([^>]+)>\s*;\s*rel=\"?https://api\.w\.org/\"?", re.I)
_API_TAG = re.compile(
    r"<link\b(?=[^>]*\brel=[\"']https://api\.w\.org/[\"'])(?=[^>]*\bhref=[\"']([^\"']+)[\"'])[^>]*>", re.I
)
_WP_MARKERS = ("/wp-content/", "/wp-includes/", 'content="wordpress', "wp-json", "wp-emoji")


@dataclass
class SiteInfo:
    """What a store's address revealed, without keys."""

    input_url: str
    home_url: str  # WordPress `home`: base of wc-auth and of OAuth signatures
    site_url: str  # WordPress `url` (siteurl)
    name: str
    description: str
    rest_root: RestRoot
    plain_permalinks: bool
    namespaces: list[str]
    timezone_string: str | None
    gmt_offset: float | None
    has_subscriptions: bool
    has_refunds_route: bool | None  # from the wc/v3 route index when it answers; confirm with keys
    supports_modified_after: bool | None  # False on WooCommerce older than 5.8 (slower incremental sync)
    redirected_to: str | None = None  # the address a redirect canonicalised the input to, when it did
    warnings: list[StoreWarning] = field(default_factory=list)

    @property
    def has_woocommerce(self) -> bool:
        return "wc/v3" in self.namespaces

    @property
    def authorize_url(self) -> str:
        """Where WooCommerce's approval screen lives (query form when pretty URLs are not served)."""
        if self.plain_permalinks:
            return f"{self.home_url}/?wc-auth-version=1&wc-auth-route=authorize"
        return f"{self.home_url}/wc-auth/v1/authorize"


def find_api_root(response: httpx.Response) -> str | None:
    """The REST root advertised by a WordPress page: `Link` header first, then the `<link>` tag."""
    for value in response.headers.get_list("link"):
        m = _API_LINK.search(value)
        if m:
            return urljoin(str(response.url), m.group(1))
    ctype = response.headers.get("content-type", "")
    if "html" in ctype or response.content[:200].lstrip().startswith(b"<"):
        m = _API_TAG.search(response.content[:300000].decode("utf-8", errors="replace"))
        if m:
            return urljoin(str(response.url), m.group(1).replace("&#038;", "&").replace("&amp;", "&"))
    return None


def _looks_like_wordpress(response: httpx.Response) -> bool:
    text = response.content[:300000].decode("utf-8", errors="replace").lower()
    return any(marker in text for marker in _WP_MARKERS) or "x-redirect-by" in {k.lower() for k in response.headers}


def _not_wordpress(url: str) -> Misconfigured:
    return Misconfigured(
        f"{url} does not look like a WordPress site: it has no WordPress REST API.",
        code="not_wordpress",
        fix="Enter the address of the WordPress site where WooCommerce is installed (the shop's own address).",
        url=url,
    )


def _rest_disabled(url: str, wc_code: str | None = None) -> Misconfigured:
    return Misconfigured(
        "Your site runs WordPress, but its REST API is switched off or hidden, so WooCommerce cannot answer apps.",
        code="rest_disabled",
        fix=(
            "In your security plugin (for example Disable REST API, Solid Security, WP Cerber, Perfmatters) allow the "
            "REST API, at least for /wp-json/wc/ routes; then try again."
        ),
        url=url,
        wc_code=wc_code,
    )


def _not_woocommerce(url: str, namespaces: list[str]) -> Misconfigured:
    older = any(ns in namespaces for ns in ("wc/v2", "wc/v1"))
    return Misconfigured(
        "WordPress answered, but WooCommerce's REST API (wc/v3) is not there: "
        + ("your WooCommerce is too old." if older else "WooCommerce is not installed or not active."),
        code="not_woocommerce",
        fix=(
            "Update WooCommerce to a current version under Plugins."
            if older
            else "Install and activate WooCommerce under Plugins, or enter the address of the site that runs it."
        ),
        url=url,
    )


class _Discoverer:
    def __init__(self, client: StoreClient) -> None:
        self.client = client

    async def fetch(self, url: str) -> httpx.Response:
        return await self.client.fetch_url(url)

    async def fetch_following(self, url: str) -> tuple[httpx.Response, str | None]:
        """GET with redirects followed (bounded): canonicalises http→https, www, trailing slashes."""
        redirected: str | None = None
        for _ in range(MAX_REDIRECTS + 1):
            response = await self.fetch(url)
            location = response.headers.get("location")
            if response.status_code in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                redirected = url
                continue
            return response, redirected
        raise Misconfigured(
            f"{url} redirects in a loop.",
            code="redirected",
            fix="Check the site's WordPress Address and Site Address under Settings → General, and any redirect rules.",
            url=url,
        )

    def raise_if_not_wordpress_answer(self, response: httpx.Response, url: str) -> None:
        """Firewall pages and maintenance stop discovery at once, with their own fix."""
        if response.status_code == 503 and is_maintenance(response.content):
            raise maintenance_error(503, url)
        text = response.content[:200000].decode("utf-8", errors="replace")
        if detect_firewall(response.status_code, response.headers, text) is not None and (
            response.status_code >= 400 or response.status_code == 202
        ):
            raise classify_non_json(response.status_code, response.headers, response.content, url)
        if response.status_code == 503 or (response.status_code >= 500 and "critical error" in text.lower()):
            raise classify_non_json(response.status_code, response.headers, response.content, url)

    async def read_index(self, root_url: str) -> dict[str, Any] | None:
        """The WordPress REST index at `root_url`, None when it isn't one (HTML, 404, …)."""
        response, _ = await self.fetch_following(root_url)
        parsed = parse_json_lenient(response.content)
        if parsed is None:
            self.raise_if_not_wordpress_answer(response, root_url)
            if response.status_code in (401, 403):
                raise classify_non_json(response.status_code, response.headers, response.content, root_url)
            return None
        data = parsed.data
        if parsed.noisy:
            self.client.warnings.setdefault("php_notices", php_notices_warning())
        if response.status_code in (401, 403):
            wc_code, _ = error_body(data)
            raise _rest_disabled(root_url, wc_code)
        if response.status_code >= 400:
            return None
        if isinstance(data, dict) and isinstance(data.get("namespaces"), list):
            return data
        return None

    async def discover_at(self, base: str, input_url: str) -> SiteInfo:
        page, redirected = await self.fetch_following(base + "/")
        final = str(page.url) if redirected else base + "/"
        self.raise_if_not_wordpress_answer(page, final)
        advertised = find_api_root(page)
        roots: list[RestRoot]
        if advertised:
            roots = [RestRoot.from_link(advertised)]
            if not roots[0].plain:
                # WordPress thinks pretty URLs work, but the web server may not route /wp-json/ (missing rewrite
                # rules): ?rest_route= on the same home still reaches the API.
                roots.append(RestRoot.plain_for(roots[0].base.rstrip("/").removesuffix("/wp-json")))
        else:
            final_base = final.split("?", 1)[0].rstrip("/")
            roots = [RestRoot.pretty_for(final_base), RestRoot.plain_for(final_base)]
        index: dict[str, Any] | None = None
        root = roots[0]
        for candidate in roots:
            index = await self.read_index(candidate.url)
            if index is not None:
                root = candidate
                break
        if index is None:
            if page.status_code < 400 and _looks_like_wordpress(page):
                raise _rest_disabled(final)
            raise _not_wordpress(input_url.strip() or final)
        home = str(index.get("home") or final).rstrip("/")
        site_url = str(index.get("url") or home).rstrip("/")
        namespaces = [str(ns) for ns in index.get("namespaces", [])]
        plain = root.plain
        if "wc/v3" not in namespaces:
            raise _not_woocommerce(home, namespaces)
        self.client.home_url = home
        self.client.rest_root = root
        refunds, modified_after = await self.wc_routes()
        subscriptions = await self.has_subscriptions()
        warnings: list[StoreWarning] = []
        if plain:
            warnings.append(plain_permalinks_warning())
        if modified_after is False:
            warnings.append(legacy_woocommerce_warning())
        warnings.extend(self.client.warnings.values())
        gmt_offset = index.get("gmt_offset")
        try:
            offset = float(gmt_offset) if gmt_offset not in (None, "") else None
        except (TypeError, ValueError):
            offset = None
        return SiteInfo(
            input_url=input_url,
            home_url=home,
            site_url=site_url,
            name=str(index.get("name") or ""),
            description=str(index.get("description") or ""),
            rest_root=root,
            plain_permalinks=plain,
            namespaces=namespaces,
            timezone_string=str(index.get("timezone_string") or "") or None,
            gmt_offset=offset,
            has_subscriptions=subscriptions,
            has_refunds_route=refunds,
            supports_modified_after=modified_after,
            redirected_to=redirected,
            warnings=warnings,
        )

    async def wc_routes(self) -> tuple[bool | None, bool | None]:
        """From the public wc/v3 route index: is `/wc/v3/refunds` there, does the orders list take modified_after."""
        try:
            resp = await self.client.request("GET", "/wc/v3", authenticate=False)
        except (DataError, NeedsReauth, Misconfigured, Retriable, Blocked):
            return None, None
        routes = resp.data.get("routes") if isinstance(resp.data, dict) else None
        if not isinstance(routes, dict):
            return None, None
        refunds = "/wc/v3/refunds" in routes
        orders = routes.get("/wc/v3/orders")
        modified_after: bool | None = None
        if isinstance(orders, dict):
            modified_after = any(
                isinstance(ep, dict) and "modified_after" in (ep.get("args") or {})
                for ep in orders.get("endpoints", [])
            )
        return refunds, modified_after

    async def has_subscriptions(self) -> bool:
        """WooCommerce Subscriptions registers `subscriptions/statuses` with a public permission callback."""
        try:
            resp = await self.client.request("GET", "/wc/v3/subscriptions/statuses", authenticate=False)
        except StoreError:
            return False
        return resp.status == 200


async def discover(
    url: str,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    allow_private: bool = False,
    config: ClientConfig | None = None,
    sleep: Sleep | None = None,
) -> SiteInfo:
    """Everything an address reveals without keys; raises a typed `StoreError` with the owner's fix otherwise.

    `url` is what the person typed. Without a scheme, https is tried first and http only when https cannot connect.
    """
    config = dataclasses.replace(
        config or ClientConfig(), allow_private=allow_private or bool(config and config.allow_private)
    )
    candidates = candidate_urls(url)
    last: StoreError | None = None
    for i, base in enumerate(candidates):
        client = StoreClient(base, config=config, transport=transport, sleep=sleep)
        try:
            async with client:
                return await _Discoverer(client).discover_at(base, url)
        except (Retriable, Misconfigured) as err:
            can_fall_back = i + 1 < len(candidates) and (
                err.code in ("unreachable", "connection_reset", "timeout", "tls_error")
            )
            if not can_fall_back:
                raise
            last = err
    assert last is not None
    raise last

"""The one seam through which Storelens talks to a WooCommerce store. No Django here: settings come in as arguments.

    info = await discover("example.com", allow_private=settings_allow_private)       # no keys needed
    async with StoreClient(info.home_url, rest_root=info.rest_root, credentials=Credentials(ck, cs),
                           auth_method=source.auth_method, config=ClientConfig(concurrency=4)) as client:
        details = await describe_store(client)                                         # currency, scope, routes
        async for page in client.iter_pages("/wc/v3/orders", gmt_filter(modified_after=cursor)):
            ...
        source.auth_method = client.auth_method                                        # persist what worked

Persist `info.rest_root.url` and rebuild it with `RestRoot.from_link(url)`.
"""

from .auth import AuthAttempt, AuthMethod, Credentials, Outcome
from .client import USER_AGENT, ClientConfig, StoreClient, StoreResponse
from .dates import format_gmt, gmt_filter, parse_gmt
from .discovery import SiteInfo, StoreDetails, describe_store, discover
from .errors import (
    Blocked,
    DataError,
    Misconfigured,
    NeedsReauth,
    NotFound,
    Retriable,
    StoreError,
    StoreWarning,
)
from .paging import Page, PageSizer
from .retry import RetryPolicy
from .urls import RestRoot, candidate_urls, normalize_store_url

__all__ = [
    "USER_AGENT",
    "AuthAttempt",
    "AuthMethod",
    "Blocked",
    "ClientConfig",
    "Credentials",
    "DataError",
    "Misconfigured",
    "NeedsReauth",
    "NotFound",
    "Outcome",
    "Page",
    "PageSizer",
    "RestRoot",
    "Retriable",
    "RetryPolicy",
    "SiteInfo",
    "StoreClient",
    "StoreDetails",
    "StoreError",
    "StoreResponse",
    "StoreWarning",
    "candidate_urls",
    "describe_store",
    "discover",
    "format_gmt",
    "gmt_filter",
    "normalize_store_url",
    "parse_gmt",
]

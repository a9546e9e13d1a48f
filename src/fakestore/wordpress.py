"""WordPress's front controller: where a URL goes (REST, wc-auth, theme pages) and the pages themselves.

* `?rest_route=/…` on any path is the REST API (it wins over the path, as `$_GET` wins in WP::parse_request).
* `/wp-json/…` is the REST API with pretty permalinks. With plain permalinks WordPress cannot route it: a path
  without a trailing slash gets the canonical 301 to the slashed form, and then the home page (captured).
* `/` is the home page, whose `Link: <…>; rel="https://api.w.org/"` header is how clients discover the API.
* Anything else is the theme's 404 page (plain permalinks: the same canonical redirect / home page).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import Response

from . import wcauth
from .phpquery import parse
from .rest import router

if TYPE_CHECKING:
    from .store import FakeStore

EXPIRES = "Wed, 11 Jan 1984 05:00:00 GMT"
NO_CACHE = "no-cache, must-revalidate, max-age=0, no-store, private"


def _page(store: FakeStore, title: str, body: str, root: str) -> str:
    site = html.escape(store.site_name)
    return (
        '<!DOCTYPE html>\n<html lang="en-US">\n<head>\n\t<meta charset="UTF-8" />\n'
        '\t<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
        "<meta name='robots' content='max-image-preview:large' />\n"
        f"\t<title>{title}</title>\n"
        f'<link rel="https://api.w.org/" href="{html.escape(root)}" />\n'
        f'<meta name="generator" content="WordPress 6.8.3" />\n<meta name="generator" content="WooCommerce 9.9.5" />\n'
        '</head>\n<body class="wp-site-blocks">\n'
        f'<header><p class="wp-block-site-title"><a href="{html.escape(store.config.home_url)}">{site}</a></p>'
        "</header>\n"
        f"<main>{body}</main>\n</body>\n</html>\n"
    )


def home_page(store: FakeStore, root: str) -> Response:
    title = f"{html.escape(store.site_name)} &#8211; {html.escape(store.site_description)}"
    body = f"<h1>{html.escape(store.site_name)}</h1><p>{html.escape(store.site_description)}</p>"
    return Response(
        _page(store, title, body, root),
        status_code=200,
        headers={"Content-Type": "text/html; charset=UTF-8", "Link": f'<{root}>; rel="https://api.w.org/"'},
    )


def not_found_page(store: FakeStore, root: str) -> Response:
    title = f"Page not found &#8211; {html.escape(store.site_name)}"
    body = (
        '<h1 class="wp-block-heading">Page not found</h1>'
        "<p>The page you are looking for does not exist, or it has been moved.</p>"
    )
    return Response(
        _page(store, title, body, root),
        status_code=404,
        headers={
            "Content-Type": "text/html; charset=UTF-8",
            "Expires": EXPIRES,
            "Cache-Control": NO_CACHE,
            "Link": f'<{root}>; rel="https://api.w.org/"',
        },
    )


def canonical_redirect(store: FakeStore, request: Request, ssl: bool) -> Response:
    origin = router.origin_for(store, ssl)
    location = origin + request.url.path + "/"
    if request.url.query:
        location += "?" + request.url.query
    return Response(
        b"",
        status_code=301,
        headers={
            "Content-Type": "text/html; charset=UTF-8",
            "Expires": EXPIRES,
            "Cache-Control": NO_CACHE,
            "X-Redirect-By": "WordPress",
            "Location": location,
        },
    )


async def front_controller(request: Request) -> Response:
    store: FakeStore = request.app.state.store
    path = request.url.path
    query = parse(request.scope.get("query_string", b"").decode("latin-1"))
    ssl = router.is_ssl(request, store)
    root = router.api_root(store, ssl)
    plain = store.config.has("plain-permalinks")
    rest_route = query.get("rest_route")
    if isinstance(rest_route, str):
        return await router.serve(request, store, rest_route or "/")
    if path in ("/", "/index.php") and wcauth.is_query_form(request):
        return await wcauth.handle_query(request, store)
    if path in ("/", "/index.php"):
        return home_page(store, root)
    if plain:
        last = path.rsplit("/", 1)[-1]
        if not path.endswith("/") and "." not in last:
            return canonical_redirect(store, request, ssl)
        return home_page(store, root)
    if path == "/wp-json" or path.startswith("/wp-json/"):
        route = unquote(path[len("/wp-json") :]) or "/"
        return await router.serve(request, store, route)
    return not_found_page(store, root)

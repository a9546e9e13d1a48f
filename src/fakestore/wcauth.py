"""WooCommerce's Application Authentication screens (`WC_Auth`, WooCommerce 9.9.5), as a merchant's browser meets them.

Routes: `/wc-auth/v1/{login,authorize,access_granted}` (with or without a trailing slash), the query form
`/?wc-auth-version=1&wc-auth-route=…` (the home route calls `handle_query`), and `/wp-login.php` (WordPress's
own sign-in, in `wplogin.py`, which works as well: the grant page then shows directly).

What is reproduced, from the captures in `woocommerce/captures/auth/` and `permalinks-*/wc-auth-*`:
* every route validates the five parameters first (`Error: Missing parameter callback_url.`, `Error: Invalid scope
  admin.`, `Error: The … is not a valid URL.`, `Error: The callback_url needs to be over SSL.`), as a `wp_die`
  page with HTTP 401 and the title "Access denied";
* signed out, `authorize` redirects to WooCommerce's login form (fields `username`, `password`,
  `woocommerce-login-nonce`, `_wp_http_referer`, `login`, `redirect`); signing in there sets the WordPress cookie
  and redirects back; a user without `manage_woocommerce` gets "You do not have permission to access this page.";
* the grant page: the app name, the permissions of the scope, the callback host, an Approve *link* carrying
  `wc_auth_nonce` and a Deny link to `return_url` with `success=0&user_id=…`; the links are built with WordPress's
  `add_query_arg`, quirks included (an `&` in the app name truncates it);
* Approve: a bad nonce fails; otherwise a new key is created (never reused), posted synchronously as JSON to
  `callback_url` through `wp_safe_remote_post` (see `outbound.py`: URL safety rules, TLS against `config.ca_file`,
  cURL error texts), deleted again unless the answer is exactly 200, and the browser is sent to `return_url` with
  `success=1&user_id=…`;
* `plain-permalinks` mode: the pretty path 301s to itself with a trailing slash, which is the home page; the query
  form shows the grant page but its links are `/?wc-auth/v1=access_granted&…`, which WooCommerce does not parse:
  the click lands on the home page, no key, no callback;
* `cache` mode: the grant page comes from a page cache filled more than a day ago, so its nonce is stale and
  Approve fails with "Invalid nonce verification".
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from fakestore import outbound
from fakestore.rest.http import php_json
from fakestore.wplogin import (
    HTML,
    home_url,
    read_form,
    set_login_cookies,
    wp_die,
    wp_login_page,
    wp_logout_url,
    wp_nonce_url,
    wp_redirect,
    wp_signon,
    wp_validate_redirect,
)
from fakestore.wpsession import sessions
from fakestore.wpurls import (
    add_query_arg,
    esc_attr,
    esc_html,
    esc_url,
    esc_url_raw,
    filter_validate_url,
    parse_url,
    rawurlencode,
    remove_query_arg,
    urldecode,
    wc_clean,
    wc_trim_string,
)

SCOPES = ("read", "write", "read_write")
SCOPE_LABELS = {"read": "Read", "write": "Write", "read_write": "Read/Write"}
PERMISSIONS = {
    "read": ["View coupons", "View customers", "View orders and sales reports", "View products"],
    "write": ["Create webhooks", "Create coupons", "Create customers", "Create orders", "Create products"],
    "read_write": [
        "Create webhooks",
        "View and manage coupons",
        "View and manage customers",
        "View and manage orders and sales reports",
        "View and manage products",
    ],
}
GRANT_ACTION = "wc_auth_grant_access"
LOGIN_ACTION = "woocommerce-login"


class AuthError(Exception):
    """A message WC_Auth shows through wp_die as "Error: {message}." with HTTP 401."""


def routes(store: Any) -> list[Route]:
    async def pretty(request: Request) -> Response:
        route = request.path_params["route"]
        if store.config.has("plain-permalinks"):
            # No rewrite rule for /wc-auth/ then: WordPress's canonical 301 to a trailing slash, then the home page.
            from fakestore.wordpress import front_controller

            return await front_controller(request)
        return await auth_endpoint(request, store, route.strip("/"))

    async def wp_login(request: Request) -> Response:
        return await wp_login_page(request, store)

    return [
        Route("/wc-auth/v1/{route:path}", pretty, methods=["GET", "POST"]),
        Route("/wp-login.php", wp_login, methods=["GET", "POST"]),
    ]


def is_query_form(request: Request) -> bool:
    """True for `/?wc-auth-version=1&wc-auth-route=…`, which the home route must hand to `handle_query`."""
    return bool(request.query_params.get("wc-auth-version")) and bool(request.query_params.get("wc-auth-route"))


async def handle_query(request: Request, store: Any) -> Response:
    """`/?wc-auth-version=1&wc-auth-route=authorize&…`: the form that works whatever the permalink setting."""
    return await auth_endpoint(request, store, request.query_params.get("wc-auth-route", ""))


# --- the endpoint ------------------------------------------------------------------------------------------------


async def auth_endpoint(request: Request, store: Any, route: str) -> Response:
    config = store.config
    form = await read_form(request)
    params = {**dict(request.query_params), **form}  # PHP's $_REQUEST: POST over GET
    who = sessions(store).current(dict(request.cookies), config.home_url, store.accounts)

    # WC_Form_Handler::process_login runs on wp_loaded, before the endpoint is even looked at.
    login_notice = None
    if request.method == "POST" and who is None and {"login", "username", "password"} <= form.keys():
        outcome = _process_login(request, store, form)
        if isinstance(outcome, Response):
            return outcome
        login_notice = outcome

    route = wc_clean(route).lower()
    key_id: int | None = None
    try:
        data = _validate(params)
        if route == "login" and who is None:
            return _login_page(request, store, data, login_notice)
        if route == "login":
            return wp_redirect(esc_url_raw(_build_url(store, data, "authorize")))
        if route == "authorize" and who is None:
            return wp_redirect(esc_url_raw(_build_url(store, data, "login")))
        if route == "authorize" and who[0].can_manage_woocommerce:
            return _grant_page(request, store, data, who)
        if route == "access_granted" and who is not None and who[0].can_manage_woocommerce:
            user, session = who
            nonce = wc_clean(request.query_params.get("wc_auth_nonce", ""))
            if not sessions(store).verify_nonce(nonce, GRANT_ACTION, user.id, session.token):
                raise AuthError("Invalid nonce verification")
            key = store.accounts.create_key(user.id, wc_trim_string(wc_clean(data["app_name"]), 170), data["scope"])
            key_id = key.key_id
            consumer_data = {
                "key_id": key.key_id,
                "user_id": data["user_id"],
                "consumer_key": key.consumer_key,
                "consumer_secret": key.consumer_secret,
                "key_permissions": key.permissions,
            }
            await _post_consumer_data(store, consumer_data, _formatted_url(data["callback_url"]))
            return wp_redirect(
                esc_url_raw(
                    add_query_arg(
                        {"success": 1, "user_id": wc_clean(data["user_id"])}, _formatted_url(data["return_url"])
                    )
                )
            )
        raise AuthError("You do not have permission to access this page")
    except AuthError as exc:
        if key_id is not None:
            store.accounts.delete_key(key_id)  # maybe_delete_key()
        return wp_die(f"Error: {esc_html(str(exc))}.", "Access denied", 401)


def _validate(params: dict[str, str]) -> dict[str, str]:
    """WC_Auth::make_validation(): `empty()` counts "0" as missing, as PHP does."""
    data: dict[str, str] = {}
    for name in ("app_name", "user_id", "return_url", "callback_url", "scope"):
        value = params.get(name, "")
        if value in ("", "0"):
            raise AuthError(f"Missing parameter {name}")
        data[name] = value
    if data["scope"] not in SCOPES:
        raise AuthError(f"Invalid scope {wc_clean(data['scope'])}")
    for name in ("return_url", "callback_url"):
        url = _formatted_url(data[name])
        if not filter_validate_url(url):
            raise AuthError(f"The {url} is not a valid URL")
    if not _formatted_url(data["callback_url"]).lower().startswith("https://"):
        raise AuthError("The callback_url needs to be over SSL")
    return data


def _formatted_url(url: str) -> str:
    """WC_Auth::get_formatted_url(): one more urldecode, and `https://` when there is no scheme."""
    url = urldecode(url)
    return url if "://" in url else "https://" + url


async def _post_consumer_data(store: Any, consumer_data: dict[str, Any], url: str) -> None:
    body = php_json(consumer_data)
    outcome = await outbound.safe_remote_post(
        store,
        esc_url_raw(url),
        body,
        {
            "User-Agent": f"WordPress/{outbound.WP_VERSION}; {store.config.home_url.rstrip('/')}",
            "Content-Type": "application/json;charset=UTF-8",
        },
        timeout=60.0,
    )
    if not outcome.ok:
        raise AuthError(outcome.error or "")
    if outcome.status != 200:
        raise AuthError("An error occurred in the request and at the time were unable to send the consumer data")


# --- URLs as WC_Auth builds them ---------------------------------------------------------------------------------


def _endpoint_url(store: Any, endpoint: str) -> str:
    """wc_get_endpoint_url('wc-auth/v1', endpoint, home_url('/')): a query argument under plain permalinks."""
    if store.config.has("plain-permalinks"):
        return add_query_arg({"wc-auth/v1": endpoint}, home_url(store))
    return home_url(store, f"/wc-auth/v1/{endpoint}/")


def _build_url(store: Any, data: dict[str, str], endpoint: str) -> str:
    return add_query_arg(
        {
            "app_name": wc_clean(data["app_name"]),
            "user_id": wc_clean(data["user_id"]),
            "return_url": rawurlencode(_formatted_url(data["return_url"])),
            "callback_url": rawurlencode(_formatted_url(data["callback_url"])),
            "scope": wc_clean(data["scope"]),
        },
        _endpoint_url(store, endpoint),
    )


def _deny_url(data: dict[str, str]) -> str:
    return add_query_arg({"success": 0, "user_id": wc_clean(data["user_id"])}, _formatted_url(data["return_url"]))


# --- screens -----------------------------------------------------------------------------------------------------


def _grant_page(request: Request, store: Any, data: dict[str, str], who: tuple[Any, Any]) -> Response:
    user, session = who
    cached = store.config.has("cache")
    # A page cache filled over a day ago hands out the nonce it stored then: two ticks old, no longer valid.
    nonce = sessions(store).create_nonce(GRANT_ACTION, user.id, session.token, tick_offset=-2 if cached else 0)
    app_name = wc_clean(data["app_name"])
    scope = wc_clean(data["scope"])
    granted_url = wp_nonce_url(_build_url(store, data, "access_granted"), nonce, "wc_auth_nonce")
    logout_url = wp_logout_url(store, _build_url(store, data, "login"), user, session)
    callback_host = str((parse_url(_formatted_url(data["callback_url"])) or {}).get("host", ""))
    items = "".join(f"\t\t\t<li>{esc_html(p)}</li>\n" for p in PERMISSIONS[scope])
    body = (
        _auth_header(store)
        + "\n<h1>\n\t"
        + f"{esc_html(app_name)} would like to connect to your store</h1>\n\n\n<p>\n\t"
        + f"This will give &quot;<strong>{esc_html(app_name)}</strong>&quot; "
        + f"<strong>{esc_html(SCOPE_LABELS[scope])}</strong> access which will allow it to:</p>\n\n"
        + f'<ul class="wc-auth-permissions">\n{items}\t</ul>\n\n<p>\n\t'
        + f"Approving will share credentials with <strong>{esc_html(callback_host)}</strong>. "
        + "Do not proceed if this looks suspicious in any way.</p>\n\n"
        + '<div class="wc-auth-logged-in-as">\n\t'
        + _avatar(user)
        + f"\t<p>\n\t\tLogged in as {esc_html(user.login)}\t\t"
        + f'<a href="{esc_url(logout_url)}" class="wc-auth-logout">Logout</a>\n\t</p>\n</div>\n\n'
        + '<p class="wc-auth-actions">\n\t'
        + f'<a href="{esc_url(granted_url)}" class="button button-primary wc-auth-approve">Approve</a>\n\t'
        + f'<a href="{esc_url(_deny_url(data))}" class="button wc-auth-deny">Deny</a>\n</p>\n\n'
        + _auth_footer()
    )
    headers = {"Content-Type": HTML}
    if cached:
        headers.update({"X-Cache": "HIT", "Age": "93784", "Via": "1.1 varnish (Varnish/7.1)"})
    return HTMLResponse(body, headers=headers)


def _login_page(request: Request, store: Any, data: dict[str, str], notice: str | None) -> Response:
    app_name = wc_clean(data["app_name"])
    nonce = sessions(store).create_nonce(LOGIN_ACTION, 0, "")
    referer = remove_query_arg("_wp_http_referer", _request_uri(request))
    posted_username = ""
    notices = ""
    if notice:
        notices = f'<ul class="woocommerce-error" role="alert">\n\t\t\t<li>\n\t\t\t{notice}\t\t</li>\n\t</ul>\n'
    body = (
        _auth_header(store)
        + "\n<h1>\n\t"
        + f"{esc_html(app_name)} would like to connect to your store</h1>\n\n"
        + notices
        + "\n<p>\n\t"
        + f"To connect to {esc_html(app_name)} you need to be logged in. Log in to your store below, or "
        + f'<a href="{esc_url(_deny_url(data))}">cancel and return to {esc_html(app_name)}</a></p>\n\n'
        + '<form method="post" class="wc-auth-login">\n'
        + '\t<p class="form-row form-row-wide">\n'
        + '\t\t<label for="username">Username or email address&nbsp;<span class="required">*</span></label>\n'
        + '\t\t<input type="text" class="input-text" name="username" id="username" '
        + f'value="{esc_attr(posted_username)}" />\n\t</p>\n'
        + '\t<p class="form-row form-row-wide">\n'
        + '\t\t<label for="password">Password&nbsp;<span class="required">*</span></label>\n'
        + '\t\t<input class="input-text" type="password" name="password" id="password" />\n\t</p>\n'
        + '\t<p class="wc-auth-actions">\n\t\t'
        + f'<input type="hidden" id="woocommerce-login-nonce" name="woocommerce-login-nonce" value="{nonce}" />'
        + f'<input type="hidden" name="_wp_http_referer" value="{esc_url(referer)}" />'
        + "\t\t"
        + '<button type="submit" class="button button-large button-primary wc-auth-login-button" '
        + 'name="login" value="Login">Login</button>\n'
        + f'\t\t<input type="hidden" name="redirect" value="{esc_url(_build_url(store, data, "authorize"))}" />\n'
        + "\t</p>\n</form>\n"
        + _auth_footer()
    )
    return HTMLResponse(body, headers={"Content-Type": HTML})


def _process_login(request: Request, store: Any, form: dict[str, str]) -> Response | str | None:
    """WC_Form_Handler::process_login(): a redirect with the cookie set, an error notice, or None (bad nonce)."""
    nonce = form.get("woocommerce-login-nonce") or form.get("_wpnonce") or ""
    if not sessions(store).verify_nonce(nonce, LOGIN_ACTION, 0, ""):
        return None
    username = form.get("username", "").strip()
    if not username:
        return "<strong>Error:</strong> Username is required."
    user, error = wp_signon(store, username, form.get("password", ""))
    if user is None:
        return error
    redirect = form.get("redirect") or request.headers.get("referer") or home_url(store, "/my-account/")
    redirect = wp_validate_redirect(store, remove_query_arg("wc_error", redirect))
    response = wp_redirect(redirect)
    set_login_cookies(response, store, user)
    return response


# --- plumbing ----------------------------------------------------------------------------------------------------


def _request_uri(request: Request) -> str:
    raw = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string", b"")
    return raw.decode("latin-1") + ("?" + query.decode("latin-1") if query else "")


def _avatar(user: Any) -> str:
    digest = hashlib.sha256(user.email.strip().lower().encode()).hexdigest()
    base = f"https://secure.gravatar.com/avatar/{digest}"
    return (
        f"<img alt='' src='{base}?s=70&#038;d=mm&#038;r=g' srcset='{base}?s=140&#038;d=mm&#038;r=g 2x' "
        "class='avatar avatar-70 photo' height='70' width='70' loading='lazy' decoding='async'/>"
    )


def _auth_header(store: Any) -> str:
    home = store.config.home_url.rstrip("/")
    bare = re.sub(r"^https?:", "", home)
    return AUTH_HEADER.replace("{home}", home).replace("{bare}", bare)


def _auth_footer() -> str:
    return "\t\t</div>\n\t</body>\n</html>\n"


AUTH_HEADER = """
<!DOCTYPE html>
<html lang="en-US">
<head>
	<meta name="viewport" content="width=device-width" />
	<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
	<meta name="robots" content="noindex, nofollow" />
	<title>Application authentication request</title>
	<link rel='stylesheet' id='dashicons-css' href='{home}/wp-includes/css/dashicons.min.css?ver=6.8.3' media='all' />
<link rel='stylesheet' id='buttons-css' href='{home}/wp-includes/css/buttons.min.css?ver=6.8.3' media='all' />
<link rel='stylesheet' id='forms-css' href='{home}/wp-admin/css/forms.min.css?ver=6.8.3' media='all' />
<link rel='stylesheet' id='l10n-css' href='{home}/wp-admin/css/l10n.min.css?ver=6.8.3' media='all' />
<link rel='stylesheet' id='install-css' href='{home}/wp-admin/css/install.min.css?ver=6.8.3' media='all' />
	<link rel="stylesheet" href="{bare}/wp-content/plugins/woocommerce/assets/css/auth.css" type="text/css" />
</head>
<body class="wc-auth wp-core-ui">
<h1 id="wc-logo">
	<img src="{home}/wp-content/plugins/woocommerce/assets/images/woo-logo.svg" alt="
						WooCommerce		" /></h1>
	<div class="wc-auth-content">
"""

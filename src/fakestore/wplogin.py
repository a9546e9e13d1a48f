"""WordPress's own sign-in (`wp_signon`, its auth cookies, `/wp-login.php`) and the page plumbing WC_Auth shares.

Signing in here works as well as through WooCommerce's login form: the grant page then shows directly.
"""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from fakestore.error_pages import wp_die_html
from fakestore.wpsession import sessions
from fakestore.wpurls import (
    add_query_arg,
    esc_attr,
    esc_html,
    esc_url,
    parse_url,
    sanitize_redirect,
    urlencode,
)

LOGOUT_ACTION = "log-out"
NOCACHE = {
    "Expires": "Wed, 11 Jan 1984 05:00:00 GMT",
    "Cache-Control": "no-cache, must-revalidate, max-age=0, no-store, private",
}
HTML = "text/html; charset=UTF-8"


def home_url(store: Any, path: str = "/") -> str:
    return store.config.home_url.rstrip("/") + path


def wp_nonce_url(url: str, action_nonce: str, name: str) -> str:
    """wp_nonce_url(): add_query_arg then esc_html."""
    return esc_html(add_query_arg({name: action_nonce}, url.replace("&amp;", "&")))


def wp_signon(store: Any, login: str, password: str) -> tuple[Any, str]:
    """wp_signon()'s checks, with WordPress's messages."""
    user = store.accounts.user_by_login(login)
    if user is None:
        if "@" in login:
            return None, "Unknown email address. Check again or try your username."
        return None, (
            f"<strong>Error:</strong> The username <strong>{esc_html(login)}</strong> is not registered on this "
            "site. If you are unsure of your username, try your email address instead."
        )
    if not password:
        return None, "<strong>Error:</strong> The password field is empty."
    if password != user.password:
        return None, (
            f"<strong>Error:</strong> The password you entered for the username <strong>{esc_html(user.login)}"
            f'</strong> is incorrect. <a href="{home_url(store, "/wp-login.php?action=lostpassword")}">'
            "Lost your password?</a>"
        )
    return user, ""


def set_login_cookies(response: Response, store: Any, user: Any) -> None:
    home = store.config.home_url
    secure = home.startswith("https://")
    _, value = sessions(store).sign_in(user)
    site_hash = hashlib.md5(home.rstrip("/").encode()).hexdigest()
    response.set_cookie(sessions(store).cookie_name(home), value, path="/", httponly=True, secure=secure)
    auth_name = ("wordpress_sec_" if secure else "wordpress_") + site_hash
    response.set_cookie(auth_name, value, path="/wp-admin", httponly=True, secure=secure)


def wp_validate_redirect(store: Any, location: str) -> str:
    """wp_validate_redirect(): only the store's own host, otherwise My Account."""
    target = parse_url(location.strip()) if "://" in location else {"host": None}
    home = parse_url(store.config.home_url) or {}
    if target is None or (target.get("host") and str(target["host"]).lower() != str(home.get("host")).lower()):
        return home_url(store, "/my-account/")
    return location


def wp_logout_url(store: Any, redirect: str, user: Any, session: Any) -> str:
    url = add_query_arg({"action": "logout", "redirect_to": urlencode(redirect)}, home_url(store, "/wp-login.php"))
    nonce = sessions(store).create_nonce(LOGOUT_ACTION, user.id, session.token)
    return wp_nonce_url(url, nonce, "_wpnonce")


async def wp_login_page(request: Request, store: Any) -> Response:
    """WordPress's own sign-in, reduced to what a merchant (or a test) does with it: sign in, sign out."""
    form = await read_form(request)
    action = request.query_params.get("action", "login")
    if action == "logout":
        who = sessions(store).current(dict(request.cookies), store.config.home_url, store.accounts)
        if who is not None:
            user, session = who
            nonce = request.query_params.get("_wpnonce", "")
            if not sessions(store).verify_nonce(nonce, LOGOUT_ACTION, user.id, session.token):
                message = (
                    f"You are attempting to log out of {esc_html(store.config.site_name)}</p><p>Do you really want "
                    f'to <a href="{esc_url(wp_logout_url(store, "", user, session))}">log out</a>?'
                )
                return wp_die(message, "Something went wrong.", 403)
            sessions(store).sign_out(session.token)
        target = request.query_params.get("redirect_to") or home_url(
            store, "/wp-login.php?loggedout=true&wp_lang=en_US"
        )
        response = wp_redirect(sanitize_redirect(target))
        response.delete_cookie(sessions(store).cookie_name(store.config.home_url), path="/")
        return response
    error = ""
    if request.method == "POST":
        user, error = wp_signon(store, form.get("log", "").strip(), form.get("pwd", ""))
        if user is not None:
            target = form.get("redirect_to") or home_url(store, "/wp-admin/")
            response = wp_redirect(wp_validate_redirect(store, target))
            set_login_cookies(response, store, user)
            return response
    redirect_to = esc_attr(form.get("redirect_to") or request.query_params.get("redirect_to", ""))
    body = WP_LOGIN_TEMPLATE.format(
        site=esc_html(store.config.site_name),
        action=esc_url(home_url(store, "/wp-login.php")),
        error=f'<div id="login_error" class="notice notice-error"><p>{error}</p></div>' if error else "",
        redirect_to=redirect_to,
    )
    return HTMLResponse(body, headers={"Content-Type": HTML, **NOCACHE})


# --- plumbing ----------------------------------------------------------------------------------------------------


def wp_die(message: str, title: str, status: int) -> Response:
    return HTMLResponse(wp_die_html(message, title), status_code=status, headers={"Content-Type": HTML, **NOCACHE})


def wp_redirect(location: str, status: int = 302) -> Response:
    return Response(
        b"",
        status_code=status,
        headers={"Location": sanitize_redirect(location), "X-Redirect-By": "WordPress", "Content-Type": HTML},
    )


async def read_form(request: Request) -> dict[str, str]:
    if request.method != "POST":
        return {}
    ctype = request.headers.get("content-type", "")
    if "application/x-www-form-urlencoded" not in ctype and "multipart/form-data" not in ctype:
        return {}
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


WP_LOGIN_TEMPLATE = """<!DOCTYPE html>
<html lang="en-US">
<head>
	<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
	<title>Log In &lsaquo; {site} &#8212; WordPress</title>
	<meta name='robots' content='noindex, follow' />
</head>
<body class="login no-js login-action-login wp-core-ui  locale-en-us">
	<div id="login">
		<h1 class="screen-reader-text">Log In</h1>
		{error}
		<form name="loginform" id="loginform" action="{action}" method="post">
			<p>
				<label for="user_login">Username or Email Address</label>
				<input type="text" name="log" id="user_login" class="input" value="" size="20" autocapitalize="off" autocomplete="username" required="required" />
			</p>
			<div class="user-pass-wrap">
				<label for="user_pass">Password</label>
				<input type="password" name="pwd" id="user_pass" class="input password-input" value="" size="20" autocomplete="current-password" spellcheck="false" required="required" />
			</div>
			<p class="forgetmenot"><input name="rememberme" type="checkbox" id="rememberme" value="forever"  /> <label for="rememberme">Remember Me</label></p>
			<p class="submit">
				<input type="submit" name="wp-submit" id="wp-submit" class="button button-primary button-large" value="Log In" />
				<input type="hidden" name="redirect_to" value="{redirect_to}" />
				<input type="hidden" name="testcookie" value="1" />
			</p>
		</form>
	</div>
</body>
</html>
"""  # noqa: E501

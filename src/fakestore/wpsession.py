"""WordPress sign-in: the `wordpress_logged_in_{COOKIEHASH}` cookie, session tokens and nonces.

The wc-auth screens depend on them the way WordPress does: the Approve link's `wc_auth_nonce` is bound to the
signed-in user, their session token, the action and a 12-hour tick, so a nonce from another session, another user
or a page older than a day fails with "Invalid nonce verification", which is what a page cache in front of the
approval screen causes.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

SESSION_SECONDS = 2 * 24 * 3600  # WordPress's default when "remember me" is not ticked
NONCE_LIFE = 24 * 3600


@dataclass
class Session:
    user_id: int
    token: str
    expiration: int


@dataclass
class Sessions:
    """Per store: a secret standing in for the salts in wp-config.php, and the users' session tokens."""

    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    tokens: dict[str, Session] = field(default_factory=dict)

    # cookies
    def cookie_name(self, home_url: str) -> str:
        return "wordpress_logged_in_" + hashlib.md5(home_url.rstrip("/").encode()).hexdigest()

    def sign_in(self, user: Any) -> tuple[Session, str]:
        """A new session token and the logged-in cookie value `login|expiration|token|hmac`."""
        session = Session(user.id, secrets.token_urlsafe(32)[:43], int(time.time()) + SESSION_SECONDS)
        self.tokens[session.token] = session
        return session, self._cookie_value(user.login, session)

    def sign_out(self, token: str) -> None:
        self.tokens.pop(token, None)

    def _cookie_value(self, login: str, session: Session) -> str:
        payload = f"{login}|{session.expiration}|{session.token}"
        mac = hmac.new(self.secret, payload.encode(), hashlib.sha256).hexdigest()
        return f"{payload}|{mac}"

    def current(self, cookies: dict[str, str], home_url: str, accounts: Any) -> tuple[Any, Session] | None:
        """wp_validate_auth_cookie(): the user and session behind the cookie, or None."""
        raw = cookies.get(self.cookie_name(home_url))
        if not raw:
            return None
        parts = unquote(raw).split("|")
        if len(parts) != 4:
            return None
        login, expiration, token, mac = parts
        expected = hmac.new(self.secret, f"{login}|{expiration}|{token}".encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(mac, expected):
            return None
        session = self.tokens.get(token)
        if session is None or session.expiration < time.time():
            return None
        user = accounts.users.get(session.user_id)
        if user is None or user.login != login:
            return None
        return user, session

    # nonces
    def create_nonce(self, action: str, user_id: int, token: str, tick_offset: int = 0) -> str:
        """wp_create_nonce(): substr(wp_hash("$tick|$action|$uid|$token", 'nonce'), -12, 10)."""
        tick = nonce_tick() + tick_offset
        digest = hmac.new(self.secret + b"nonce", f"{tick}|{action}|{user_id}|{token}".encode(), "md5").hexdigest()
        return digest[-12:-2]

    def verify_nonce(self, nonce: str, action: str, user_id: int, token: str) -> bool:
        """wp_verify_nonce(): valid for the current and the previous 12-hour tick."""
        if not nonce:
            return False
        return any(
            hmac.compare_digest(nonce, self.create_nonce(action, user_id, token, tick_offset=-age)) for age in (0, 1)
        )


def nonce_tick() -> int:
    return math.ceil(time.time() / (NONCE_LIFE / 2))


def sessions(store: Any) -> Sessions:
    """The store's sign-in state, kept on the store object so every screen and the admin endpoint share it."""
    existing = getattr(store, "_wp_sessions", None)
    if existing is None:
        existing = Sessions()
        store._wp_sessions = existing
    return existing

"""WordPress users and WooCommerce REST API keys, as the store keeps them.

Keys are stored the way WooCommerce stores them (the consumer key hashed with `wc_api_hash`, the secret in
clear), so lookups behave the same: an unknown key is simply not found.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime


def wc_api_hash(consumer_key: str) -> str:
    return hmac.new(b"wc-api", consumer_key.encode(), hashlib.sha256).hexdigest()


def wc_rand_hash() -> str:
    return secrets.token_hex(20)


@dataclass
class WPUser:
    id: int
    login: str
    password: str
    email: str
    role: str = "administrator"  # administrator, shop_manager, customer, subscriber

    @property
    def can_manage_woocommerce(self) -> bool:
        return self.role in ("administrator", "shop_manager")


@dataclass
class ApiKey:
    key_id: int
    user_id: int
    description: str
    permissions: str  # read, write, read_write
    consumer_key: str  # kept in clear here only so tests and admin commands can show it
    consumer_secret: str
    last_access: datetime | None = None
    nonces: dict[str, float] = field(default_factory=dict)  # nonce -> timestamp, pruned after 15 min

    @property
    def truncated_key(self) -> str:
        return self.consumer_key[-7:]

    def can(self, method: str) -> bool:
        reading = method.upper() in ("GET", "HEAD", "OPTIONS")
        return "read" in self.permissions if reading else "write" in self.permissions


class Accounts:
    """The WordPress users table plus `wp_woocommerce_api_keys`."""

    def __init__(self, admin_user: str = "admin", admin_password: str = "password") -> None:
        self._lock = threading.Lock()
        self.users: dict[int, WPUser] = {1: WPUser(1, admin_user, admin_password, "admin@example.com")}
        self.keys: dict[int, ApiKey] = {}
        self._by_hash: dict[str, int] = {}
        self._next_key_id = 1

    # users
    def user_by_login(self, login: str) -> WPUser | None:
        return next((u for u in self.users.values() if u.login == login or u.email == login), None)

    def add_user(self, login: str, password: str, role: str = "customer") -> WPUser:
        with self._lock:
            uid = max(self.users) + 1
            self.users[uid] = WPUser(uid, login, password, f"{login}@example.com", role)
            return self.users[uid]

    def set_role(self, user_id: int, role: str) -> None:
        self.users[user_id].role = role

    # keys
    def create_key(
        self,
        user_id: int,
        app_name: str,
        permissions: str,
        consumer_key: str | None = None,
        consumer_secret: str | None = None,
    ) -> ApiKey:
        """Insert a key the way WC_Auth::create_keys does: a new row every time, never reused."""
        with self._lock:
            key_id = self._next_key_id
            self._next_key_id += 1
            stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
            key = ApiKey(
                key_id=key_id,
                user_id=user_id,
                description=f"{app_name[:170]} - API ({stamp})",
                permissions=permissions,
                consumer_key=consumer_key or "ck_" + wc_rand_hash(),
                consumer_secret=consumer_secret or "cs_" + wc_rand_hash(),
            )
            self.keys[key_id] = key
            self._by_hash[wc_api_hash(key.consumer_key)] = key_id
            return key

    def delete_key(self, key_id: int) -> bool:
        """Revocation in wp-admin, or maybe_delete_key() after a failed callback."""
        with self._lock:
            key = self.keys.pop(key_id, None)
            if key is None:
                return False
            self._by_hash.pop(wc_api_hash(key.consumer_key), None)
            return True

    def find(self, consumer_key: str) -> ApiKey | None:
        key_id = self._by_hash.get(wc_api_hash(consumer_key))
        return self.keys.get(key_id) if key_id is not None else None

    def user_of(self, key: ApiKey) -> WPUser | None:
        return self.users.get(key.user_id)

    def use_nonce(self, key: ApiKey, nonce: str, timestamp: float, now: float | None = None) -> bool:
        """False when the nonce was used in the last 15 minutes (WC's check_oauth_timestamp_and_nonce).

        `now` is the store's clock (tests pin it to replay captured OAuth requests); real time by default.
        """
        now = time.time() if now is None else now
        with self._lock:
            key.nonces = {n: t for n, t in key.nonces.items() if now - t < 900}
            if nonce in key.nonces:
                return False
            key.nonces[nonce] = timestamp
            return True

    def touch(self, key: ApiKey) -> None:
        key.last_access = datetime.now(UTC)

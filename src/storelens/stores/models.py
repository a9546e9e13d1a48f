"""A connected store as the user sees it, and the pending wc-auth connection that creates one.

Keys are stored encrypted (storelens.crypto) so a copied database file is not a copied store; the status fields carry
the one problem the user must fix, in plain words, set by `storelens.stores.status` from the client's typed errors.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from storelens.accounts.scoping import WorkspaceOwned
from storelens.stores.reporting import DateBasis
from storelens.woocommerce.analytics_settings import DEFAULT_EXCLUDED_STATUSES


def _public_id() -> str:
    # Random, unguessable id used in URLs that the store calls (webhook intake): never the sequential pk.
    return secrets.token_hex(12)


def _default_excluded_statuses() -> list[str]:
    return list(DEFAULT_EXCLUDED_STATUSES)


class Store(WorkspaceOwned):
    class Status(models.TextChoices):
        CONNECTING = "connecting", "Connecting"
        IMPORTING = "importing", "Importing"
        CONNECTED = "connected", "Connected"
        NEEDS_REAUTH = "needs_reauth", "Needs reconnecting"
        AUTH_FAILED = "auth_failed", "Authentication failed"
        BLOCKED = "blocked", "Blocked by the store's firewall"
        UNREACHABLE = "unreachable", "Unreachable"
        MISCONFIGURED = "misconfigured", "Misconfigured"
        PAUSED = "paused", "Paused"
        ERROR = "error", "Error"

    class SettingOrigin(models.TextChoices):
        """Where a figure setting (date basis, excluded statuses) came from (`storelens.stores.figure_settings`)."""

        STORE = "store", "Read from the store"
        DEFAULT = "default", "WooCommerce's default (never changed on the store)"
        ASSUMED = "assumed", "Assumed: the store did not tell"
        OWNER = "owner", "Set by the owner in Storelens"

    class KeyPermissions(models.TextChoices):
        READ = "read", "Read"
        WRITE = "write", "Write"
        READ_WRITE = "read_write", "Read/Write"

    public_id = models.CharField(max_length=32, unique=True, default=_public_id, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    entered_url = models.CharField(max_length=500, blank=True)
    home_url = models.CharField(max_length=500, blank=True)
    rest_root = models.CharField(max_length=500, blank=True)
    plain_permalinks = models.BooleanField(default=False)
    name = models.CharField(max_length=200, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    timezone_string = models.CharField(max_length=64, blank=True)
    gmt_offset = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))

    consumer_key_enc = models.TextField(blank=True)
    consumer_secret_enc = models.TextField(blank=True)
    key_id = models.BigIntegerField(null=True, blank=True)
    key_permissions = models.CharField(max_length=16, choices=KeyPermissions.choices, blank=True)
    auth_method = models.CharField(max_length=32, blank=True)
    keys_received_at = models.DateTimeField(null=True, blank=True)
    keys_verified_at = models.DateTimeField(null=True, blank=True)

    has_refunds_route = models.BooleanField(null=True, blank=True)
    has_subscriptions = models.BooleanField(null=True, blank=True)
    legacy_woocommerce = models.BooleanField(default=False)

    date_basis = models.CharField(max_length=16, choices=DateBasis.choices, default=DateBasis.PAID)
    excluded_statuses = models.JSONField(default=_default_excluded_statuses)
    date_basis_origin = models.CharField(max_length=16, choices=SettingOrigin.choices, default=SettingOrigin.ASSUMED)
    excluded_statuses_origin = models.CharField(
        max_length=16, choices=SettingOrigin.choices, default=SettingOrigin.ASSUMED
    )
    # The store's last answer per setting ({"date_basis": {"origin", "value", "answer", "status", "code", …}}),
    # kept so that handing a setting back to the store applies it without asking again.
    store_settings = models.JSONField(default=dict, blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONNECTING)
    status_code = models.CharField(max_length=64, blank=True)
    status_message = models.TextField(blank=True)
    status_fix = models.TextField(blank=True)
    status_since = models.DateTimeField(default=timezone.now)

    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_reconcile_at = models.DateTimeField(null=True, blank=True)
    webhook_secret_enc = models.TextField(blank=True)
    sync_interval = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seconds between incremental passes; empty uses STORELENS_SYNC_INTERVAL."
    )
    data_warnings = models.JSONField(default=list, blank=True)
    # The Storelens Connector plugin's version on the store, as it last told Storelens (storelens.connector); null
    # when the plugin is not installed or not connected.
    connector_version = models.CharField(max_length=32, null=True, blank=True)
    # This store may be on a private or loopback address even without STORELENS_ALLOW_PRIVATE_STORES: set by
    # `storelens demo` for its local fake stores, so they can still be checked and synced after the demo's process.
    allow_private_address = models.BooleanField(default=False)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.name or self.home_url or self.entered_url or f"source {self.pk}"

    @property
    def display_status(self) -> str:
        return self.Status(self.status).label

    @property
    def settings_from_store(self) -> bool:
        """Neither figure setting was set by the owner."""
        owner = self.SettingOrigin.OWNER
        return self.date_basis_origin != owner and self.excluded_statuses_origin != owner

    @property
    def is_healthy(self) -> bool:
        return self.status in (self.Status.CONNECTED, self.Status.IMPORTING)

    def set_keys(self, consumer_key: str, consumer_secret: str) -> None:
        from storelens.crypto import encrypt

        self.consumer_key_enc = encrypt(consumer_key)
        self.consumer_secret_enc = encrypt(consumer_secret)

    def keys(self) -> tuple[str, str]:
        from storelens.crypto import decrypt

        if not self.consumer_key_enc or not self.consumer_secret_enc:
            return "", ""
        return decrypt(self.consumer_key_enc), decrypt(self.consumer_secret_enc)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ConnectAttempt(WorkspaceOwned):
    """A wc-auth round trip in flight; the token in the callback URL is stored hashed so a database leak cannot
    be replayed against the callback."""

    token_hash = models.CharField(max_length=64, unique=True)
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="connect_attempts")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    scope = models.CharField(max_length=16, default="read")

    class Meta:
        ordering = ("pk",)

    @classmethod
    def hash_token(cls, token: str) -> str:
        return _hash_token(token)

    @classmethod
    def start(cls, store: Store, user: object | None, scope: str = "read") -> tuple[ConnectAttempt, str]:
        """A new attempt and its plain token (only ever returned here, to be put in the callback URL)."""
        token = secrets.token_urlsafe(32)
        attempt = cls.objects.create(
            workspace=store.workspace,
            store=store,
            created_by=user if getattr(user, "pk", None) else None,
            token_hash=_hash_token(token),
            expires_at=timezone.now() + timedelta(hours=1),
            scope=scope,
        )
        return attempt, token

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()

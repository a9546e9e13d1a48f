"""A connect started from the plugin (its way back to wp-admin and the one-time code) and the plugin's token.

Both secrets, the code and the token, are stored as SHA-256 hashes: a copied database cannot poll a store's status or
take over its connection.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import models
from django.utils import timezone

from storelens.accounts.scoping import WorkspaceOwned
from storelens.stores.models import ConnectAttempt, Store

CODE_LIFETIME = timedelta(minutes=10)


def hash_secret(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class ConnectorStart(WorkspaceOwned):
    """One Connect Store clicked in wp-admin: where to send the owner back, and the code they carry there."""

    attempt = models.OneToOneField(ConnectAttempt, on_delete=models.CASCADE, related_name="connector_start")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    return_url = models.CharField(max_length=1000)
    state = models.CharField(max_length=200)
    code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    exchanged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("pk",)

    def issue_code(self) -> str:
        """A fresh one-time code for the plugin (the plain value is only ever returned here)."""
        code = new_secret()
        self.code_hash = hash_secret(code)
        self.code_expires_at = timezone.now() + CODE_LIFETIME
        self.save(update_fields=["code_hash", "code_expires_at"])
        return code


class ConnectorLink(WorkspaceOwned):
    """The plugin on a store, known by its token: one per store; a new connect replaces it (and its token)."""

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="connector_link")
    token_hash = models.CharField(max_length=64, unique=True)
    connected_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("pk",)

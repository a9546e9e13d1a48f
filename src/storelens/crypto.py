"""Encryption of secrets at rest (store consumer keys and secrets) with the Fernet key from settings.

A copied database file alone does not reveal a store's keys: the key lives in STORELENS_ENCRYPTION_KEY or in the
data directory's `encryption_key` file, which backups of the database should keep apart.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class DecryptionError(Exception):
    """The ciphertext was made with another key (STORELENS_ENCRYPTION_KEY changed?) or was altered."""


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def encrypt(plaintext: str) -> str:
    return _fernet(settings.STORELENS_ENCRYPTION_KEY).encrypt(plaintext.encode()).decode("ascii")


def decrypt(ciphertext: str) -> str:
    try:
        return _fernet(settings.STORELENS_ENCRYPTION_KEY).decrypt(ciphertext.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        raise DecryptionError(
            "A stored secret cannot be decrypted with the current encryption key. If STORELENS_ENCRYPTION_KEY or the "
            "data directory's encryption_key file changed, restore the old key; otherwise reconnect the store."
        ) from None

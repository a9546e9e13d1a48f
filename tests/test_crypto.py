from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from storelens.crypto import DecryptionError, decrypt, encrypt


def test_secrets_round_trip_and_are_not_stored_in_clear() -> None:
    ciphertext = encrypt("cs_0123456789abcdef")
    assert "cs_0123456789abcdef" not in ciphertext
    assert decrypt(ciphertext) == "cs_0123456789abcdef"
    assert encrypt("same") != encrypt("same")  # Fernet adds a fresh IV each time


def test_ciphertext_from_another_key_says_what_happened(settings: pytest.FixtureRequest) -> None:
    ciphertext = encrypt("secret")
    settings.STORELENS_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(DecryptionError, match="restore the old key"):
        decrypt(ciphertext)

"""Keeping API keys out of logs and error messages: URLs carry them when a store only accepts query-string keys."""

from __future__ import annotations

import logging
import re

# The key names its store's credential as much as the secret does (the key is half of it, and a log reader with the
# key and a leaked secret elsewhere has both), so every part of the credential is redacted, as OAuth carries it too.
_SECRET_IN_URL = re.compile(r"\b(consumer_key|consumer_secret|oauth_consumer_key|oauth_signature)=[^&\s\"']*")
_SECRET_PARAMS = ("consumer_key=", "consumer_secret=", "oauth_")


class _RedactSecrets(logging.Filter):
    """httpx logs every request URL at INFO; query-string keys must not end up in anyone's logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(
                _SECRET_IN_URL.sub(r"\1=[redacted]", str(a)) if "=" in str(a) else a for a in record.args
            )
        elif isinstance(record.msg, str) and "=" in record.msg:
            record.msg = _SECRET_IN_URL.sub(r"\1=[redacted]", record.msg)
        return True


logging.getLogger("httpx").addFilter(_RedactSecrets())


def redact(url: str) -> str:
    """The URL with secrets removed, for error messages and logs."""
    if not any(param in url for param in _SECRET_PARAMS):
        return url
    base, _, query = url.partition("?")
    kept = [p for p in query.split("&") if not p.startswith(_SECRET_PARAMS)]
    return base + ("?" + "&".join(kept) if kept else "")

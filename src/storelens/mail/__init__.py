"""The one SMTP connection for everything Storelens e-mails (digests, alerts): `STORELENS_SMTP_URL`, never Django's
EMAIL_* settings, so an operator configures mail in one place and a test points it at a local server."""

from __future__ import annotations

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend

from storelens.config import SmtpSettings, parse_smtp_url


def smtp_settings() -> SmtpSettings | None:
    """None when no SMTP server is configured: digests and alert e-mails are off for everyone (Settings says so)."""
    raw = settings.STORELENS_SMTP_URL
    return parse_smtp_url("STORELENS_SMTP_URL", raw) if raw else None


def smtp_backend(smtp: SmtpSettings) -> EmailBackend:
    """A connection of its own per sending (several workers send at once), failing loudly so a claim can retry."""
    return EmailBackend(
        host=smtp.host,
        port=smtp.port,
        username=smtp.username or None,
        password=smtp.password or None,
        use_tls=smtp.use_tls,
        use_ssl=smtp.use_ssl,
        timeout=smtp.timeout,
        fail_silently=False,
    )

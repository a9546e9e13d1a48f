"""Who a failed sign-in counts against: the person, not the way they typed their e-mail.

Sign-in matches e-mails case-insensitively (`UserManager.get_by_natural_key`), so the lockout must count them the
same way; otherwise `Frank@a.test`, `fRank@a.test`, … would each get their own fresh guesses (issue 14, item 1).
django-axes calls `lockout_username` (`AXES_USERNAME_CALLABLE`) both when it checks a lock and when it counts a
failure, and `SignInForm` hands `authenticate` the same normalised value.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

USERNAME_FIELD = "username"  # what the sign-in form posts the e-mail as (Django's AuthenticationForm)


def normalise_email(value: object) -> str:
    """The one spelling of an e-mail that sign-in, lockout and storage agree on: stripped and lower-cased."""
    return str(value or "").strip().lower()


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str:
    """The e-mail a sign-in attempt counts against (AXES_USERNAME_CALLABLE)."""
    if credentials and credentials.get(USERNAME_FIELD) is not None:
        return normalise_email(credentials[USERNAME_FIELD])
    data = getattr(request, "data", None) or getattr(request, "POST", None) or {}
    return normalise_email(data.get(USERNAME_FIELD))

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from storelens.stores.problems import entry_for, problem_code
from storelens.stores.warnings import ShownWarning, shown

register = template.Library()


@register.filter
def help_url(code: str) -> str:
    """The help page of a problem code, "" when the catalogue has none (templates then show no link)."""
    if not code or entry_for(code) is None:
        return ""
    return reverse("doctor:help", kwargs={"code": problem_code(code)})


@register.filter
def shown_warnings(data_warnings: Any) -> list[ShownWarning]:
    """A store's kept warnings in the owner's words (`stores.warnings`)."""
    return shown(data_warnings if isinstance(data_warnings, list) else [])


@register.filter
def ago(moment: datetime | None) -> str:
    """“just now” under a minute (timesince says “0 minutes”), else “5 minutes ago”."""
    if moment is None:
        return "never"
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment)} ago"

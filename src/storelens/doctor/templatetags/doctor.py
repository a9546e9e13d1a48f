from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from storelens.doctor.catalogue import entry_for, problem_code
from storelens.doctor.warnings import ShownWarning, shown

register = template.Library()


@register.filter
def help_url(code: str) -> str:
    """The help page of a problem code, "" when the catalogue has none (templates then show no link)."""
    if not code or entry_for(code) is None:
        return ""
    return reverse("doctor:help", kwargs={"code": problem_code(code)})


@register.filter
def shown_warnings(data_warnings: Any) -> list[ShownWarning]:
    """A source's kept warnings in the owner's words (storelens.doctor.warnings)."""
    return shown(data_warnings if isinstance(data_warnings, list) else [])

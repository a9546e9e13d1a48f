from __future__ import annotations

from django import template
from django.urls import reverse

from storelens.health.catalogue import entry_for, problem_code

register = template.Library()


@register.filter
def help_url(code: str) -> str:
    """The help page of a problem code, "" when the catalogue has none (templates then show no link)."""
    if not code or entry_for(code) is None:
        return ""
    return reverse("health:help", kwargs={"code": problem_code(code)})

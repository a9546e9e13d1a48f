"""The shared mail layout: a mail that extends it gets the shell (page, card, header, footer) with the named inline
styles, and a style name that does not exist fails the render instead of leaving an element unstyled."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError

from storelens.mail.templatetags.mail_layout import STYLES

CHILD = (
    '{% extends "mail/layout.html" %}{% load mail_layout %}{% block title %}T{% endblock %}'
    "{% block eyebrow %}Storelens · {{ workspace }}{% endblock %}{% block heading %}H{% endblock %}"
    '{% block content %}<tr><td style="{% mail_style "td" "color:red;" %}">x</td></tr>{% endblock %}'
    "{% block footer %}F{% endblock %}"
)


def test_a_mail_extending_the_layout_gets_the_shell_and_its_styles() -> None:
    page = Template(CHILD).render(Context({"workspace": "A & B"}))
    assert page.startswith("<!DOCTYPE html>")
    assert f'<body style="{STYLES["body"]}">' in page
    assert f'style="{STYLES["card"]}"' in page and "max-width:640px" in page
    assert f'<h1 style="{STYLES["h1"]}">H</h1>' in page
    assert "Storelens · A &amp; B" in page  # the context is escaped as anywhere else
    assert f'<td style="{STYLES["td"]}color:red;">x</td>' in page
    assert "<script" not in page and "src=" not in page and "<link" not in page  # nothing to run, nothing remote


def test_an_unknown_style_name_fails_the_render() -> None:
    with pytest.raises(TemplateSyntaxError, match="no mail style named 'headline'"):
        Template('{% load mail_layout %}<p style="{% mail_style "headline" %}">').render(Context())

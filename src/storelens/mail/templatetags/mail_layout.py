"""The inline styles of every Storelens e-mail, named once: `style="{% mail_style 'th' %}"`.

Mail clients drop `<style>` blocks and external sheets (Gmail's app, Outlook), so each element carries its own
`style` attribute. Written out in each template, the same colours and paddings drift apart between the digest and the
alert mails; named here, a change of look is one line, and a misspelt name fails the render (and the tests) instead
of silently dropping the style.
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

FONT = "-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
MUTED, INK, TEXT, LINK = "#6b7280", "#111827", "#374151", "#2563eb"
GOOD, BAD = "#047857", "#b91c1c"

STYLES: dict[str, str] = {
    # The shell (mail/layout.html): a grey page, a white card at most 640 px wide, phone-width padding.
    "body": f"margin:0;padding:0;background:#f3f4f6;font-family:{FONT};color:{INK};",
    "page": "background:#f3f4f6;",
    "page_cell": "padding:16px 6px;",
    "card": "max-width:640px;background:#ffffff;border-radius:8px;border:1px solid #e5e7eb;",
    "header": "padding:20px 16px 8px 16px;",
    "eyebrow": f"margin:0;font-size:13px;color:{MUTED};",
    "h1": f"margin:4px 0 0 0;font-size:22px;line-height:1.3;color:{INK};",
    "lead": f"margin:4px 0 0 0;font-size:14px;color:{TEXT};",
    "footer": f"padding:20px 16px 20px 16px;font-size:12px;line-height:1.5;color:{MUTED};",
    "preheader": "display:none;max-height:0;overflow:hidden;opacity:0;font-size:1px;line-height:1px;color:#f3f4f6;",
    # Sections of the card.
    "section": "padding:20px 16px 0 16px;",
    "section_text": f"padding:20px 16px 0 16px;font-size:14px;line-height:1.5;color:{TEXT};",
    "h2": f"margin:0 0 8px 0;font-size:17px;color:{INK};",
    "h3": f"margin:16px 0 6px 0;font-size:14px;color:{TEXT};",
    "p": "margin:8px 0 0 0;",
    "small": f"font-weight:normal;font-size:13px;color:{MUTED};",
    "link": f"color:{LINK};",
    "link_plain": f"color:{LINK};text-decoration:none;",
    "button": (
        f"display:inline-block;padding:10px 16px;background:{LINK};color:#ffffff;border-radius:6px;"
        "text-decoration:none;font-weight:600;font-size:14px;"
    ),
    # Tables of figures.
    "table": "font-size:14px;border-collapse:collapse;",
    "th": f"padding:6px 4px;border-bottom:2px solid #e5e7eb;color:{MUTED};font-weight:600;font-size:12px;",
    "td": "padding:7px 4px;border-bottom:1px solid #f3f4f6;",
    "figure": "padding:7px 4px;border-bottom:1px solid #f3f4f6;font-weight:600;white-space:nowrap;",
    "figure_muted": f"padding:7px 4px;border-bottom:1px solid #f3f4f6;color:{MUTED};white-space:nowrap;",
    "muted": f"color:{MUTED};",
    "good": f"color:{GOOD};",
    "bad": f"color:{BAD};",
    # Boxes: something is wrong (red), something is over (green).
    "alarm_box": "background:#fef2f2;border:1px solid #fecaca;border-radius:6px;",
    "alarm_cell": "padding:12px 16px;font-size:14px;line-height:1.5;color:#7f1d1d;",
    "alarm_note": "margin:2px 0 0 0;color:#991b1b;",
    "ok_box": "background:#ecfdf5;border:1px solid #a7f3d0;border-radius:6px;",
    "ok_cell": "padding:12px 16px;font-size:14px;line-height:1.5;color:#064e3b;",
}


@register.simple_tag
def mail_style(name: str, extra: str = "") -> SafeString:
    """The named style, then `extra` (the template's own additions, e.g. a cell's colour)."""
    if name not in STYLES:
        raise template.TemplateSyntaxError(f"no mail style named {name!r}; known: {', '.join(sorted(STYLES))}")
    return mark_safe(STYLES[name] + conditional_escape(extra))

"""An alert as an e-mail: a plain-text part and an HTML part (the digests' layout, `mail/layout.html`) saying which
store, what fired, why (the alert's own reason and its numbers), where to see the store in Storelens, and how to
mute it.

The numbers table is read from `Alert.figures`, which the detector wrote beside the reason, and formatted by the
detector's own helpers: the figures a recipient reads in the table are the ones the reason (and the in-app alert)
states. A row whose figure an older alert lacks is left out rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from storelens.alerts.detect import REFUND_DAYS, WEEKDAYS, hours_text, money_text
from storelens.alerts.models import Alert, Delivery, Kind
from storelens.config import SmtpSettings
from storelens.stores.models import Store


@dataclass(frozen=True)
class Links:
    """Addresses in Storelens, all "" when no public URL is set (the mail then names the pages instead)."""

    store: str = ""
    alert: str = ""
    mute: str = ""
    settings: str = ""


def public_base() -> str:
    return (settings.STORELENS_PUBLIC_URL or "").rstrip("/")


def links_of(alert: Alert, recovered: bool) -> Links:
    """The store's page, the alert on the Alerts page (its Mute buttons while it is open) and the member's Settings.
    Muting is a POST from the page, never a link: mail scanners open links, and a GET must not mute anything."""
    base = public_base()
    if not base:
        return Links()
    alerts = base + reverse("alerts:list")
    here = f"{alerts}#alert-{alert.pk}"
    return Links(
        store=base + reverse("stores:detail", kwargs={"store_id": alert.store_id}),
        alert=here,
        mute=f"{alerts}#alerts-mutes" if recovered else here,
        settings=base + reverse("dashboard:settings") + "#alerts-settings",
    )


def _weekday(episode: str) -> str:
    try:
        return WEEKDAYS[date.fromisoformat(episode).weekday()]
    except ValueError:
        return "same weekday"


def figure_rows(alert: Alert) -> list[tuple[str, str]]:
    """(label, value) for the numbers the alert carries, worded as its reason words them."""
    f: dict[str, Any] = alert.figures or {}
    rows: list[tuple[str, str | None]] = []
    if alert.kind == Kind.ORDERS_STOPPED:
        weeks = f.get("weeks")
        rows = [
            ("Without a counted order for", hours_text(f["silence_hours"]) if "silence_hours" in f else None),
            ("Hour of the last counted order", f.get("last_order_hour")),
            (
                f"Longest silence at this hour, previous {weeks} weeks",
                hours_text(f["usual_gap_hours"]) if weeks and "usual_gap_hours" in f else None,
            ),
            ("Fires after", hours_text(f["threshold_hours"]) if "threshold_hours" in f else None),
        ]
    elif alert.kind == Kind.REFUND_SPIKE and f.get("currency"):
        c = f["currency"]
        for key, label in (
            ("refunds", "Refunds today"),
            ("largest_day", f"Largest day, previous {REFUND_DAYS} days"),
            ("average_day", f"Average day, previous {REFUND_DAYS} days"),
            ("threshold", "Fires above"),
        ):
            rows.append((label, money_text(f[key], c) if key in f else None))
    elif alert.kind == Kind.STORE_DOWN:
        status = f.get("status")
        rows = [
            ("Status", Store.Status(status).label if status in Store.Status.values else None),
            ("Since", f.get("since")),
            ("For", f"{f['minutes']} minutes" if "minutes" in f else None),
        ]
    elif alert.kind == Kind.DAY_HIGH and f.get("currency"):
        day = _weekday(alert.episode)
        for key, label, show in (
            ("orders", "Orders", str),
            ("net_sales_minor", "Net sales", lambda v: money_text(v, f["currency"])),
        ):
            values = f.get(key)
            if isinstance(values, dict) and {"today", "average", "best"} <= values.keys():
                rows.append((f"{label} today", show(values["today"])))
                rows.append((f"{label}, average of previous {day}s", show(values["average"])))
                rows.append((f"{label}, best of previous {day}s", show(values["best"])))
    return [(label, value) for label, value in rows if value is not None]


def lasted(alert: Alert) -> str:
    minutes = int(((alert.resolved_at or alert.opened_at) - alert.opened_at).total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def subject_of(alert: Alert, recovered: bool) -> str:
    return f"{alert.store}: {'Recovered: ' if recovered else ''}{alert.title}"


def mail_of(alert: Alert, smtp: SmtpSettings, to: str, news: str = Delivery.News.FIRED) -> EmailMultiAlternatives:
    """multipart/alternative: plain text first, HTML last (clients show the last part they can)."""
    recovered = news == Delivery.News.RECOVERED
    context = {
        "alert": alert,
        "kind": Kind(alert.kind).label if alert.kind in Kind.values else alert.kind,
        "recovered": recovered,
        "lasted": lasted(alert),
        "rows": figure_rows(alert),
        "links": links_of(alert, recovered),
        "subject": subject_of(alert, recovered),
    }
    mail = EmailMultiAlternatives(context["subject"], render_to_string("alerts/mail.txt", context), smtp.sender, [to])
    mail.attach_alternative(render_to_string("alerts/mail.html", context), "text/html")
    return mail

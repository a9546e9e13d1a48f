"""`storelens alerts check` runs the alert tick now (what the job queue does every 5 minutes); `storelens alerts list`
prints the open alerts. For operators who want to know now, and for the walks that need an alert on screen."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from storelens.alerts import episodes, send
from storelens.alerts.models import Alert


class Command(BaseCommand):
    help = "Check every store for alerts now and send them (check), or print the open alerts (list)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=("check", "list"))
        parser.add_argument("--json", action="store_true", help="Print JSON.")
        parser.add_argument(
            "--at",
            default="",
            help="check: judge as of this ISO instant (UTC) instead of now, e.g. to see what a silence would fire.",
        )

    def handle(self, *args: Any, action: str, json: bool = False, at: str = "", **options: Any) -> None:
        if action == "check":
            now = _instant(at) if at else timezone.now()
            data: Any = {"detected": episodes.detect(now), "delivered": send.send_pending(now)}
            text = f"Detected: {_counts(data['detected'])}. Delivered: {_counts(data['delivered'])}."
        else:
            rows = Alert.objects.filter(resolved_at__isnull=True).select_related("store", "workspace")
            data = [
                {
                    "id": a.pk,
                    "workspace": a.workspace.name,
                    "source_id": a.store_id,
                    "store": str(a.store),
                    "kind": a.kind,
                    "title": a.title,
                    "reason": a.reason,
                    "figures": a.figures,
                    "opened_at": a.opened_at.isoformat(),
                }
                for a in rows.order_by("pk")
            ]
            text = "\n".join(f"#{a['id']} {a['store']} ({a['workspace']}): {a['title']}. {a['reason']}" for a in data)
            text = text or "No open alert."
        self.stdout.write(_dumps(data) if json else text)


def _instant(raw: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError as err:
        raise CommandError(f"--at {raw!r} is not an ISO date and time, e.g. 2025-03-10T20:30:00+00:00") from err
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _counts(outcomes: dict[str, int]) -> str:
    return ", ".join(f"{n} {what}" for what, n in sorted(outcomes.items())) or "nothing"


def _dumps(data: Any) -> str:
    return json.dumps(data, indent=2)

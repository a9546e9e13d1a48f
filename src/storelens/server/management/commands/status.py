from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from storelens.server.status import summary


class Command(BaseCommand):
    help = "Summarise the installation for monitoring: stores and their states, queue depth, workers seen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print one JSON object (for monitoring).")

    def handle(self, *args: Any, json: bool = False, **options: Any) -> None:
        data = summary()
        if json:
            self.stdout.write(_dumps(data))
            return
        stores, queue = data["stores"], data["queue"]
        states = ", ".join(f"{count} {status}" for status, count in stores["by_status"].items()) or "none"
        self.stdout.write(
            f"Stores: {stores['total']} ({states}); importing {stores['importing']}, "
            f"syncing now {stores['syncing_now']}."
        )
        oldest = stores["oldest_pass_seconds"]
        if oldest is not None:
            self.stdout.write(f"Oldest pass: {oldest:.0f} s ago (sync interval {stores['sync_interval']} s).")
        depth = queue.get("error") or f"{queue['pending']} pending, {queue['scheduled']} scheduled"
        self.stdout.write(f"Queue ({queue['kind']}): {depth}.")
        alive = [w for w in data["workers"] if w["state"] == "alive"]
        self.stdout.write(
            f"Workers alive: {len(alive)}"
            + "".join(f"\n  {w['name']} ({w['kind']}, {w['threads']} threads, seen {w['seen_at']})" for w in alive)
        )


def _dumps(data: Any) -> str:
    return json.dumps(data, indent=2)

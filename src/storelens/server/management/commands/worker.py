from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from storelens.server.queue import consumer_options, discover_tasks, queue_description
from storelens.server.schema import require_migrated


class Command(BaseCommand):
    help = "Run background jobs (a standalone Huey consumer); run one or more beside `serve` when the queue is Redis."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, metavar="N", default=None, help="Worker threads (default 2).")
        parser.add_argument(
            "--no-periodic", action="store_true", help="Do not schedule periodic jobs (run them on one worker only)."
        )

    def handle(self, *args: Any, workers: int | None, no_periodic: bool, **options: Any) -> None:
        from huey.consumer import Consumer
        from huey.contrib.djhuey import HUEY

        require_migrated()
        discover_tasks()
        opts = consumer_options(workers=workers, worker_type="thread")
        if no_periodic:
            opts["periodic"] = False
        self.stdout.write(f"Storelens worker: {opts['workers']} threads on the {queue_description()} queue.")
        Consumer(HUEY, **opts).run()

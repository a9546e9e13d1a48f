"""Huey consumers: threads inside `storelens serve`, or a standalone `storelens worker`."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from huey.consumer import Consumer

logger = logging.getLogger("storelens.jobs")


class InProcessConsumer(Consumer):
    """A consumer that lives beside the web server: the server owns the process's signals, so this one sets none;
    the server stops it when it shuts down."""

    def _set_signal_handlers(self) -> None:
        return None


def discover_tasks() -> None:
    """Import every installed app's `tasks` module: a consumer only runs (and schedules) tasks it has seen defined."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")


def consumer_options(**overrides: Any) -> dict[str, Any]:
    options = dict(settings.HUEY.get("consumer", {}))
    options.update({key: value for key, value in overrides.items() if value is not None})
    return options


def queue_description() -> str:
    huey_class = settings.HUEY["huey_class"]
    if "Redis" in huey_class:
        return "Redis"
    return f"SQLite ({settings.HUEY.get('filename')})"


def start_in_process(workers: int | None = None) -> InProcessConsumer:
    from huey.contrib.djhuey import HUEY

    discover_tasks()
    consumer = InProcessConsumer(HUEY, **consumer_options(workers=workers, worker_type="thread"))
    consumer.start()
    return consumer

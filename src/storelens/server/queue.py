"""The job queue (Huey): consumers as threads inside `storelens serve` or a standalone `storelens worker`.

Apps define tasks in their own `tasks.py` with `huey.contrib.djhuey`'s decorators; djhuey finds them in every installed
app. The queue lives in SQLite in the data directory, or in Redis with `STORELENS_QUEUE_URL=redis://…` (the `HUEY`
setting is built in settings.py). Tests run tasks immediately (see tests/conftest.py).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from huey.consumer import Consumer

logger = logging.getLogger("storelens.server.queue")


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


def build_huey(config: dict[str, Any]) -> Any:
    """A Huey instance from a `HUEY`-shaped dict, the same way djhuey builds it (used by tests and tools)."""
    from huey.utils import load_class

    options = {key: value for key, value in config.items() if key not in ("name", "huey_class", "consumer")}
    return load_class(config["huey_class"])(config["name"], **options)

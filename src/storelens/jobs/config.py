"""Turns STORELENS_QUEUE_URL into the `HUEY` setting that huey.contrib.djhuey builds its queue from."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from storelens.config import SettingError

QUEUE_NAME = "storelens"


def huey_settings(queue_url: str, data_dir: Path, *, name: str = QUEUE_NAME) -> dict[str, Any]:
    """SQLite in the data directory by default; Redis (with task priorities) for `redis://` and `rediss://` URLs."""
    common: dict[str, Any] = {
        "name": name,
        "immediate": False,
        "utc": True,
        # The in-process consumer of `storelens serve` and `storelens worker` read these.
        "consumer": {"workers": 2, "worker_type": "thread", "periodic": True, "shutdown_timeout": 30},
    }
    if not queue_url:
        return {**common, "huey_class": "huey.SqliteHuey", "filename": str(data_dir / "queue.sqlite3")}
    scheme = urlsplit(queue_url).scheme
    if scheme in ("redis", "rediss", "unix"):
        return {**common, "huey_class": "huey.PriorityRedisHuey", "url": queue_url}
    if scheme == "sqlite":
        path = queue_url.removeprefix("sqlite:///").removeprefix("sqlite://")
        return {**common, "huey_class": "huey.SqliteHuey", "filename": path or str(data_dir / "queue.sqlite3")}
    raise SettingError(
        f"STORELENS_QUEUE_URL={queue_url!r} is not supported: use redis://host:6379/0, or unset it to keep the queue "
        "in SQLite in the data directory."
    )


def build_huey(config: dict[str, Any]) -> Any:
    """A Huey instance from a `huey_settings()` dict, the same way djhuey builds it (used by tests and tools)."""
    from huey.utils import load_class

    options = {key: value for key, value in config.items() if key not in ("name", "huey_class", "consumer")}
    return load_class(config["huey_class"])(config["name"], **options)

"""The job queue: SQLite by default, Redis when configured, consumed by real consumers."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from storelens.config import SettingError
from storelens.server.queue import InProcessConsumer, build_huey
from storelens.settings import huey_settings


def test_queue_defaults_to_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    config = huey_settings("", tmp_path)
    assert config["huey_class"] == "huey.SqliteHuey"
    assert config["filename"] == str(tmp_path / "queue.sqlite3")


def test_redis_url_selects_the_priority_redis_queue(tmp_path: Path) -> None:
    config = huey_settings("redis://127.0.0.1:6379/2", tmp_path)
    assert config["huey_class"] == "huey.PriorityRedisHuey"
    assert config["url"] == "redis://127.0.0.1:6379/2"


def test_unknown_queue_url_is_refused_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(SettingError, match="use redis://host:6379/0"):
        huey_settings("amqp://localhost", tmp_path)


def run_one_job(huey: Any) -> int:
    """Enqueue a real task and let a real consumer (the one `storelens serve` uses) run it."""

    @huey.task()
    def add(a: int, b: int) -> int:
        return a + b

    result = add(2, 3)
    consumer = InProcessConsumer(huey, workers=1, worker_type="thread", initial_delay=0.01, max_delay=0.05)
    consumer.start()
    try:
        return result.get(blocking=True, timeout=10)
    finally:
        consumer.stop(graceful=True)


def test_a_job_runs_through_the_sqlite_queue(tmp_path: Path) -> None:
    assert run_one_job(build_huey(huey_settings("", tmp_path))) == 5


@pytest.mark.redis
def test_a_job_runs_through_the_real_redis(redis_url: str, tmp_path: Path) -> None:
    huey = build_huey(huey_settings(redis_url, tmp_path, name=f"storelens-test-{uuid.uuid4().hex}"))
    try:
        assert run_one_job(huey) == 5
    finally:
        huey.storage.flush_all()


def test_tests_run_jobs_immediately() -> None:
    from storelens.server.tasks import ping

    assert ping().get() == "pong"


def test_jobs_health_check_round_trips_a_job(client: Any) -> None:
    response = client.get("/healthz/jobs")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}

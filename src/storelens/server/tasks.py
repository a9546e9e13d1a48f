"""Jobs of the job queue itself."""

from huey.contrib.djhuey import HUEY, task

from . import heartbeat


@task(priority=100)  # first in the queue: a backlog of imports must not make the health check fail
def ping() -> str:
    """Round-trips through the queue: proves a consumer is running (GET /healthz/jobs)."""
    return "pong"


@HUEY.on_startup()
def start_heartbeat() -> None:
    """Every consumer thread of a process starts here; the first starts the heartbeat (`storelens status`)."""
    heartbeat.consumer_thread_started()


@HUEY.on_shutdown()
def stop_heartbeat() -> None:
    heartbeat.consumer_thread_stopped()

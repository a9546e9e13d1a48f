"""Jobs of the job queue itself."""

from huey.contrib.djhuey import task


@task()
def ping() -> str:
    """Round-trips through the queue: proves a consumer is running (GET /healthz/jobs)."""
    return "pong"

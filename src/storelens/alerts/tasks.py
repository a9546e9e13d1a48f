"""The alert tick: every 5 minutes, each store's detectors, then every delivery not yet sent.

Both halves are safe on several workers at once (see `episodes` and `send`): an alert fires once and each of its
deliveries is sent once. Webhook POSTs and SMTP run here, in the job queue, never in a request.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from storelens.alerts import episodes, send


@db_periodic_task(crontab(minute="*/5"))
def alert_tick() -> dict[str, dict[str, int]]:
    return {"detected": episodes.detect(), "delivered": send.send_pending()}

"""The alert tick: every 5 minutes, each store's detectors, then every delivery not yet sent.

Both halves are safe on several workers at once (see `episodes` and `send`): an alert fires once and each of its
deliveries is sent once. Webhook POSTs and SMTP run here, in the job queue, never in a request.
"""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from storelens.alerts import episodes, send, webhook
from storelens.alerts.models import WorkspaceAlerts

TEST_TEXT = (
    "*Storelens test message* — alerts for {workspace} will be posted here: orders that stop, refund spikes, stores "
    "that cannot be reached, days far above normal."
)


@db_periodic_task(crontab(minute="*/5"))
def alert_tick() -> dict[str, dict[str, int]]:
    return {"detected": episodes.detect(), "delivered": send.send_pending()}


@db_task()
def send_webhook_test(settings_id: int) -> str:
    """The owner's "Send a test message", in a worker: POST, then the outcome (or the reason) for Settings."""
    row = WorkspaceAlerts.objects.select_related("workspace").get(pk=settings_id)
    try:
        webhook.post(row.webhook_url, send.slack_escaped(TEST_TEXT.format(workspace=row.workspace.name)))
        error = ""
    except Exception as err:  # refused, down, timed out: said on Settings
        error = str(err)[:2000]
    WorkspaceAlerts.objects.filter(pk=row.pk).update(test_done_at=timezone.now(), test_error=error)
    return error or "sent"

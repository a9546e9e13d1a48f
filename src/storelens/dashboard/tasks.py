"""The digest tick: every 15 minutes, each subscribed member's digest for the last ended period, sent once however
many workers run it (`digest_mail` claims each member's period before sending)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from storelens.dashboard import digest_mail


@db_periodic_task(crontab(minute="*/15"))
def send_digests() -> dict[str, int]:
    return digest_mail.send_due()

"""Job consumers write a heartbeat row every few seconds, so `storelens status` can say which workers are alive.

A thread beside the consumer (not a job: a busy queue would delay it, and a wedged consumer should look dead only
when the process is), started by the first consumer thread of a process through Huey's start-up hook
(`server.tasks`) and stopped with the last, so `storelens worker` and `storelens serve`'s in-process consumer both
beat without either command knowing. A worker killed with SIGKILL simply stops beating; one that stops cleanly
says so.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading
from datetime import timedelta

from django.db import close_old_connections, connection
from django.utils import timezone

from storelens import __version__

from .models import WorkerHeartbeat

log = logging.getLogger("storelens.server.heartbeat")

BEAT_EVERY_SECONDS = 10.0
# A worker not seen for this long is reported as gone (several missed beats: a slow database is not a death).
ALIVE_WITHIN = timedelta(seconds=45)


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Heartbeat(threading.Thread):
    def __init__(self, kind: str, every: float = BEAT_EVERY_SECONDS) -> None:
        super().__init__(name="storelens-heartbeat", daemon=True)
        self.kind, self.threads, self.every = kind, 0, every
        self.started_at = timezone.now()
        self._stop_event = threading.Event()

    def beat(self, *, stopped: bool = False) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            name=process_name(),
            defaults={
                "hostname": socket.gethostname(),
                "pid": os.getpid(),
                "kind": self.kind,
                "threads": self.threads,
                "version": __version__,
                "started_at": self.started_at,
                "seen_at": now,
                "stopped_at": now if stopped else None,
            },
        )

    def run(self) -> None:
        try:
            while not self._stop_event.is_set():
                close_old_connections()
                try:
                    self.beat()
                except Exception:  # the database may be briefly away: the next beat tries again
                    log.warning("could not record this worker's heartbeat", exc_info=True)
                self._stop_event.wait(self.every)
        finally:
            connection.close()

    def stop(self) -> None:
        """Stop beating and record a clean stop (from the thread that stops the consumer)."""
        self._stop_event.set()
        self.join(timeout=self.every + 5)
        try:
            self.beat(stopped=True)
        except Exception:
            log.warning("could not record this worker's stop", exc_info=True)


_lock = threading.Lock()
_running: list[Heartbeat] = []


def consumer_thread_started() -> None:
    """Huey start-up hook (each consumer thread calls it once): the first starts the process's heartbeat."""
    with _lock:
        if not _running:
            kind = "worker" if "worker" in sys.argv[1:3] else "serve"
            _running.append(Heartbeat(kind))
            _running[0].start()
        _running[0].threads += 1


def consumer_thread_stopped() -> None:
    """Huey shut-down hook: the last consumer thread to stop records a clean stop."""
    with _lock:
        if not _running:
            return
        beater = _running[0]
        beater.threads -= 1
        if beater.threads > 0:
            return
        _running.clear()
    beater.stop()

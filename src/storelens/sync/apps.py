from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "storelens.sync"
    label = "sync"

    def ready(self) -> None:
        """Give the store pages and jobs (below us) their way to start a sync and read its progress."""
        from storelens.stores import hooks

        from . import failures, tasks
        from .models import import_progress

        hooks.register(
            start_import=tasks.queue_import,
            sync_now=tasks.sync_now,
            import_progress=import_progress,
            failure_of=failures.failure_of,
            failure_json=failures.as_json,
        )

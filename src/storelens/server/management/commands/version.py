from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from storelens import __version__


class Command(BaseCommand):
    help = "Print the Storelens version."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"storelens {__version__}")

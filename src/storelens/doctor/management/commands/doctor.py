from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from storelens.doctor.checks import Report
from storelens.doctor.runner import check_url
from storelens.stores import problems


def help_link(code: str) -> str:
    """The help page of a code: absolute when Storelens knows its public address."""
    path = f"/help/{code}/"
    public = (getattr(settings, "STORELENS_PUBLIC_URL", "") or "").rstrip("/")
    return public + path if public else path


def as_text(report: Report) -> str:
    lines = [f"Storelens checked {report.url}"]
    if report.details is not None:  # the keys worked, so the Storelens Connector's route could be asked
        connector = report.details.connector
        lines.append(
            f"Storelens Connector {connector.version} is active on the store: the sync reads its census and orders."
            if connector
            else "The Storelens Connector plugin is not installed: the sync reads wc/v3 only (it works, more slowly)."
        )
    if not report.problems:
        lines.append("No problems found.")
    for problem in report.problems:
        entry = problems.entry_for(problem.code)
        mark = "ERROR" if problem.severity == problems.ERROR else "WARNING"
        title = entry.title if entry else (problem.title or problem.code)
        lines += [
            "",
            f"{mark}  {title}  [{problem.code}]",
            f"  What happened: {problem.message}",
            f"  What to do:    {problem.fix}",
        ]
        if entry is not None:
            lines.append(f"  Help:          {help_link(problem.code)}")
    lines += ["", "Checked: " + ", ".join(report.checked)]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Check a store's connection and name every problem with its fix (the Check connection button's checks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help="The store's address, e.g. shop.example.com")
        parser.add_argument("--key", default="", help="Consumer key (ck_…), to check the keys too.")
        parser.add_argument("--secret", default="", help="Consumer secret (cs_…).")
        parser.add_argument("--json", action="store_true", help="Print JSON: {url, problems, checked}.")

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["key"]) != bool(options["secret"]):
            raise CommandError("Give both --key and --secret (or neither, to check without keys).")
        if options["verbosity"] < 2:
            logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request drowns the findings
        report = check_url(options["url"], options["key"], options["secret"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(as_text(report))
        if report.errors:
            raise SystemExit(1)

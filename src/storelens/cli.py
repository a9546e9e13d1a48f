"""The `storelens` command: Django management commands under one name, and the fake store's own CLI.

`storelens X …` runs management command X. `storelens --help` lists Storelens's own commands — every management
command defined inside the storelens package, found on disk without starting Django — plus `migrate` and
`fakestore`. Help lines come from each command's `help` attribute, read from its source.

Every command is quiet about HTTP: the lines httpx logs for each request (and `serve`'s access log) appear only with
`--verbose` (Django's `-v 2`). Each command's `--help` lists its own options and `--verbose`, not Django's plumbing
(`--settings`, `--pythonpath`, `--skip-checks`, …), which still work for those who know them.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import os
import sys
from pathlib import Path

from storelens import __version__

PACKAGE_DIR = Path(__file__).resolve().parent
# Django's own commands that belong to Storelens's documented surface.
DJANGO_COMMANDS = {"migrate": "Create or update the database tables (run after every upgrade)."}
FAKESTORE_HELP = "A fake WooCommerce store for tests, benchmarks and demos (storelens fakestore --help)."
# Options every Django command has that mean nothing to a Storelens user; hidden from --help, still accepted.
HIDDEN_OPTIONS = frozenset(
    {"--settings", "--pythonpath", "--skip-checks", "--traceback", "--no-color", "--force-color", "--version"}
)


def _help_of(command_file: Path) -> str:
    """First line of the `help = "…"` of the Command class in `command_file`, without importing it."""
    tree = ast.parse(command_file.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == "Command":
            for statement in node.body:
                if (
                    isinstance(statement, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "help" for t in statement.targets)
                    and isinstance(statement.value, ast.Constant)
                    and isinstance(statement.value.value, str)
                ):
                    return statement.value.value.strip().splitlines()[0]
    return ""


def storelens_commands() -> dict[str, str]:
    """Name → one-line help of every command `storelens --help` lists."""
    commands = dict(DJANGO_COMMANDS)
    for command_file in PACKAGE_DIR.glob("*/management/commands/*.py"):
        if not command_file.name.startswith("_"):
            commands[command_file.stem] = _help_of(command_file)
    if importlib.util.find_spec("fakestore") is not None:
        commands["fakestore"] = FAKESTORE_HELP
    return dict(sorted(commands.items()))


def usage() -> str:
    commands = storelens_commands()
    width = max(len(name) for name in commands) + 2
    lines = [
        "usage: storelens <command> [options]",
        "",
        f"Storelens {__version__}: exact analytics for WooCommerce stores.",
        "",
        "Commands:",
        *(f"  {name.ljust(width)}{text}" for name, text in commands.items()),
        "",
        'Run "storelens <command> --help" for the options of a command; add --verbose to any command to log every',
        "HTTP request it makes.",
        "Settings come from STORELENS_* environment variables; see the README.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] in ("-h", "--help", "help") and len(argv) == 1):
        print(usage())
        return 0
    if argv[0] in ("--version", "-V", "version"):
        print(f"storelens {__version__}")
        return 0
    if argv[0] == "fakestore":
        # The fake store imports nothing from Storelens and needs no Django, database or settings.
        from fakestore.cli import main as fakestore_main

        return fakestore_main(argv[1:])
    return _run_management_command(argv)


def _run_management_command(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storelens.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        print(f"storelens: configuration error: {exc}", file=sys.stderr)
        return 2
    from django.core.management import execute_from_command_line

    _tidy_commands()
    from django.db import OperationalError, ProgrammingError

    try:
        execute_from_command_line(["storelens", *argv])
    except (OperationalError, ProgrammingError) as exc:
        # A command that reads a table migrate never created: say so, instead of Django's traceback.
        from storelens.server.schema import missing_tables_advice

        advice = missing_tables_advice(exc)
        if advice is None:
            raise
        print(f"storelens: {advice}", file=sys.stderr)
        return 1
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt:
        return 130
    return 0


def _tidy_commands() -> None:
    """Give every command `--verbose`, hide Django's plumbing options from its help, and keep request logs quiet
    unless asked: a patch of BaseCommand made once, in the `storelens` process only."""
    from django.core.management.base import BaseCommand

    if getattr(BaseCommand, "_storelens_tidy", False):
        return
    create_parser, execute = BaseCommand.create_parser, BaseCommand.execute

    def tidy_parser(self: BaseCommand, prog_name: str, subcommand: str, **kwargs: object) -> argparse.ArgumentParser:
        parser = create_parser(self, prog_name, subcommand, **kwargs)
        for action in parser._actions:
            if HIDDEN_OPTIONS & set(action.option_strings):
                action.help = argparse.SUPPRESS
        parser.add_argument(
            "--verbose",
            action="store_const",
            const=2,
            dest="verbosity",
            help="Also log every HTTP request (the same as -v 2).",
        )
        return parser

    def quiet_execute(self: BaseCommand, *args: object, **options: object) -> object:
        from storelens.server.logs import quiet_logging

        verbosity = options.get("verbosity", 1)
        quiet_logging(verbosity if isinstance(verbosity, int) else 1)
        return execute(self, *args, **options)

    BaseCommand.create_parser = tidy_parser  # type: ignore[method-assign]
    BaseCommand.execute = quiet_execute  # type: ignore[method-assign]
    BaseCommand._storelens_tidy = True  # type: ignore[attr-defined]

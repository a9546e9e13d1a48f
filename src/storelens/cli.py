"""The `storelens` command: Django management commands under one name, and the fake store's own CLI.

`storelens X …` runs management command X. `storelens --help` lists Storelens's own commands — every management
command defined inside the storelens package, found on disk without starting Django — plus `migrate` and
`fakestore`. Help lines come from each command's `help` attribute, read from its source.
"""

from __future__ import annotations

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
        'Run "storelens <command> --help" for the options of a command.',
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

    try:
        execute_from_command_line(["storelens", *argv])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt:
        return 130
    return 0

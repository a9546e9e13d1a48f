"""The README documents every setting and every command, and starts with the two-command Quick start."""

from __future__ import annotations

import re
from pathlib import Path

from storelens.cli import storelens_commands

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SOURCE = ROOT / "src" / "storelens"


def storelens_settings() -> set[str]:
    """Every STORELENS_* name the code reads (found as string literals anywhere in the package)."""
    names: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        names |= set(re.findall(r"[\"'](STORELENS_[A-Z0-9_]+)[\"']", path.read_text(encoding="utf-8")))
    return names


def test_every_setting_is_documented() -> None:
    settings = storelens_settings()
    assert {"STORELENS_DATA_DIR", "STORELENS_DATABASE_URL", "STORELENS_SECRET_KEY", "STORELENS_QUEUE_URL"} <= settings
    missing = sorted(name for name in settings if f"`{name}`" not in README)
    assert not missing, f"Document these settings in README.md: {missing}"


def test_every_command_is_documented() -> None:
    commands = storelens_commands()
    assert {"serve", "worker", "users", "tokens"} <= set(commands)
    missing = sorted(name for name in commands if f"storelens {name}" not in README)
    assert not missing, f"Document these commands in README.md: {missing}"


def test_readme_starts_with_a_quick_start_of_exactly_two_commands() -> None:
    first_section = README.split("\n## ")[1]
    assert first_section.startswith("Quick start")
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", first_section, flags=re.S)
    commands = [line.strip() for block in blocks for line in block.splitlines() if line.strip()]
    assert commands == ["make run", "make test"]

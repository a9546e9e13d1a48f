"""The analytics package's three layers import only downward, and no two of its modules import each other.

metrics (pure definitions: rows in, integers out) < models < rollups (write side: change-feed listeners, the rebuild,
snapshots) < reports (read side: what pages, the API and the CLI show). Imports are read with `ast`, function-level
ones included: a lazy import hides a loop from Python, not from the layering.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "src" / "storelens"
ANALYTICS = ROOT / "analytics"
LAYERS = ("metrics", "models", "rollups", "reports")  # lowest first


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every `storelens.…` module this file imports, at any depth (`from pkg import mod` counts as pkg.mod)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("storelens")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("storelens"):
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


def analytics_modules() -> dict[str, set[str]]:
    """Module → the analytics modules it imports (names that are not modules are dropped)."""
    files = [p for p in ANALYTICS.rglob("*.py") if "migrations" not in p.parts]
    names = {module_name(p): p for p in files}
    return {name: {m for m in imports_of(path) if m in names and m != name} for name, path in names.items()}


def layer(module: str) -> int | None:
    part = module.split(".")[2] if module.count(".") >= 2 else ""
    return LAYERS.index(part) if part in LAYERS else None


def test_each_layer_imports_only_the_layers_below_it() -> None:
    upward = [
        f"{module} imports {target}"
        for module, targets in analytics_modules().items()
        for target in targets
        if layer(module) is not None and layer(target) is not None and layer(target) > layer(module)  # type: ignore[operator]
    ]
    assert upward == []


def test_metrics_stay_pure() -> None:
    """Definitions read rows and settings, never the database: no model, no query, no Django ORM."""
    offenders = []
    for path in (ANALYTICS / "metrics").rglob("*.py"):
        for name in imports_of(path):
            if name.startswith("storelens.analytics.models") or ".models" in name:
                offenders.append(f"{module_name(path)} imports {name}")
        if "django.db.models" in path.read_text().replace("django.db.models import TextChoices", ""):
            offenders.append(f"{module_name(path)} uses the ORM")
    assert offenders == []


def test_no_two_analytics_modules_import_each_other_even_through_others() -> None:
    graph = analytics_modules()
    loops = []

    def walk(node: str, stack: list[str], seen: set[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in stack:
                loops.append(" → ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in seen:
                seen.add(nxt)
                walk(nxt, [*stack, nxt], seen)

    for start in sorted(graph):
        walk(start, [start], {start})
    assert loops == []


@pytest.mark.parametrize("package", ["analytics", "dashboard", "api"])
def test_no_module_is_longer_than_450_lines(package: str) -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / package).rglob("*.py")
        if "migrations" not in p.parts and (n := len(p.read_text().splitlines())) > 450
    }
    assert long == {}

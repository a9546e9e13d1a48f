"""The package layout shows the data flow: each package imports only packages below it, and no modules import each
other in a loop, whether between packages or inside one (read from the source with `ast`, function-level imports
included, so a loop cannot hide behind a late import). docs/architecture.md explains the layers.

Templates import too: `{% load lib %}` runs the tag library `lib` of whichever app defines it (Django finds it by
name across every installed app), so a template's loads count as imports of the defining package under the same
layer rules; otherwise a template could lean on a package above its own and no Python import would show it.

Beside this test, tests/woocommerce checks that `storelens.woocommerce` never imports Django.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "storelens"

# Lowest first. A package may import from its own layer entry only when that entry is itself (one package per entry
# unless named together, and packages named together must not import each other).
LAYERS: list[tuple[str, ...]] = [
    ("__init__", "config", "crypto"),
    ("settings",),
    ("mail",),
    ("woocommerce",),
    ("accounts",),
    ("stores",),
    ("commerce",),
    ("analytics",),
    ("sync",),
    ("doctor",),
    ("connector",),
    ("alerts",),
    ("dashboard", "api"),
    ("server",),
    ("urls", "asgi", "cli"),
    ("__main__",),
]
LAYER_OF = {package: depth for depth, names in enumerate(LAYERS) for package in names}
# The fake store is a separate top-level package; Storelens reaches it only from the command line.
MAY_IMPORT_FAKESTORE = {"cli"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module `name` imports (absolute, resolved to the deepest module that exists), wherever the import sits."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from pkg import mod` imports the module; `from mod import name` imports `mod`.
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in known and target != name:
                found.add(target)
            elif target.split(".")[0] == "fakestore":
                found.add("fakestore")
    return found


def import_graph() -> dict[str, set[str]]:
    modules = source_modules()
    known = set(modules) | {"fakestore"}
    return {name: imports_of(name, path, known) for name, path in modules.items()}


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def tag_libraries() -> dict[str, list[str]]:
    """Library name → every module defining it (more than one is a clash: Django keeps one, silently)."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("templatetags/*.py")):
        if path.name != "__init__.py":
            found.setdefault(path.stem, []).append(module_name(path))
    return found


TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}", re.DOTALL)
LOAD = re.compile(r"\{%\s*load\s+(.*?)\s*%\}", re.DOTALL)


def loaded_libraries(text: str) -> set[str]:
    """The library names a template's `{% load a b %}` and `{% load name from lib %}` tags load (not in comments)."""
    names: set[str] = set()
    for match in LOAD.finditer(TEMPLATE_COMMENT.sub("", text)):
        words = match.group(1).split()
        names |= {words[-1]} if len(words) > 2 and words[-2] == "from" else set(words)
    return names


def template_graph() -> dict[str, set[str]]:
    """Template (as `storelens.<app>.templates/<name>`) → the tag-library modules of ours it loads; Django's own
    libraries (static, i18n, …) are not ours and are left out."""
    libraries = {name: modules[0] for name, modules in tag_libraries().items()}
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.glob("*/templates/**/*")):
        if path.is_file():
            app_dir = path.relative_to(PACKAGE).parts[0]
            label = f"storelens.{app_dir}.templates/{path.relative_to(PACKAGE / app_dir / 'templates').as_posix()}"
            loads = loaded_libraries(path.read_text(encoding="utf-8"))
            graph[label] = {libraries[name] for name in loads if name in libraries}
    return graph


def loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_package_has_a_layer() -> None:
    packages = {package_of(m) for m in source_modules()}
    assert packages - set(LAYER_OF) == set(), "add the new package to LAYERS here and to docs/architecture.md"


def test_no_package_imports_a_package_above_it_or_beside_it() -> None:
    """Python imports and templates' `{% load %}` alike."""
    upward = []
    for module, targets in (import_graph() | template_graph()).items():
        here = package_of(module)
        for target in targets:
            if target == "fakestore":
                if here not in MAY_IMPORT_FAKESTORE:
                    upward.append(f"{module} imports the fake store")
                continue
            there = package_of(target)
            if there != here and LAYER_OF[there] >= LAYER_OF[here]:
                upward.append(f"{module} ({here}) imports {target} ({there})")
    assert upward == []


def test_no_modules_import_each_other_in_a_loop() -> None:
    assert loops(import_graph()) == []


def test_no_two_apps_define_a_tag_library_of_the_same_name() -> None:
    clashes = {name: modules for name, modules in tag_libraries().items() if len(modules) > 1}
    assert clashes == {}, "`{% load name %}` would run only one of them; rename one"


def test_template_loads_are_found_where_the_templates_are() -> None:
    """The template check reads real files: the mail layout loads mail_layout, defined in storelens.mail."""
    graph = template_graph()
    assert graph["storelens.mail.templates/mail/layout.html"] == {"storelens.mail.templatetags.mail_layout"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{% load static insights %}<p>", {"static", "insights"}),
        ("{% extends 'base.html' %}{%load  a\n b%}{% load c %}", {"a", "b", "c"}),
        ("{% load money count from insights %}", {"insights"}),
        ("{# {% load hidden %} #}{% comment %}{% load also_hidden %}{% endcomment %}{% load shown %}", {"shown"}),
        ("{{ load }} {% if load %}", set()),
    ],
)
def test_the_load_reader_reads_load_tags(text: str, expected: set[str]) -> None:
    assert loaded_libraries(text) == expected


def test_the_fake_store_imports_nothing_from_storelens() -> None:
    offenders = []
    for path in (SRC / "fakestore").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            offenders += [f"{path.relative_to(SRC)}: {n}" for n in names if n.split(".")[0] in ("storelens", "django")]
    assert offenders == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_the_loop_finder_finds_loops(graph: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert loops(graph) == expected


def test_no_module_is_over_450_lines() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in SRC.rglob("*.py")
        if "migrations" not in p.parts and (n := len(p.read_text(encoding="utf-8").splitlines())) > 450
    }
    assert long == {}, "split the module where its job divides"


def test_no_module_only_re_exports_names() -> None:
    """A module whose body is imports (and `__all__`) gives each name a second address; import from the owner."""
    only_imports = []
    for path in SRC.rglob("*.py"):
        body = ast.parse(path.read_text(encoding="utf-8")).body
        statements = [
            s
            for s in body
            if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))  # docstring
            and not (isinstance(s, ast.ImportFrom) and s.module == "__future__")
        ]
        imports = [s for s in statements if isinstance(s, ast.Import | ast.ImportFrom)]
        rest = [
            s
            for s in statements
            if s not in imports
            and not (isinstance(s, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in s.targets))
        ]
        if imports and not rest:
            only_imports.append(str(path.relative_to(SRC)))
    assert only_imports == []


def test_no_private_name_is_imported_from_another_module() -> None:
    """`from x import _y` makes a module's private helper someone else's API without saying so: give it a public name
    in the module that owns it (a name used across modules has one public home)."""
    private = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                ours = node.level > 0 or (node.module or "").split(".")[0] in {"storelens", "fakestore"}
                private += [
                    f"{path.relative_to(SRC)}: {node.module} {a.name}"
                    for a in node.names
                    if ours and a.name.startswith("_") and not a.name.startswith("__")
                ]
    assert private == []

"""The shape of the code: no import cycles between first-party modules, dependencies one way only
(../shared/ARCHITECTURE.md), and every model field documented with ``help_text``.

The import graph is read from the source with ``ast``, imports inside functions included (an import
hidden in a function is still a cycle: it only moves the failure from start-up to first use). Imports
under ``if TYPE_CHECKING:`` never run, so they do not count for cycles; they still count for layering
(a layer that names a higher one in its annotations knows it).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The packages that make up the project, found on disk so that a new app is checked without being listed
# here; tests, migrations, bench/ and scripts/ are not part of the graph.
PACKAGES = tuple(sorted(p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name != "tests"))

# Import edges that are known cycles being mended elsewhere, each naming where. Remove an entry once the
# cycle is gone (test_allowed_cycle_edges_still_exist fails then, so none outlives its fix).
ALLOWED_CYCLE_EDGES: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class Import:
    target: str
    line: int
    type_checking_only: bool


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _first_party_files() -> dict[str, Path]:
    files = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.relative_to(ROOT).parts:
                continue
            files[_module_name(path)] = path
    return files


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement anywhere in ``tree`` (functions included), and whether it sits under
    ``if TYPE_CHECKING:``."""

    def walk(node: ast.AST, guarded: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, guarded
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                yield from walk(child, True)
            for child in node.orelse:
                yield from walk(child, guarded)
            return
        for child in ast.iter_child_nodes(node):
            yield from walk(child, guarded)

    yield from walk(tree, False)


def imports_of(module: str, source: str, *, is_package: bool, known: Iterable[str]) -> list[Import]:
    """The first-party modules ``module`` imports, resolved to the most specific known module:
    ``from core import workdays`` is an edge to ``core.workdays``, ``from core.models import User`` to
    ``core.models``."""
    known = set(known)

    def resolve(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    found: list[Import] = []
    for node, guarded in _import_nodes(ast.parse(source)):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                if not is_package:
                    anchor = anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            candidates = [f"{base}.{alias.name}" for alias in node.names]
        for candidate in candidates:
            target = resolve(candidate)
            if target is not None and target != module:
                found.append(Import(target=target, line=node.lineno, type_checking_only=guarded))
    return found


def _project_imports() -> dict[str, dict[str, Import]]:
    files = _first_party_files()
    graph: dict[str, dict[str, Import]] = {}
    for module, path in files.items():
        edges = imports_of(module, path.read_text(), is_package=path.name == "__init__.py", known=files)
        graph[module] = {}
        for edge in edges:
            graph[module].setdefault(edge.target, edge)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of modules that import each other, directly or not (Tarjan); single modules left out."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return components


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (``[a, b, ..., a]``) per group of modules that import each other: the shortest way
    back to the group's first module."""
    cycles = []
    for component in strongly_connected(graph):
        start = min(component)
        paths = {start: [start]}
        queue = [start]
        cycle = None
        while queue and cycle is None:
            current = queue.pop(0)
            for nxt in sorted(graph.get(current, ())):
                if nxt == start:
                    cycle = [*paths[current], start]
                    break
                if nxt in component and nxt not in paths:
                    paths[nxt] = [*paths[current], nxt]
                    queue.append(nxt)
        assert cycle is not None
        cycles.append(cycle)
    return cycles


def _runtime_graph(
    imports: dict[str, dict[str, Import]], allowed: set[tuple[str, str]]
) -> dict[str, set[str]]:
    return {
        module: {
            target
            for target, edge in edges.items()
            if not edge.type_checking_only and (module, target) not in allowed
        }
        for module, edges in imports.items()
    }


def _describe(cycle: list[str], imports: dict[str, dict[str, Import]]) -> str:
    files = _first_party_files()
    steps = [
        f"  {a} -> {b}  ({files[a].relative_to(ROOT)}:{imports[a][b].line})"
        for a, b in zip(cycle, cycle[1:], strict=False)
    ]
    return " -> ".join(cycle) + "\n" + "\n".join(steps)


# -- the checker itself ---------------------------------------------------------------------------------


def test_imports_inside_functions_and_relative_imports_are_edges():
    source = (
        "from typing import TYPE_CHECKING\n"
        "from . import roles\n"
        "from .access import ScopeRule\n"
        "import disputes.models\n"
        "if TYPE_CHECKING:\n"
        "    from documents.models import Document\n"
        "def f():\n"
        "    from core.workdays import add_days\n"
    )
    known = {"core", "core.roles", "core.access", "core.models", "core.workdays", "disputes.models"}
    known |= {"documents.models"}
    edges = imports_of("core.models", source, is_package=False, known=known)
    assert {(e.target, e.type_checking_only) for e in edges} == {
        ("core.roles", False),
        ("core.access", False),
        ("disputes.models", False),
        ("documents.models", True),
        ("core.workdays", False),
    }


def test_find_cycles_names_each_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"e"}, "e": {"d"}, "f": {"a"}}
    assert sorted(find_cycles(graph)) == [["a", "b", "c", "a"], ["d", "e", "d"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


# -- the project ------------------------------------------------------------------------------------------


def test_no_import_cycles():
    imports = _project_imports()
    cycles = find_cycles(_runtime_graph(imports, ALLOWED_CYCLE_EDGES))
    assert not cycles, "import cycles between first-party modules:\n" + "\n".join(
        _describe(c, imports) for c in cycles
    )


def test_allowed_cycle_edges_still_exist():
    """An allow-list entry whose cycle is gone must be removed, or it would hide the next one."""
    full = _runtime_graph(_project_imports(), set())
    groups = strongly_connected(full)
    stale = {
        (a, b)
        for a, b in ALLOWED_CYCLE_EDGES
        if b not in full.get(a, set()) or not any({a, b} <= group for group in groups)
    }
    assert not stale, f"no longer part of a cycle, remove from ALLOWED_CYCLE_EDGES: {sorted(stale)}"


def _app_of(module: str) -> str:
    return module.partition(".")[0]


# What each layer must not import (../shared/ARCHITECTURE.md: upward imports never happen). core knows
# no app at all; documents and deadlines, generic capabilities, know no case (nor each other); disputes
# knows no app built on it.
APPS_ON_DISPUTES = {"hearings", "legal_aid", "followups", "linkage", "reports", "demo"}
FORBIDDEN = {
    "core": set(PACKAGES) - {"core", "config"},
    "notifications": {"documents", "deadlines", "disputes"} | APPS_ON_DISPUTES,
    "documents": {"disputes"} | APPS_ON_DISPUTES,
    "deadlines": {"documents", "disputes"} | APPS_ON_DISPUTES,
    "disputes": APPS_ON_DISPUTES,
}


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_nothing_above_it(layer):
    imports = _project_imports()
    files = _first_party_files()
    upward = [
        f"{files[module].relative_to(ROOT)}:{edge.line} imports {target}"
        for module, edges in sorted(imports.items())
        if _app_of(module) == layer
        for target, edge in sorted(edges.items())
        if _app_of(target) in FORBIDDEN[layer]
    ]
    assert not upward, f"{layer} must not import {sorted(FORBIDDEN[layer])}:\n" + "\n".join(upward)


@pytest.mark.parametrize("top", ["reports", "demo"])
def test_nothing_imports_the_top_layers(top):
    imports = _project_imports()
    files = _first_party_files()
    importers = [
        f"{files[module].relative_to(ROOT)}:{edge.line} imports {target}"
        for module, edges in sorted(imports.items())
        if _app_of(module) not in (top, "bench")  # the benchmarks measure the top layers, as the tests do
        for target, edge in sorted(edges.items())
        if _app_of(target) == top
    ]
    assert not importers, f"nothing may import {top}:\n" + "\n".join(importers)


# -- models -------------------------------------------------------------------------------------------------


def _third_party_field_names(model) -> set[str]:
    """Fields a model inherits from a third-party abstract model (``AbstractUser``'s password, email, …):
    documented by that package, not ours."""
    names: set[str] = set()
    for base in model.__mro__[1:]:
        meta = getattr(base, "_meta", None)
        if meta is not None and meta.abstract and base.__module__.partition(".")[0] not in PACKAGES:
            names |= {f.name for f in meta.local_fields + meta.local_many_to_many}
    return names


def test_every_model_field_has_help_text():
    """The admin, the API schema and the next developer read what a field is for from ``help_text``.
    simple-history's generated Historical* models copy the fields, help text included."""
    from django.apps import apps

    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in PACKAGES or model.__name__.startswith("Historical"):
            continue
        inherited = _third_party_field_names(model)
        for field in model._meta.get_fields():
            if field.auto_created or not field.concrete or field.name in inherited:
                continue
            if not str(field.help_text).strip():
                missing.append(f"{model._meta.label}.{field.name}")
    assert not missing, f"{len(missing)} fields have no help_text:\n" + "\n".join(missing)

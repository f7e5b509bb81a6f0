"""The package's import graph: stage subpackages, no cycle, each layer importing only the layers below it."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "src" / "brochure_press"
#: Each layer may import from the layers before it, never from those after it.
LAYERS = ("core", "compose", "pdf", "preflight", "render", "web", "build", "editor", "cli")


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(node: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """The dotted names one import statement reaches, in every form: `import a.b`, `from a import b` and the
    relative `from . import b`, `from ..a import b`, resolved against the importing module."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            parts = module.split(".")[: len(module.split(".")) - node.level + is_package]
            base = ".".join([*parts, base] if base else parts)
        for alias in node.names:
            yield f"{base}.{alias.name}"
            yield base


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module → the package's modules it imports, at top level or inside functions."""
    modules = {module_name(p, package): p for p in package.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        targets = {t for node in ast.walk(ast.parse(path.read_text())) for t in imported_names(node, name, is_package)}
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


GRAPH = import_graph()


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_the_import_graph_has_no_cycle() -> None:
    graph = GRAPH
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target) :], target] if target in trail else [node, target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_module_imports_a_later_layer(module: str) -> None:
    mine = layer(module)
    later = sorted(t for t in GRAPH[module] if mine is not None and (layer(t) or 0) > mine)
    assert later == [], f"{module} reaches up into {later}"


@pytest.mark.parametrize(
    "statement",
    [
        "from ..cli import main",
        "from ..cli.common import run",
        "import brochure_press.cli.common",
        "from brochure_press import cli",
    ],
)
def test_every_import_form_is_read(tmp_path: Path, statement: str) -> None:
    package = tmp_path / "brochure_press"
    for module in ("__init__", "core/__init__", "core/model", "cli/__init__", "cli/common"):
        (package / f"{module}.py").parent.mkdir(parents=True, exist_ok=True)
        (package / f"{module}.py").write_text("")
    (package / "core" / "model.py").write_text(f"def f() -> None:\n    {statement}\n")
    assert import_graph(package)["brochure_press.core.model"] & {"brochure_press.cli", "brochure_press.cli.common"}


def test_no_module_is_over_400_lines() -> None:
    long = {module_name(p): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text().splitlines())) > 400}
    assert long == {}

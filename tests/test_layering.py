"""The package's import graph: no circles, and imports only run from a higher layer down to a lower one.

The layer order is written once, here (``LAYERS``, top first). A module belongs to the layer of the
longest package prefix that names it. Imports inside functions count as much as top-level ones, and
``if TYPE_CHECKING:`` imports count too: a circle in types is still a circle for the reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PKG = SRC / "vidgist"

#: top first; a module may import modules of its own layer (no circles) or of any layer below
LAYERS: list[tuple[str, ...]] = [
    ("vidgist", "vidgist.__main__", "vidgist.cli"),  # the public API and the command line
    ("vidgist.serve", "vidgist.batch"),  # HTTP API and web page; collections on an engine (local, Ray)
    ("vidgist.library",),  # the searchable video library
    ("vidgist.train", "vidgist.datasets"),  # training loops; dataset builders that run the pipeline
    ("vidgist.summarize", "vidgist.qms"),  # the two products: summaries and query suggestions
    ("vidgist.scorers",),  # frame scorers over backbone features
    ("vidgist.backbones", "vidgist.models"),  # feature extractors; torch modules without I/O
    ("vidgist.eval",),  # the field's metrics and protocols (numpy, scipy)
    ("vidgist.media", "vidgist.data"),  # reading and writing media; dataset file formats
    ("vidgist.util", "vidgist.types", "vidgist.errors", "vidgist.version"),  # used by every layer
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def known_modules() -> dict[str, Path]:
    return {module_name(p): p for p in PKG.rglob("*.py")}


def imported_modules(path: Path, modules: dict[str, Path]) -> set[str]:
    """vidgist modules that ``path`` imports anywhere in its body (``from pkg import mod`` names mod)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            targets = [
                f"{origin}.{a.name}" if f"{origin}.{a.name}" in modules else origin for a in node.names
            ]
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target.startswith("vidgist") and target != name:
                found.add(target)
    return found


def layer_of(module: str) -> int:
    best, best_len = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if prefix == "vidgist" and module != "vidgist":
                continue  # the root package is its own layer; its subpackages are listed on their own
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    return best


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = known_modules()
    return {name: imported_modules(path, modules) for name, path in modules.items()}


def test_every_module_has_a_layer(graph: dict[str, set[str]]) -> None:
    unplaced = sorted(m for m in graph if layer_of(m) < 0)
    assert not unplaced, f"modules outside every layer (add their package to LAYERS): {unplaced}"


def test_imports_only_run_down(graph: dict[str, set[str]]) -> None:
    upward = [
        f"{m} ({LAYERS[layer_of(m)][0]}) imports {d} ({LAYERS[layer_of(d)][0]})"
        for m, deps in sorted(graph.items())
        for d in sorted(deps)
        if layer_of(d) < layer_of(m)
    ]
    assert not upward, "imports from a lower layer into a higher one:\n" + "\n".join(upward)


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                return stack[stack.index(dep) :] + [dep]
            if dep not in state and (cycle := visit(dep)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_circles(graph: dict[str, set[str]]) -> None:
    cycle = find_cycle(graph)
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_the_checker_sees_circles_and_upward_imports() -> None:
    """The checks above are real: a made-up graph with a circle and an upward import fails them."""
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    assert layer_of("vidgist.media.video") > layer_of("vidgist.summarize.pipeline")
    assert layer_of("vidgist.cli.main") == 0 and layer_of("vidgist") == 0


def test_root_package_holds_only_the_public_api_and_base_helpers() -> None:
    flat = sorted(p.name for p in PKG.glob("*.py"))
    assert flat == ["__init__.py", "__main__.py", "errors.py", "types.py", "version.py"], flat

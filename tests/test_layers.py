"""The package's layers: every import of mockvoice's own modules points down the pipeline.

    errors, clock → matching → scenario → audio → speech → analysis → session → rehearse → cli

A module may import from its own layer or any layer below it, never above; no module imports
another's private name; the project's own imports sit at the top of the file (only heavy
third-party libraries are imported lazily); and there is no import cycle, even within a layer.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "mockvoice"
LAYERS = ("matching", "scenario", "audio", "speech", "analysis", "session", "rehearse", "cli")
BASE = (
    "mockvoice",
    "mockvoice.errors",
    "mockvoice.clock",
    "mockvoice.lazy",
    "mockvoice.process",
    "mockvoice.__main__",
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _layer(module: str) -> int:
    """0 for the base modules, then 1.. in pipeline order; __main__ sits on top."""
    if module == "mockvoice.__main__":
        return len(LAYERS) + 1
    if module in BASE:
        return 0
    return LAYERS.index(module.split(".")[1]) + 1


def _imports(path: Path) -> list[tuple[ast.AST, str, str, bool]]:
    """(node, imported module, name, at top level) for each import of a mockvoice module,
    counting `x = lazy("mockvoice.…")` (mockvoice/lazy.py: loaded on first use) as one."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    top |= {id(n.value) for n in tree.body if isinstance(n, ast.Assign)}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "lazy" and node.args:
            target = getattr(node.args[0], "value", "")
            out.append((node, target, "", id(node) in top))
        if isinstance(node, ast.Import):
            out += [(node, a.name, "", id(node) in top) for a in node.names if a.name.startswith("mockvoice")]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mockvoice"):
            for alias in node.names:
                target = f"{node.module}.{alias.name}"
                out.append((node, target if target in MODULES else node.module, alias.name, id(node) in top))
    return out


def test_the_layout_is_the_pipeline() -> None:
    packages = sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").exists())
    assert packages == sorted(LAYERS)
    loose = sorted(
        m for m in MODULES if m.count(".") == 1 and m not in BASE and m.split(".")[1] not in LAYERS
    )
    assert loose == [], f"modules outside the layers: {loose}"


def test_imports_point_down_only() -> None:
    upward = [
        f"{name} imports {target} (layer {_layer(target)} > {_layer(name)})"
        for name, path in MODULES.items()
        for _, target, _, _ in _imports(path)
        if target in MODULES and _layer(target) > _layer(name)
    ]
    assert upward == []


def test_own_imports_sit_at_the_top() -> None:
    inner = [
        f"{path.relative_to(SRC)}:{node.lineno} {target}"
        for path in MODULES.values()
        for node, target, _, top in _imports(path)
        if not top
    ]
    assert inner == []


def test_no_private_name_is_imported_from_another_module() -> None:
    private = [
        f"{name} imports {target}.{imported}"
        for name, path in MODULES.items()
        for _, target, imported, _ in _imports(path)
        if imported.startswith("_") and imported != "__version__"
    ]
    assert private == []


def test_no_import_cycles() -> None:
    graph = {
        name: {t for _, t, _, _ in _imports(path) if t in MODULES and t != name and t != "mockvoice"}
        for name, path in MODULES.items()
    }
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")


def test_the_check_catches_an_upward_import(tmp_path: Path) -> None:
    """Not vacuous: the same walk finds an upward import and an inner one when there is one."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from mockvoice.cli.main import app\nui = lazy('mockvoice.cli.ui')\n\n"
        "def f():\n    from mockvoice.errors import UsageError\n"
    )
    found = sorted((t, top) for _, t, _, top in _imports(probe))
    assert found == [("mockvoice.cli.main", True), ("mockvoice.cli.ui", True), ("mockvoice.errors", False)]
    assert _layer("mockvoice.cli.main") > _layer("mockvoice.matching.phrases")

"""The package's shape, checked: imports point down (core → workers → state → ui; the CLI uses core only), core has
no Qt, and no two modules import each other, directly or round a longer circle (imports under TYPE_CHECKING, which
only the type checker follows, aside). Function-level imports count: they are circles too, only later ones."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "aigc_desktop"
LAYER_ORDER = {"core": 0, "workers": 1, "state": 2, "ui": 3}
# What each top-level area may import from the package (besides itself).
ALLOWED = {
    "core": {"core"},
    "workers": {"core", "workers"},
    "state": {"core", "workers", "state"},
    "ui": {"core", "workers", "state", "ui", "logging_setup"},
    "cli": {"cli", "core", "logging_setup"},
}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The package modules `path` imports at run time (resolving `from pkg import module`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
        else:
            continue
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name.startswith("aigc_desktop.") or name == "aigc_desktop":
                found.add(name)
    return found


def graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(files)
    return {name: imports_of(path, modules) - {name} for name, path in files.items()}


def area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_imports_point_down() -> None:
    wrong = []
    for module, targets in graph().items():
        allowed = ALLOWED.get(area(module))
        if allowed is None:
            continue  # app.py, __main__, logging_setup: the entry points may import anything
        wrong += [f"{module} → {t}" for t in targets if area(t) and area(t) not in allowed]
    assert not wrong, "\n".join(sorted(wrong))


def test_core_has_no_qt() -> None:
    qt = [
        str(p.relative_to(PACKAGE))
        for p in (PACKAGE / "core").rglob("*.py")
        if "PySide6" in p.read_text(encoding="utf-8")
    ]
    assert not qt, qt


def test_no_import_cycles() -> None:
    g = graph()
    # Package __init__ modules that only hold a docstring are not edges worth following; real ones are.
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(g.get(node, ())):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(g):
        if node not in state:
            visit(node)
    assert not cycles, "\n".join(" → ".join(c) for c in cycles)

"""The module graph stays visible: no import cycle among the core's modules (type-only imports and the one
deprecation shim aside), and the model, converter, loading and evidence modules stay apart."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).parent.parent / "src" / "corengine"


def _runtime_imports(tree: ast.AST) -> set[str]:
    """Modules of the package imported at run time: ``if TYPE_CHECKING:`` blocks and a module ``__getattr__``
    (a deprecation shim) are left out."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and getattr(child.test, "id", None) == "TYPE_CHECKING":
                continue
            if isinstance(child, ast.FunctionDef) and child.name == "__getattr__":
                continue
            if isinstance(child, ast.ImportFrom) and child.level == 1:
                if child.module:
                    found.add(child.module.split(".")[0])
                else:
                    found.update(alias.name for alias in child.names)
            visit(child)

    visit(tree)
    return found


def graph() -> dict[str, set[str]]:
    return {path.stem: _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))) for path in SRC.glob("*.py")}


def test_no_module_of_the_core_imports_itself_back_through_others() -> None:
    edges = graph()
    cycles = []
    for start in edges:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for dep in edges.get(node, ()):
                if dep == start:
                    cycles.append(" -> ".join([*path, dep]))
                elif dep not in path:
                    stack.append((dep, [*path, dep]))
    assert cycles == []


def test_the_data_modules_import_no_module_that_uses_them() -> None:
    edges = graph()
    assert edges["findings"] == set()
    assert edges["themes"] == set()
    assert edges["dates"] == set()
    assert edges["validators"] == {"themes"}
    assert "model" not in edges["converter"] and "model" not in edges["loading"]

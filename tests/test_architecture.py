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


PLUGINS = Path(__file__).parent.parent / "plugins"
PUBLIC = {"corengine.plugin", "corengine.hookimpl"}
"""What a bundled plugin may import from the core: the public plugin API (and the marker from the top level)."""


def _core_imports(tree: ast.AST) -> set[str]:
    """Every module of the core a source file imports, at run time or for type checking."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "corengine":
                found.update(f"corengine.{alias.name}" for alias in node.names)
            elif node.module.startswith("corengine."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "corengine")
    return found


def test_the_bundled_plugins_import_only_the_public_plugin_api() -> None:
    sources = sorted(PLUGINS.glob("*/src/corengine_*/*.py"))
    assert len(sources) >= 10
    reached = {
        f"{path.relative_to(PLUGINS)}: {module}"
        for path in sources
        for module in _core_imports(ast.parse(path.read_text(encoding="utf-8")))
        if module not in PUBLIC
    }
    assert reached == set()


def test_the_check_of_plugin_imports_sees_every_way_to_reach_the_core() -> None:
    tree = ast.parse(
        "import corengine.model\nfrom corengine import eligibility\nfrom corengine.scoring import round_to\n"
        "from corengine.plugin import hookimpl\nif TYPE_CHECKING:\n    from corengine.standards import X\n"
    )
    assert _core_imports(tree) == {
        "corengine.model",
        "corengine.eligibility",
        "corengine.scoring",
        "corengine.plugin",
        "corengine.standards",
    }


def test_the_public_plugin_api_lists_every_name_it_defines_or_imports() -> None:
    import corengine.plugin as api

    tree = ast.parse((SRC / "plugin.py").read_text(encoding="utf-8"))
    bound = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.level == 1
        for alias in node.names
    }
    bound |= {node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)}
    assert sorted(api.__all__) == sorted(bound)
    assert all(getattr(api, name) is not None for name in api.__all__)

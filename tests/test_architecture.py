"""The layers hold: every module of the core imports only its own folder or a lower layer (at run time, lazily
inside a function, or for type checking alike), with no allow-list; and the bundled plugins import only the
public API. ``docs/architecture.md`` draws the same table."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import ROOT

SRC = ROOT / "src" / "corengine"

LAYERS = (
    "_compat",
    "_util",
    "errors",
    "_io",
    "model",
    "_rules",
    "_formats",
    "hookspecs",
    "_host",
    "_views",
    "_batch",
    "_kit",
    "_registry",
    "_http",
    "_cli",
    "testing",
    "plugin",
    "__init__",
)
"""Lowest first. A folder's modules may import one another; a top-level module is a layer of its own."""


def _part(module: str) -> str:
    """The layer of a dotted module of the package (``corengine._rules.scoring`` -> ``_rules``)."""
    parts = module.split(".")
    assert parts[0] == "corengine", module
    return "__init__" if len(parts) == 1 else parts[1]


def _imports(path: Path) -> set[str]:
    """Every module of the package that a source file imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                assert not path.is_relative_to(SRC), f"{path}: relative import; the core writes absolute imports"
                continue
            if node.module == "corengine":
                found.update(f"corengine.{alias.name}" for alias in node.names)
            elif node.module and node.module.startswith("corengine."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "corengine")
    return found


def _layer_of(path: Path, root: Path = SRC) -> str:
    relative = path.relative_to(root)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


SOURCES = sorted(SRC.rglob("*.py"))


def test_every_module_of_the_core_is_in_a_layer() -> None:
    assert {_layer_of(path) for path in SOURCES} == set(LAYERS)


def _upward(path: Path, root: Path = SRC) -> list[str]:
    own = LAYERS.index(_layer_of(path, root))
    names = _imports(path)
    if _layer_of(path, root) == "__init__":  # the public names are re-exported from every layer below
        return []
    return sorted(f"{module} ({_part(module)})" for module in names if LAYERS.index(_part(module)) > own)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(SRC).as_posix())
def test_a_module_imports_only_its_own_folder_or_a_lower_layer(path: Path) -> None:
    assert _upward(path) == []


def test_the_rule_sees_an_upward_import(tmp_path: Path) -> None:
    """The check itself can fail: a rules module that reaches the command line is caught, even inside a
    function (checked on a copy of the layout in a temporary folder, never in the package)."""
    (tmp_path / "_rules").mkdir()
    module = tmp_path / "_rules" / "not_a_real_module.py"
    module.write_text("def f():\n    from corengine._cli.main import cli\n    return cli\n", encoding="utf-8")
    assert _upward(module, tmp_path) == ["corengine._cli.main (_cli)"]
    module.write_text("from corengine._util.dates import in_force\n", encoding="utf-8")
    assert _upward(module, tmp_path) == []


def test_neither_http_nor_the_rules_import_the_command_line() -> None:
    reached = {
        f"{path.relative_to(SRC).as_posix()}: {module}"
        for path in SOURCES
        if _layer_of(path) in {"_http", "_rules", "_views", "_batch"}
        for module in _imports(path)
        if module.startswith("corengine._cli")
    }
    assert reached == set()


PLUGINS = ROOT / "plugins"
PUBLIC = {"corengine.plugin", "corengine.hookimpl"}
"""What a bundled plugin may import from the core: the public plugin API (and the marker from the top level)."""


def test_the_bundled_plugins_import_only_the_public_plugin_api() -> None:
    sources = sorted(PLUGINS.glob("*/src/corengine_*/*.py"))
    assert len(sources) >= 10
    reached = {f"{path.relative_to(PLUGINS)}: {module}" for path in sources for module in _imports(path)} - {
        f"{path.relative_to(PLUGINS)}: {module}" for path in sources for module in PUBLIC
    }
    assert reached == set()


def test_the_check_of_imports_sees_every_way_to_reach_the_core(tmp_path: Path) -> None:
    source = tmp_path / "example.py"
    source.write_text(
        "import corengine.model\nfrom corengine import eligibility\nfrom corengine._rules.scoring import round_to\n"
        "from corengine.plugin import hookimpl\nif TYPE_CHECKING:\n    from corengine._rules.standards import X\n"
        "def f():\n    import corengine._cli.main\n",
        encoding="utf-8",
    )
    assert _imports(source) == {
        "corengine.model",
        "corengine.eligibility",
        "corengine._rules.scoring",
        "corengine.plugin",
        "corengine._rules.standards",
        "corengine._cli.main",
    }


def test_the_public_plugin_api_lists_every_name_it_defines_or_imports() -> None:
    """``corengine.plugin`` loads its names on first use: each is listed in ``__all__``, in ``_HOMES`` (where it
    is loaded from) and in the ``TYPE_CHECKING`` imports (what type checkers see), and all three agree."""
    import importlib

    import corengine.plugin as api

    tree = ast.parse((SRC / "plugin.py").read_text(encoding="utf-8"))
    checking = [node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"]
    typed = {
        alias.asname or alias.name: (node.module or "", alias.name)
        for block in checking
        for node in block.body
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("corengine")
        for alias in node.names
    }
    assert sorted(api.__all__) == sorted(api._HOMES) == sorted(typed)
    for name in api.__all__:
        module, attribute = typed[name]
        assert getattr(api, name) is getattr(importlib.import_module(module), attribute), name


TABLES = {"dict", "set", "list", "defaultdict", "OrderedDict", "WeakKeyDictionary", "WeakValueDictionary"}
TABLES |= {"KeptFindings", "Plans", "Budget", "Responses", "Reuse", "WeakSet"}
"""Calls that make a table a module could fill as it runs."""


def _module_tables(path: Path, root: Path = SRC) -> list[str]:
    """Module-level names bound to an empty container or a cache object: state every Engine would share."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        value = getattr(node, "value", None)
        if value is None:
            continue
        empty = isinstance(value, ast.Dict | ast.Set | ast.List) and not (
            getattr(value, "keys", None) or getattr(value, "elts", None)
        )
        call = isinstance(value, ast.Call) and ast.unparse(value.func).split(".")[-1] in TABLES
        if empty or call:
            found += [f"{path.relative_to(root).as_posix()}: {ast.unparse(t)}" for t in targets]
    return found


def test_no_module_keeps_a_table_every_engine_would_share() -> None:
    """Caches belong to an Engine (``Engine.reuse``); a module-level table filled at run time would be shared by
    every Engine in the process and keyed by objects' identities across them."""
    assert [entry for path in SOURCES for entry in _module_tables(path)] == []


def test_the_table_check_sees_a_module_level_cache(tmp_path: Path) -> None:
    source = tmp_path / "example.py"
    source.write_text("KEPT = KeptFindings(limit=10)\nSEEN: set[int] = set()\nNAMES = ('a', 'b')\n", encoding="utf-8")
    assert _module_tables(source, tmp_path) == ["example.py: KEPT", "example.py: SEEN"]


JSON_PLUMBING = {
    "_cli/serve.py": "the service's settings, handed to its worker processes in an environment variable",
    "_formats/yaml_workbook.py": "a YAML double-quoted string (YAML's escapes are JSON's)",
}
"""The modules outside ``_views/`` and ``_io/`` that call :func:`json.dumps`, and why: none writes a document."""

WRITERS = {"dumps", "dump", "json_line", "export_line"}
"""The names of the calls that write JSON (``json.dumps``, ``render.dumps``, the views' one-line writers)."""


def _json_calls(path: Path, root: Path = SRC) -> list[str]:
    """``file:line: call`` for each call of ``json.dump``/``json.dumps`` (or of the names imported from ``json``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "json"
        for alias in node.names
        if alias.name in ("dump", "dumps")
    }
    return [
        f"{path.relative_to(root).as_posix()}:{node.lineno}: {ast.unparse(node.func)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id in imported)
            or (ast.unparse(node.func) in ("json.dump", "json.dumps"))
        )
    ]


def _own(scope: ast.AST) -> list[ast.AST]:
    """The nodes of a module or function, without those of the functions defined inside it (each its own scope)."""
    found: list[ast.AST] = []
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        found.append(node)
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            todo += ast.iter_child_nodes(node)
    return found


def _displays_written(path: Path, root: Path = SRC) -> list[str]:
    """``file:line`` for each JSON writer (:data:`WRITERS`) handed a dict or list built in place: a display or a
    comprehension, directly or through a name the same function bound to one."""
    found = []
    built = ast.Dict | ast.DictComp | ast.List | ast.ListComp
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))
    for scope in (tree, *functions):
        nodes = _own(scope)
        bound = {
            target.id
            for node in nodes
            if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, built)
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name)
        }
        for node in nodes:
            if not isinstance(node, ast.Call) or ast.unparse(node.func).split(".")[-1] not in WRITERS:
                continue
            if any(isinstance(a, built) or (isinstance(a, ast.Name) and a.id in bound) for a in node.args):
                found.append(f"{path.relative_to(root).as_posix()}:{node.lineno}")
    return sorted(set(found), key=lambda entry: (entry.split(":")[0], int(entry.split(":")[1])))


OUTSIDE_VIEWS = [path for path in SOURCES if _layer_of(path) not in ("_views", "_io")]


def test_json_is_written_in_views_and_io_only() -> None:
    """Every JSON document is an attrs class of ``_views/`` written there through the converter: outside
    ``_views/`` and ``_io/`` (strict reading, quoting in messages) only the named plumbing calls ``json.dumps``."""
    calls = [call for path in OUTSIDE_VIEWS for call in _json_calls(path)]
    assert {call.split(":")[0] for call in calls} == set(JSON_PLUMBING), calls


def test_no_json_writer_outside_views_is_handed_a_hand_built_dict() -> None:
    """``render.dumps`` and the views' line writers get a document's data (``unstructure(document)`` or a
    ``_views`` function's answer), never a dict or list put together beside the call (the plumbing aside)."""
    checked = [path for path in OUTSIDE_VIEWS if path.relative_to(SRC).as_posix() not in JSON_PLUMBING]
    assert [entry for path in checked for entry in _displays_written(path)] == []


def test_the_json_checks_see_a_hand_built_document(tmp_path: Path) -> None:
    source = tmp_path / "example.py"
    source.write_text(
        "import json\nfrom json import dumps as d\nfrom corengine._views import render\n"
        "def f(report):\n    data = {'target': report.target}\n    return render.dumps(data)\n"
        "def g(rows):\n    return json.dumps([r.name for r in rows]) + d({})\n"
        "def h(document):\n    data = unstructure(document)\n    return render.dumps(data)\n",
        encoding="utf-8",
    )
    assert _json_calls(source, tmp_path) == ["example.py:8: json.dumps", "example.py:8: d"]
    assert _displays_written(source, tmp_path) == ["example.py:6", "example.py:8"]

"""JSON Schemas for the audit workbook, the standard file, the score result and the action plan.

The workbook and standard schemas are generated from the attrs models (field docstrings become
descriptions), so they cannot drift from what the loader accepts; the result and plan schemas describe
the documents of :mod:`corengine._views.documents`. ``python -m corengine._views.schema DIR`` writes them; a test checks
the files in ``schemas/`` are current.
"""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import itertools
import json
import sys
import textwrap
import types
import typing
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import attrs

from corengine._views.documents import SCHEMA_VERSION, ResultDocument
from corengine._views.plan import PlanDocument
from corengine.model import Audit, EvidenceIndex, Jurisdiction, Standard
from corengine.model.converter import KEY

SCHEMA = "https://json-schema.org/draft/2020-12/schema"
BASE = "https://corengine.example/schemas/"
NUMBER = {
    "anyOf": [
        {"type": "number"},
        {"type": "string", "pattern": r"^\s*-?\d+(\.\d+)?(/\d+)?\s*$"},
    ],
    "description": "An exact number: 10, 7.5, or a fraction such as 7/10.",
}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}


@cache
def field_docs(cls: type) -> dict[str, str]:
    """Docstrings written under each field of an attrs class."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body  # type: ignore[attr-defined]
    docs = {}
    for node, after in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[node.target.id] = " ".join(after.value.value.split())
    return docs


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def type_schema(self, tp: Any) -> dict[str, Any]:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if tp is Any:
            return {}
        if tp is str:
            return {"type": "string"}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp is float:
            return {"type": "number"}
        if tp is Fraction:
            return dict(NUMBER)
        if tp is dt.date:
            return dict(DATE)
        if origin is typing.Literal:
            return {"const": args[0]} if len(args) == 1 else {"enum": list(args)}
        if origin in (types.UnionType, typing.Union):
            options = [self.type_schema(a) for a in args if a is not type(None)]
            schema = options[0] if len(options) == 1 else {"anyOf": options}
            return {"anyOf": [schema, {"type": "null"}]} if type(None) in args else schema
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                items = self.type_schema(args[0])
                if args[0] is str:
                    return {"anyOf": [{"type": "array", "items": items}, {"type": "string"}]}
                return {"type": "array", "items": items}
            return {"type": "array", "prefixItems": [self.type_schema(a) for a in args], "minItems": len(args)}
        if origin is dict:
            return {"type": "object", "additionalProperties": self.type_schema(args[1])}
        if attrs.has(tp):
            self.define(tp)
            ref = {"$ref": f"#/$defs/{tp.__name__}"}
            return {"anyOf": [{"type": "string"}, ref]} if hasattr(tp, "from_text") else ref
        raise TypeError(f"no schema for {tp!r}")

    def define(self, cls: type) -> None:
        if cls.__name__ in self.defs:
            return
        self.defs[cls.__name__] = {}
        hints = typing.get_type_hints(cls)
        docs = field_docs(cls)
        properties: dict[str, Any] = {}
        required = []
        for field in attrs.fields(cls):
            schema = self.type_schema(hints[field.name])
            if field.name in docs:
                schema = {**schema, "description": docs[field.name]}
            key = field.metadata.get(KEY, field.name)
            properties[key] = schema
            if field.default is attrs.NOTHING:
                required.append(key)
        doc = inspect.getdoc(cls) or ""
        self.defs[cls.__name__] = {
            "type": "object",
            "description": " ".join(doc.split()),
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }


def model_schema(cls: type, name: str, title: str) -> dict[str, Any]:
    """A JSON Schema whose root is ``cls``."""
    builder = _Builder()
    builder.define(cls)
    root = builder.defs.pop(cls.__name__)
    return {"$schema": SCHEMA, "$id": BASE + name, "title": title, **root, "$defs": dict(sorted(builder.defs.items()))}


def result_schema() -> dict[str, Any]:
    """The shape of ``corengine score --format json``, generated from :class:`corengine._views.documents.ResultDocument`."""
    schema = model_schema(ResultDocument, "result", "corengine score result")
    schema["properties"]["schema_version"] = {**schema["properties"]["schema_version"], "const": SCHEMA_VERSION}
    return schema


def all_schemas() -> dict[str, dict[str, Any]]:
    """File name -> schema, for everything ``schemas/`` holds."""
    return {
        "audit.schema.json": model_schema(Audit, "audit", "corengine audit workbook"),
        "standard.schema.json": model_schema(Standard, "standard", "corengine standard (audit document)"),
        "jurisdiction.schema.json": model_schema(Jurisdiction, "jurisdiction", "corengine jurisdiction data"),
        "result.schema.json": result_schema(),
        "plan.schema.json": model_schema(PlanDocument, "plan", "corengine action plan"),
        "evidence-index.schema.json": model_schema(
            EvidenceIndex, "evidence-index", "corengine employer evidence index"
        ),
    }


def render_schema(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    target = Path(argv[0] if argv else "schemas")
    target.mkdir(parents=True, exist_ok=True)
    for name, schema in all_schemas().items():
        (target / name).write_text(render_schema(schema), encoding="utf-8")
        print(f"wrote {target / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""JSON Schemas for the audit workbook, the standard file and the score result.

The workbook and standard schemas are generated from the attrs models (field docstrings become
descriptions), so they cannot drift from what the loader accepts; the result schema describes
:func:`corengine.render.result_json`. ``python -m corengine.schema DIR`` writes them; a test checks
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

from .model import Audit, EvidenceIndex, Jurisdiction, Standard
from .render import RESULT_FORMAT

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
        if tp is Fraction:
            return dict(NUMBER)
        if tp is dt.date:
            return dict(DATE)
        if origin is typing.Literal:
            return {"enum": list(args)}
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
            return {"$ref": f"#/$defs/{tp.__name__}"}
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
            properties[field.name] = schema
            if field.default is attrs.NOTHING:
                required.append(field.name)
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


def _finding() -> dict[str, Any]:
    from .model import Finding

    return model_schema(Finding, "finding", "Finding")


def result_schema() -> dict[str, Any]:
    """The shape of ``corengine score --format json``."""
    exact = {"type": "string", "pattern": r"^-?\d+(/\d+)?$", "description": "An exact value: 803 or 1606/2."}
    percent = {"type": ["number", "null"], "description": "Rounded half up to 2 places; for display only."}
    finding = _finding()
    question = {
        "type": "object",
        "required": ["id", "status", "earned", "available", "method", "explanation"],
        "properties": {
            "id": {"type": "string"},
            "status": {"enum": ["scored", "na", "excluded", "unanswered"]},
            "earned": exact,
            "available": exact,
            "method": {"type": "string"},
            "explanation": {"type": "string"},
        },
        "additionalProperties": False,
    }
    element = {
        "type": "object",
        "required": ["id", "title", "earned", "available", "percent", "minimum", "passed", "questions"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "earned": exact,
            "available": exact,
            "percent": percent,
            "percent_exact": {"anyOf": [exact, {"type": "null"}]},
            "minimum": {"type": ["number", "null"]},
            "passed": {"type": ["boolean", "null"]},
            "status": {"enum": ["pass", "fail", "advisory", "info", None]},
            "questions": {"type": "array", "items": question},
        },
        "additionalProperties": False,
    }
    return {
        "$schema": SCHEMA,
        "$id": BASE + "result",
        "title": "corengine score result",
        "type": "object",
        "required": ["format", "standard", "audit", "overall", "elements", "outcome"],
        "properties": {
            "format": {"const": RESULT_FORMAT},
            "standard": {
                "type": "object",
                "required": ["id", "version", "plugin", "extends"],
                "properties": {
                    "id": {"type": "string"},
                    "version": {"type": "string"},
                    "plugin": {"type": "string"},
                    "extends": {"type": "array", "items": {"type": "string"}},
                },
                "additionalProperties": False,
            },
            "audit": {
                "type": "object",
                "required": ["type", "program", "date", "employer", "auditor", "auditor_kind", "methods_used"],
                "properties": {
                    "type": {"type": "string"},
                    "program": {"type": "string"},
                    "date": DATE,
                    "employer": {"type": "string"},
                    "auditor": {"type": "string"},
                    "auditor_kind": {"type": "string"},
                    "methods_used": {"type": "array", "items": {"enum": ["D", "I", "O"]}},
                },
                "additionalProperties": False,
            },
            "overall": {
                "type": "object",
                "required": ["earned", "available", "percent"],
                "properties": {
                    "earned": exact,
                    "available": exact,
                    "percent": percent,
                    "percent_exact": {"anyOf": [exact, {"type": "null"}]},
                },
                "additionalProperties": False,
            },
            "elements": {"type": "array", "items": element},
            "outcome": {
                "type": "object",
                "required": ["passed", "certificate", "reasons"],
                "properties": {
                    "passed": {"type": "boolean"},
                    "certificate": {"type": ["string", "null"]},
                    "certificate_months": {"type": ["integer", "null"]},
                    "valid_until": {"anyOf": [DATE, {"type": "null"}]},
                    "program": {"type": "string"},
                    "rule": {"type": "string"},
                    "plugin": {"type": "string"},
                    "strict": {"type": "boolean", "description": "Whether advisories were made decisive."},
                    "advisories": {"type": "integer", "description": "Findings with status advisory."},
                    "reasons": {"type": "array", "items": {"$ref": "#/$defs/Finding"}},
                },
                "additionalProperties": False,
            },
        },
        "additionalProperties": False,
        "$defs": {
            "Finding": {k: v for k, v in finding.items() if not k.startswith("$") and k != "title"},
            **finding["$defs"],
        },
    }


def all_schemas() -> dict[str, dict[str, Any]]:
    """File name -> schema, for everything ``schemas/`` holds."""
    return {
        "audit.schema.json": model_schema(Audit, "audit", "corengine audit workbook"),
        "standard.schema.json": model_schema(Standard, "standard", "corengine standard (audit document)"),
        "jurisdiction.schema.json": model_schema(Jurisdiction, "jurisdiction", "corengine jurisdiction data"),
        "result.schema.json": result_schema(),
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

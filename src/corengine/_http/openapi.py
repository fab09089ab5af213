"""The OpenAPI 3.1 description of ``corengine serve``, built from the same generated JSON Schemas as ``schemas/``.

:data:`ENDPOINTS` lists every operation once, as data: the service routes them, :func:`openapi` describes them
and the offline docs page (``GET /docs``) is rendered from that description. Request and response bodies refer
to the schemas :mod:`corengine._views.schema` generates from the attrs models (the audit, the evidence index, the
standard, the score result, the action plan, the validation and verification answers, the eligibility and
sampling records, the problem record), embedded under
``components/schemas`` with their ``$defs`` lifted beside them (:func:`hoist`, so that every OpenAPI tool
resolves the references), so the service and the files in ``schemas/`` cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from attrs import frozen

from corengine._io.distributions import VERSION as __version__
from corengine._rules.eligibility import Answer
from corengine._rules.reciprocity import ReciprocityAnswer
from corengine._views.explain import ExplainDocument
from corengine._views.mapping import CrosswalkDocument, ReadinessDocument
from corengine._views.payloads import (
    PluginLine,
    ProblemDocument,
    SampleRequest,
    StandardLine,
    ValidationDocument,
    VerificationDocument,
)
from corengine._views.schema import all_schemas, model_schema
from corengine._views.standard import StandardInForceExtras
from corengine.errors import Problem
from corengine.model import EligibilityRequest, SamplePlan

PROBLEM_BASE = "/problems/"
"""Where the ``type`` of every problem document starts (RFC 9457): a path of the service itself, a URI reference
resolved against the request's URL, whose page describes the kind the rest names (``GET /problems`` lists them).
It was ``https://corengine.example/problems/``, which led nowhere."""

AUDIT = "audit"
INDEX = "index"
VERIFY = "verify"
EMPLOYER = "employer"
"""Kinds of request body: an audit, an evidence index, an explanation and its audit, or a JSON request record."""
LETTER = "letter"
"""A request body that is a signed letter file (``POST /v1/letters/verify``)."""

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
"""The media type of an ``.xlsx`` workbook."""

UPLOAD_TYPES = {
    "application/json": ".json",
    "application/yaml": ".yaml",
    "application/x-yaml": ".yaml",
    "text/yaml": ".yaml",
    "text/x-yaml": ".yaml",
    XLSX: ".xlsx",
}
"""Media types of a file sent as the whole body, and the ending that chooses how it is read (as a file's name
chooses it for the CLI); ``multipart/form-data`` carries a named file instead."""


@frozen
class Param:
    """A query (or path) parameter of an operation."""

    name: str
    """The parameter's name."""
    description: str
    """What it means."""
    kind: str = "string"
    """``string``, ``date`` or ``boolean``."""
    where: str = "query"
    """``query`` or ``path``."""
    required: bool = False
    """Whether it must be given."""
    choices: tuple[str, ...] = ()
    """The values allowed, where only some are."""


@frozen
class Endpoint:
    """One operation of the service."""

    method: str
    """``GET`` or ``POST``."""
    path: str
    """The path, with ``{name}`` for a path parameter."""
    name: str
    """The operation id."""
    summary: str
    """One line."""
    cli: str
    """The command whose ``--format json`` output the response is."""
    response: str
    """The component schema of the 200 response (or a media type for a text response)."""
    params: tuple[Param, ...] = ()
    """Query and path parameters."""
    body: str | None = None
    """The kind of request body (:data:`AUDIT`, :data:`INDEX`, :data:`VERIFY`, :data:`EMPLOYER`), or None."""
    errors: tuple[int, ...] = ()
    """The problem statuses the operation itself may answer (beyond 401, 413, 415, 500, 503 for any request)."""


STRICT = Param(
    "strict",
    "Make advisories decisive (as `--strict`): `true`, `false`, or `on` as an HTML checkbox sends it.",
    "boolean",
)
ON = Param("on", "A date as YYYY-MM-DD (default today).", "date")

ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "GET",
        "/v1/standards",
        "listStandards",
        "The installed standards (audit documents).",
        "corengine standards --format json",
        "StandardList",
        (Param("province", "Only standards of this province code (AB, ON, BC...)."),),
        errors=(400,),
    ),
    Endpoint(
        "GET",
        "/v1/standards/{id}",
        "showStandard",
        "A standard with every extends applied, each question's answer form and the rules in force on a date.",
        "corengine show STANDARD --format json",
        "StandardInForce",
        (Param("id", "Standard id.", where="path", required=True), ON),
        errors=(400, 404),
    ),
    Endpoint(
        "GET",
        "/v1/standards/{id}/template.xlsx",
        "blankWorkbook",
        "The blank audit workbook of a standard: every question, with validations and prompts, to fill in and upload.",
        "corengine new STANDARD --program PROGRAM -o NAME.xlsx",
        XLSX,
        (
            Param("id", "Standard id.", where="path", required=True),
            Param("program", "The program the workbook is for (default: the standard's first)."),
        ),
        errors=(400, 404, 422),
    ),
    Endpoint(
        "GET",
        "/v1/plugins",
        "listPlugins",
        "Plugins: name, version, distribution, hooks implemented and standards provided.",
        "corengine plugins --format json",
        "PluginList",
    ),
    Endpoint(
        "POST",
        "/v1/validate",
        "validateAudit",
        "Check an audit: every problem at once. Answers 200 whether or not the audit is valid.",
        "corengine validate AUDIT --format json",
        "Validation",
        body=AUDIT,
        errors=(400,),
    ),
    Endpoint(
        "POST",
        "/v1/score",
        "scoreAudit",
        "Score an audit: elements, overall, outcome and every reason behind it.",
        "corengine score AUDIT --format json",
        "Result",
        (STRICT,),
        AUDIT,
        (400, 422),
    ),
    Endpoint(
        "POST",
        "/v1/explain",
        "explainAudit",
        "The checkable explanation of a result: versions and digests of the input and the standard.",
        "corengine explain AUDIT --format json",
        "Explanation",
        (STRICT,),
        AUDIT,
        (400, 422),
    ),
    Endpoint(
        "POST",
        "/v1/plan",
        "planAudit",
        "The action plan (every question below full marks, by impact) and the exact path to pass.",
        "corengine plan AUDIT --format json",
        "Plan",
        (STRICT,),
        AUDIT,
        (400, 422),
    ),
    Endpoint(
        "POST",
        "/v1/report",
        "reportAudit",
        "The audit report: one self-contained HTML page, or Markdown.",
        "corengine report AUDIT --format html|md",
        "text/html",
        (Param("format", "`html` (default) or `md`.", choices=("html", "md")), STRICT),
        AUDIT,
        (400, 422),
    ),
    Endpoint(
        "POST",
        "/v1/verify",
        "verifyExplanation",
        "Recompute an explanation from its audit and compare every field. Answers 200 whether or not they agree.",
        "corengine verify RESULT.json AUDIT",
        "Verification",
        body=VERIFY,
        errors=(400, 422),
    ),
    Endpoint(
        "POST",
        "/v1/eligibility",
        "checkEligibility",
        "Which program an employer qualifies for, and whether an audit may start.",
        "corengine eligibility --format json",
        "EligibilityAnswer",
        body=EMPLOYER,
        errors=(400, 404, 422),
    ),
    Endpoint(
        "GET",
        "/v1/reciprocity",
        "planReciprocity",
        "What a COR from one jurisdiction is worth in another: letters, documents, refusals, and the destination's "
        "standards to cross the evidence to.",
        "corengine reciprocity --format json",
        "ReciprocityAnswer",
        (
            Param("from", "The jurisdiction that issued the COR (AB, MB...).", required=True),
            Param("to", "The jurisdiction the employer wants to work in.", required=True),
            Param("program", "The certificate's program (COR, SECOR...); default: any."),
            Param("partner", "The home certifying partner, where its certificates are treated apart."),
            ON,
        ),
        errors=(400, 404),
    ),
    Endpoint(
        "POST",
        "/v1/sample",
        "planSample",
        "Minimum interviews, sites to visit and questionnaires allowed.",
        "corengine sample --format json",
        "SamplePlan",
        body=EMPLOYER,
        errors=(400, 404, 422),
    ),
    Endpoint(
        "POST",
        "/v1/readiness",
        "checkReadiness",
        "Check an employer's evidence index against a standard: covered, thin or missing, and an estimate.",
        "corengine readiness STANDARD INDEX --format json",
        "Readiness",
        (
            Param("standard", "Standard id.", required=True),
            Param("on", "Judge evidence on this date (default the index's audit_date, else today).", "date"),
            Param("program", "Program audited (default the index's, else the standard's first)."),
        ),
        INDEX,
        (400, 404, 422),
    ),
    Endpoint(
        "POST",
        "/v1/crosswalk",
        "crosswalkAudit",
        "Which evidence from an audit covers which parts of another standard, and what is missing.",
        "corengine crosswalk AUDIT --to STANDARD --format json",
        "Crosswalk",
        (
            Param("to", "The standard to cross the audit's evidence to.", required=True),
            Param("program", "Target program (default the target standard's first)."),
        ),
        AUDIT,
        (400, 404, 422),
    ),
)
"""Every operation under ``/v1``, in the order the docs list them."""

STATUS_TITLES = {
    400: "Unreadable body or bad parameter",
    401: "Missing or wrong bearer token",
    403: "Writes need a service started with a bearer token",
    404: "Unknown standard, province or path",
    405: "Method not allowed",
    413: "Body over the size limit",
    415: "Unsupported media type",
    422: "Invalid input",
    500: "Internal error",
    503: "Over the time limit",
}
"""What each problem status means in this service."""

ANY_REQUEST = (401, 413, 415, 500, 503)
"""Problem statuses any request may meet (a token, the body and time limits, an unexpected failure)."""


def _listed(description: str, item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "description": description, "items": item}


def standard_in_force(standard: dict[str, Any], extras: dict[str, Any]) -> dict[str, Any]:
    """The schema of ``show --format json``: the generated standard schema's properties with those of the
    generated :class:`~corengine._views.standard.StandardInForceExtras` beside them (the document is the two
    records' fields at one level)."""
    defs = {**standard.get("$defs", {}), **extras.get("$defs", {})}
    return {
        **{k: v for k, v in standard.items() if k not in ("$defs", "properties", "required", "title")},
        "title": "corengine standard in force",
        "properties": {**standard["properties"], **extras["properties"]},
        "required": [*standard.get("required", []), *extras.get("required", [])],
        "$defs": defs,
    }


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def components() -> dict[str, dict[str, Any]]:
    """Every schema the operations refer to: the generated ones first, then the documents' own."""
    files = all_schemas()
    generated = {
        "Audit": files["audit.schema.json"],
        "EvidenceIndex": files["evidence-index.schema.json"],
        "Standard": files["standard.schema.json"],
        "Result": files["result.schema.json"],
        "Plan": files["plan.schema.json"],
        "Validation": model_schema(ValidationDocument, "validation", "corengine validation"),
        "Verification": model_schema(VerificationDocument, "verification", "corengine verification"),
        "Explanation": model_schema(ExplainDocument, "explanation", "corengine explanation"),
        "Problem": model_schema(Problem, "problem", "corengine input problem"),
        "ProblemDocument": model_schema(ProblemDocument, "problem-document", "corengine problem document"),
        "StandardSummary": model_schema(StandardLine, "standard-summary", "corengine installed standard"),
        "PluginInfo": model_schema(PluginLine, "plugin", "corengine registered plugin"),
        "EligibilityRequest": model_schema(EligibilityRequest, "eligibility-request", "corengine eligibility request"),
        "EligibilityAnswer": model_schema(Answer, "eligibility", "corengine eligibility answer"),
        "ReciprocityAnswer": model_schema(ReciprocityAnswer, "reciprocity", "corengine reciprocity answer"),
        "SampleRequest": model_schema(SampleRequest, "sample-request", "corengine sample request"),
        "SamplePlan": model_schema(SamplePlan, "sample", "corengine sample plan"),
        "Readiness": model_schema(ReadinessDocument, "readiness", "corengine readiness"),
        "Crosswalk": model_schema(CrosswalkDocument, "crosswalk", "corengine crosswalk"),
        "StandardInForce": standard_in_force(
            files["standard.schema.json"], model_schema(StandardInForceExtras, "standard-in-force", "")
        ),
    }
    hoisted: dict[str, dict[str, Any]] = {}
    for name, schema in generated.items():
        hoisted.update(hoist(name, schema))
    listed = {
        "StandardList": _listed("The installed standards, by id.", _ref("StandardSummary")),
        "PluginList": _listed("Every registered plugin.", _ref("PluginInfo")),
    }
    return {**hoisted, **listed}


def hoist(name: str, schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``schema`` as OpenAPI tools expect it: its ``$defs`` lifted beside it as ``{name}.{def}`` and every
    ``#/$defs/X`` rewritten to ``#/components/schemas/{name}.X``; its ``$id`` and ``$schema`` left out (JSON
    Schema resolves ``#/$defs`` against an embedded ``$id``, but common OpenAPI validators and clients resolve it
    against the document's root and fail). :func:`unhoist` gives the generated schema back."""

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                key: (
                    f"#/components/schemas/{name}.{value[len('#/$defs/') :]}"
                    if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/")
                    else rewrite(value)
                )
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [rewrite(value) for value in node]
        return node

    top = {key: value for key, value in schema.items() if key not in ("$defs", "$id", "$schema")}
    lifted = {f"{name}.{key}": rewrite(value) for key, value in schema.get("$defs", {}).items()}
    return {name: rewrite(top), **lifted}


def unhoist(name: str, schemas: dict[str, Any], schema_id: str, dialect: str) -> dict[str, Any]:
    """The generated schema ``name`` back from the description's ``components/schemas`` (the inverse of
    :func:`hoist`, for tests that prove the two cannot drift apart)."""
    prefix = f"#/components/schemas/{name}."

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                key: (
                    f"#/$defs/{value[len(prefix) :]}"
                    if key == "$ref" and isinstance(value, str) and value.startswith(prefix)
                    else rewrite(value)
                )
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [rewrite(value) for value in node]
        return node

    defs = {key[len(name) + 1 :]: rewrite(value) for key, value in schemas.items() if key.startswith(f"{name}.")}
    schema = {"$schema": dialect, "$id": schema_id, **rewrite(schemas[name])}
    return {**schema, "$defs": defs} if defs else schema


def _param(param: Param) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if param.kind == "date":
        schema["format"] = "date"
    if param.kind == "boolean":
        schema["enum"] = ["true", "false", "on"]
    if param.choices:
        schema["enum"] = list(param.choices)
    return {
        "name": param.name,
        "in": param.where,
        "required": param.required or param.where == "path",
        "description": param.description,
        "schema": schema,
    }


def _file_body(schema: str, field: str, what: str) -> dict[str, Any]:
    upload = {"type": "string", "contentMediaType": "application/octet-stream"}
    content: dict[str, Any] = {
        media: {"schema": _ref(schema) if ending != ".xlsx" else upload} for media, ending in UPLOAD_TYPES.items()
    }
    content["multipart/form-data"] = {
        "schema": {"type": "object", "properties": {field: upload}, "required": [field]},
        "encoding": {field: {"contentType": "application/octet-stream"}},
    }
    return {
        "required": True,
        "description": f"{what} as the whole body (JSON, YAML or an .xlsx workbook, by Content-Type), or uploaded "
        f"as the file field `{field}` of a form; the file's name (its ending) chooses how it is read.",
        "content": content,
    }


def _body(kind: str, endpoint: Endpoint) -> dict[str, Any]:
    if kind == AUDIT:
        return _file_body("Audit", "audit", "The audit")
    if kind == INDEX:
        return _file_body("EvidenceIndex", "index", "The evidence index")
    if kind == VERIFY:
        upload = {"type": "string", "contentMediaType": "application/octet-stream"}
        return {
            "required": True,
            "description": "A form with two files: `result`, the JSON `corengine explain --format json` wrote (or "
            "`POST /v1/explain` answered), and `audit`, the audit it explains.",
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"result": upload, "audit": upload},
                        "required": ["result", "audit"],
                    }
                }
            },
        }
    if kind == LETTER:
        upload = {"type": "string", "contentMediaType": "application/octet-stream"}
        return {
            "required": True,
            "description": "The letter file `corengine registry letter` wrote, as the whole body (its bytes as "
            "written: a reformatted file is not valid), or uploaded as the file field `letter` of a form.",
            "content": {
                "application/json": {"schema": _ref("SignedLetter")},
                "multipart/form-data": {
                    "schema": {"type": "object", "properties": {"letter": upload}, "required": ["letter"]},
                    "encoding": {"letter": {"contentType": "application/octet-stream"}},
                },
            },
        }
    record = "EligibilityRequest" if endpoint.name == "checkEligibility" else "SampleRequest"
    return {
        "required": True,
        "description": "The request as a JSON (or YAML) object.",
        "content": {media: {"schema": _ref(record)} for media, ending in UPLOAD_TYPES.items() if ending != ".xlsx"},
    }


def _operation(endpoint: Endpoint) -> dict[str, Any]:
    if endpoint.response == XLSX:
        ok: dict[str, Any] = {
            "description": "The workbook, as an attachment named for the standard and program.",
            "content": {XLSX: {"schema": {"type": "string", "contentMediaType": XLSX}}},
        }
    elif "/" in endpoint.response:
        ok = {
            "description": "The report.",
            "content": {"text/html": {"schema": {"type": "string"}}, "text/markdown": {"schema": {"type": "string"}}},
        }
    else:
        ok = {
            "description": f"The document `{endpoint.cli}` prints.",
            "content": {"application/json": {"schema": _ref(endpoint.response)}},
        }
    responses: dict[str, Any] = {"200": ok}
    problem = {"application/problem+json": {"schema": _ref("ProblemDocument")}}
    for status in sorted({*endpoint.errors, *ANY_REQUEST}):
        responses[str(status)] = {"description": STATUS_TITLES[status], "content": problem}
    operation: dict[str, Any] = {
        "operationId": endpoint.name,
        "summary": endpoint.summary,
        "description": f"The same {'bytes' if endpoint.response == XLSX else 'document'} as `{endpoint.cli}`.",
        "parameters": [_param(p) for p in endpoint.params],
        "responses": responses,
    }
    if endpoint.body is not None:
        operation["requestBody"] = _body(endpoint.body, endpoint)
    return operation


def openapi(
    token: bool = False, extra: tuple[Endpoint, ...] = (), schemas: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the service (``token``: every operation needs a bearer token; ``extra``: the
    operations a service adds, such as the registry's, after :data:`ENDPOINTS`, with the ``schemas`` they refer
    to)."""
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in (*ENDPOINTS, *extra):
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = _operation(endpoint)
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "corengine",
            "version": __version__,
            "description": "Score Canadian COR and SECOR health-and-safety audits over HTTP. Every response is "
            "the document the CLI prints with `--format json`; every error is an RFC 9457 problem document.",
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": paths,
        "components": {"schemas": {**components(), **(schemas or {})}},
    }
    if token:
        document["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        document["security"] = [{"bearer": []}]
    return document

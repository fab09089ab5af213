"""``corengine serve``: the engine over HTTP, on Starlette (an ASGI toolkit) under uvicorn.

Every ``/v1`` response is the document the CLI prints with ``--format json`` for the same input, built by the
same functions; every error is an RFC 9457 problem document (``application/problem+json``) carrying the
structured input problems (:class:`~corengine.errors.Problem`: file, line or cell, path, message), never a
traceback. The service is stateless: nothing a request sends is kept, logged or written to disk by corengine
(the form parser spools an upload over 1 MiB to a temporary file, removed when the request ends).

Statuses: 400 when the body cannot be read as the format it says (not UTF-8, not JSON or YAML, a broken form,
no file) or a parameter is wrong; 404 for an unknown standard (listing the installed ones) or path; 413 over the
loader's size limit; 415 for a body of another media type; 422 when the document reads but is not valid; 401
without the bearer token the service was started with; 503 over the time limit; 500 for anything unexpected
(logged with its traceback on the server, never sent).

Scoring is CPU-bound and synchronous, so each request's work runs in a worker thread; one :class:`Engine`
(stateless apart from caches, warmed at start) is shared by all of them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import json
import logging
import os
import re
import time
import unicodedata
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any, TypeVar

import anyio
import anyio.to_thread
import jinja2
from attrs import frozen
from starlette.applications import Starlette
from starlette.datastructures import Headers, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from corengine._formats.evidence_index import LoadedIndex, load_index_bytes
from corengine._host.engine import Engine, LoadedAudit, Result
from corengine._http.openapi import ENDPOINTS, PROBLEM_BASE, UPLOAD_TYPES, openapi
from corengine._io.loading import MAX_BYTES, check_size, decode_text, parse, parse_checked, parse_json
from corengine._rules.action_plan import build_plan
from corengine._util import textlayout
from corengine._views import render
from corengine._views.explain import explain_json, verify_recorded
from corengine._views.mapping import crosswalk_json, crosswalk_of, readiness_json, readiness_of
from corengine._views.payloads import (
    SampleRequest,
    parse_day,
    plugins_data,
    standards_data,
    validation_data,
    verification_data,
)
from corengine._views.plan import plan_json
from corengine._views.report import html, markdown, report_data
from corengine._views.standard import show_data
from corengine.errors import CorengineError, InputError, PluginError, Problem, UnknownStandardError
from corengine.model import EligibilityRequest
from corengine.model.converter import structure, unstructure

LOG = logging.getLogger("corengine.serve")

FORM_OVERHEAD = 64 * 1024
"""Room a form's boundaries, headers and option fields take beside the file it carries."""

MAX_BODY = MAX_BYTES + FORM_OVERHEAD
"""Largest request body read: the loader's limit for one file, and the form around it."""

TIME_LIMIT = 30.0
"""Seconds a request may take, reading its body included, before it is answered 503."""

MAX_TOKEN = 4096
"""Most characters a bearer token may have."""

SETTINGS_VARIABLE = "CORENGINE_SERVE_SETTINGS"
"""Environment variable through which ``corengine serve`` hands its options to each uvicorn worker."""

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
        b"base-uri 'none'; frame-ancestors 'none'",
    ),
]
"""Sent with every response: nothing is sniffed, framed, cached or fetched, and pages load nothing but themselves
(their inline styles and SVG)."""

JSON = "application/json"
PROBLEM_JSON = "application/problem+json"
T = TypeVar("T")


class ServiceProblem(Exception):
    """An answer that is a problem document: the status, the kind (the end of its ``type`` URI), a title, a
    detail, the input problems behind it and any other members."""

    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str,
        problems: tuple[Problem, ...] = (),
        truncated: int = 0,
        headers: Mapping[str, str] | None = None,
        **members: Any,
    ) -> None:
        super().__init__(detail)
        self.status, self.kind, self.title, self.detail = status, kind, title, detail
        self.problems, self.truncated = problems, truncated
        self.headers = dict(headers or {})
        self.members = members

    def document(self, instance: str) -> dict[str, Any]:
        """The RFC 9457 problem document, for the request path ``instance``."""
        document: dict[str, Any] = {
            "type": PROBLEM_BASE + self.kind,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
        }
        if self.problems:
            document["problems"] = [unstructure(p) for p in self.problems]
            document["truncated"] = self.truncated
        return {**document, **self.members}

    def response(self, instance: str) -> Response:
        return Response(
            render.dumps(self.document(instance)), self.status, headers=self.headers, media_type=PROBLEM_JSON
        )


def _counted(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def invalid(exc: InputError, what: str) -> ServiceProblem:
    """422: the document reads, but is not valid."""
    found = len(exc.problems) + exc.truncated
    return ServiceProblem(
        422,
        "invalid-input",
        "Invalid input",
        f"the {what} has {_counted(found, 'problem')}",
        exc.problems,
        exc.truncated,
    )


def unreadable(exc: InputError | None, detail: str) -> ServiceProblem:
    """400: the body cannot be read as the document it says it is."""
    problems = exc.problems if exc else ()
    return ServiceProblem(400, "unreadable-body", "Unreadable body", detail, problems, exc.truncated if exc else 0)


def bad_parameter(detail: str) -> ServiceProblem:
    return ServiceProblem(400, "bad-parameter", "Bad parameter", detail)


def too_large(problems: tuple[Problem, ...] = ()) -> ServiceProblem:
    detail = f"the body is over the limit of {MAX_BYTES // (1024 * 1024)} MiB for a file"
    return ServiceProblem(413, "too-large", "Body over the size limit", detail, problems)


def unknown(exc: UnknownStandardError, engine: Engine) -> ServiceProblem:
    """404: an unknown standard (or province, program or sampling table), with the installed standards."""
    return ServiceProblem(404, "unknown-standard", "Unknown standard", str(exc), installed=sorted(engine.sources()))


class BodyTooLarge(Exception):
    """The body went over :data:`MAX_BODY` while being read."""


# --------------------------------------------------------------------------- reading requests


@frozen
class Upload:
    """What a request sent: its files by field (bytes and the name for messages) and its options."""

    files: dict[str, tuple[bytes, str]]
    """Each file by its form field (or the one field a whole body stands for): content and file name."""
    options: dict[str, str]
    """Query parameters and a form's text fields."""


def _file_name(given: str | None, field: str) -> str:
    """The name a client gave its file, reduced to its last part (no path is ever used) without control, format
    or bidi characters (a NUL, an escape sequence or a right-to-left override would reach every message that
    names the file), or ``field.yaml``."""
    last = re.split(r"[\\/]", given or "")[-1]
    name = "".join(char for char in last if unicodedata.category(char)[0] != "C" and char.isprintable())
    name = name.strip()[:200]
    return name if name not in ("", ".", "..") else f"{field}.yaml"


TEXT_CHARSETS = ("utf-8", "utf8", "us-ascii")
"""The ``charset`` a JSON or YAML body may declare: the loaders read UTF-8 (of which ASCII is a part)."""


def _media(request: Request) -> str:
    """The media type of the body, lower case, without parameters; 400 when ``Content-Type`` is sent twice (the
    two could disagree) and 415 when it declares a ``charset`` other than UTF-8 (the body would be misread)."""
    given = request.headers.getlist("content-type")
    if len(given) > 1:
        raise ServiceProblem(400, "bad-header", "Bad header", f"Content-Type is sent {len(given)} times; send it once")
    media, *parameters = (given[0] if given else "").split(";")
    for parameter in parameters:
        key, _, value = parameter.partition("=")
        charset = value.strip().strip('"').lower()
        if key.strip().lower() == "charset" and charset not in TEXT_CHARSETS:
            raise ServiceProblem(
                415,
                "unsupported-media-type",
                "Unsupported media type",
                f"a body in the charset {charset!r} cannot be read here (send UTF-8)",
            )
    return media.strip().lower()


def _options(request: Request, allowed: tuple[str, ...], fields: Sequence[tuple[str, str]] = ()) -> dict[str, str]:
    options: dict[str, str] = {}
    for key, value in [*request.query_params.multi_items(), *fields]:
        if key not in allowed:
            known = ", ".join(allowed) or "none"
            raise bad_parameter(f"unknown parameter {key!r} (parameters: {known})")
        if key in options:
            raise bad_parameter(f"the parameter {key!r} is given twice")
        options[key] = value
    return options


async def read_upload(request: Request, fields: tuple[str, ...], allowed: tuple[str, ...]) -> Upload:
    """The files a request sends: the whole body as ``fields[0]`` (by its media type), or the file fields of a
    ``multipart/form-data`` form; its options from the query string and the form's text fields."""
    media = _media(request)
    if media == "multipart/form-data":
        try:
            form = await request.form(max_files=len(fields), max_fields=len(allowed) + 2, max_part_size=64 * 1024)
        except MultiPartException as exc:
            raise unreadable(None, f"not a readable form: {exc.message}") from None
        except HTTPException as exc:  # Starlette turns the parser's complaint into a 400 of its own
            raise unreadable(None, f"not a readable form: {exc.detail}") from None
        try:
            files: dict[str, tuple[bytes, str]] = {}
            texts: list[tuple[str, str]] = []
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    if key not in fields:
                        raise unreadable(None, f"unexpected file field {key!r} (expected: {', '.join(fields)})")
                    files[key] = (await value.read(), _file_name(value.filename, key))
                else:
                    texts.append((key, value))
        finally:
            await form.close()
        missing = [f for f in fields if f not in files]
        if missing:
            raise unreadable(None, f"the form has no file field {missing[0]!r}")
        return Upload(files, _options(request, allowed, texts))
    if media in UPLOAD_TYPES and len(fields) == 1:
        options = _options(request, allowed)
        body = await request.body()
        return Upload({fields[0]: (body, fields[0] + UPLOAD_TYPES[media])}, options)
    accepted = ", ".join(["multipart/form-data"] if len(fields) > 1 else [*UPLOAD_TYPES, "multipart/form-data"])
    raise ServiceProblem(
        415,
        "unsupported-media-type",
        "Unsupported media type",
        f"a body of type {media or 'unknown'!r} cannot be read here (accepted: {accepted})",
    )


def _sized(raw: bytes, name: str) -> None:
    if not raw:
        raise unreadable(None, f"{name}: the file is empty")
    try:
        check_size(raw, name)
    except InputError as exc:
        raise too_large(exc.problems) from None


def load_audit(engine: Engine, raw: bytes, name: str) -> LoadedAudit:
    """An uploaded audit, read as :meth:`Engine.load_audit_bytes` reads it; a YAML or JSON file that does not
    even parse is 400 (:func:`unreadable`), every other problem 422."""
    _sized(raw, name)
    try:
        return engine.load_audit_bytes(raw, name)
    except InputError as exc:
        if not name.lower().endswith(".xlsx"):
            _parses(raw, name, lambda text: parse_checked(text, name))
        raise invalid(exc, "audit") from None


def load_index(raw: bytes, name: str) -> LoadedIndex:
    """An uploaded evidence index, as :func:`load_audit` reads an audit."""
    _sized(raw, name)
    try:
        return load_index_bytes(raw, name)
    except InputError as exc:
        if not name.lower().endswith(".xlsx"):
            _parses(raw, name, lambda text: parse(text, name))
        raise invalid(exc, "evidence index") from None


def _parses(raw: bytes, name: str, parser: Callable[[str], object]) -> None:
    """Raise 400 when ``raw`` is not UTF-8 text that ``parser`` reads (run only after a failure)."""
    try:
        parser(decode_text(raw, name))
    except InputError as exc:
        raise unreadable(exc, f"{name}: not readable as {'JSON' if name.endswith('.json') else 'YAML'}") from None


def _flag(options: Mapping[str, str], name: str) -> bool:
    value = options.get(name, "false")
    if value not in ("true", "false", "on"):
        raise bad_parameter(f"{name}: expected true or false, not {value!r}")
    return value != "false"


def _day(options: Mapping[str, str], name: str = "on") -> dt.date | None:
    value = options.get(name)
    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError as exc:
        raise bad_parameter(f"{name}: {exc}") from None


def _required(options: Mapping[str, str], name: str) -> str:
    value = options.get(name)
    if not value:
        raise bad_parameter(f"the parameter {name!r} is required")
    return value


def _record(raw: bytes, name: str, cls: type[T]) -> T:
    """A JSON or YAML request record (eligibility, sample) structured into ``cls``; 400 when it does not parse,
    422 when it does not structure."""
    _sized(raw, name)
    try:
        data, lines = parse(decode_text(raw, name), name)
    except InputError as exc:
        raise unreadable(exc, f"{name}: not readable as {'JSON' if name.endswith('.json') else 'YAML'}") from None
    try:
        return structure(data, cls, name, lines)
    except InputError as exc:
        raise invalid(exc, "request") from None


# --------------------------------------------------------------------------- the application


@cache
def _templates() -> jinja2.Environment:
    folder = resources.files("corengine._http").joinpath("templates")
    names = ("serve-index.html.j2", "serve-docs.html.j2")
    loader = jinja2.DictLoader({name: folder.joinpath(name).read_text(encoding="utf-8") for name in names})
    return jinja2.Environment(
        loader=loader, autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )


def _page(name: str, **context: Any) -> str:
    return _templates().get_template(name).render(**context)


def _json(text: str) -> Response:
    return Response(text, media_type=JSON)


class Service:
    """The routes over one engine: each reads its request, runs the engine in a worker thread and answers the
    CLI's document or a problem document."""

    def __init__(self, engine: Engine, token: bool) -> None:
        self.engine = engine
        self.openapi = render.dumps(openapi(token))
        self.described = json.loads(self.openapi)

    async def run(self, work: Callable[[], T]) -> T:
        """``work`` in a worker thread; abandoned (left to finish alone) if the request runs out of time."""
        return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)

    def routes(self) -> list[Route]:
        handlers: dict[str, Callable[[Request], Awaitable[Response]]] = {
            "listStandards": self.standards,
            "showStandard": self.show,
            "listPlugins": self.plugins,
            "validateAudit": self.validate,
            "scoreAudit": self.score,
            "explainAudit": self.explain,
            "planAudit": self.plan,
            "reportAudit": self.report,
            "verifyExplanation": self.verify,
            "checkEligibility": self.eligibility,
            "planSample": self.sample,
            "checkReadiness": self.readiness,
            "crosswalkAudit": self.crosswalk,
        }
        routes = [
            Route("/", self._guard(self.index), methods=["GET"]),
            Route("/docs", self._guard(self.docs), methods=["GET"]),
            Route("/openapi.json", self._guard(self.openapi_document), methods=["GET"]),
        ]
        for endpoint in ENDPOINTS:
            handler = self._guard(handlers[endpoint.name])
            routes.append(Route(endpoint.path, handler, methods=[endpoint.method], name=endpoint.name))
        return routes

    def _guard(self, handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        """``handler`` with every error answered as a problem document."""

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except ServiceProblem as exc:
                return exc.response(request.url.path)
            except BodyTooLarge:
                return too_large().response(request.url.path)
            except UnknownStandardError as exc:
                return unknown(exc, self.engine).response(request.url.path)
            except InputError as exc:
                return invalid(exc, "input").response(request.url.path)
            except PluginError as exc:
                LOG.error("plugin error on %s %s: %s", request.method, _shown(request.url.path), exc)
                return ServiceProblem(500, "plugin-error", "A plugin failed", str(exc)).response(request.url.path)
            except CorengineError as exc:
                return ServiceProblem(422, "invalid-input", "Invalid input", str(exc)).response(request.url.path)

        return guarded

    # ------------------------------------------------------------------ pages

    async def index(self, request: Request) -> Response:
        _options(request, ())
        standards = await self.run(lambda: standards_data(self.engine))
        page = _page("serve-index.html.j2", standards=standards, limit=MAX_BYTES // (1024 * 1024))
        return Response(page, media_type="text/html")

    async def docs(self, request: Request) -> Response:
        _options(request, ())
        page = _page("serve-docs.html.j2", api=self.described, statuses=_statuses(self.described))
        return Response(page, media_type="text/html")

    async def openapi_document(self, request: Request) -> Response:
        _options(request, ())
        return _json(self.openapi)

    # ------------------------------------------------------------------ standards and plugins

    async def standards(self, request: Request) -> Response:
        province = _options(request, ("province",)).get("province")
        return _json(await self.run(lambda: render.dumps(standards_data(self.engine, province))))

    async def show(self, request: Request) -> Response:
        day = _day(_options(request, ("on",))) or dt.date.today()
        ident = request.path_params["id"]

        def work() -> str:
            return render.dumps(show_data(self.engine, self.engine.resolve(ident), day))

        return _json(await self.run(work))

    async def plugins(self, request: Request) -> Response:
        _options(request, ())
        return _json(await self.run(lambda: render.dumps(plugins_data(self.engine))))

    # ------------------------------------------------------------------ audits

    async def _audit(self, request: Request, allowed: tuple[str, ...]) -> tuple[bytes, str, dict[str, str]]:
        upload = await read_upload(request, ("audit",), allowed)
        raw, name = upload.files["audit"]
        return raw, name, upload.options

    async def validate(self, request: Request) -> Response:
        raw, name, _ = await self._audit(request, ())
        _sized(raw, name)

        def work() -> str:
            try:
                self.engine.check(self.engine.load_audit_bytes(raw, name))
                problems = None
            except InputError as exc:
                problems = exc
            return render.dumps(validation_data(name, problems))

        return _json(await self.run(work))

    async def score(self, request: Request) -> Response:
        raw, name, options = await self._audit(request, ("strict",))
        strict = _flag(options, "strict")

        def work() -> str:
            return render.dumps(render.result_json(self._scored(raw, name, strict)))

        return _json(await self.run(work))

    def _scored(self, raw: bytes, name: str, strict: bool) -> Result:
        loaded = load_audit(self.engine, raw, name)
        try:
            return self.engine.score(loaded, strict=strict)
        except InputError as exc:
            raise invalid(exc, "audit") from None

    async def explain(self, request: Request) -> Response:
        raw, name, options = await self._audit(request, ("strict",))
        strict = _flag(options, "strict")

        def work() -> str:
            return render.dumps(explain_json(self.engine, self._scored(raw, name, strict)))

        return _json(await self.run(work))

    async def plan(self, request: Request) -> Response:
        raw, name, options = await self._audit(request, ("strict",))
        strict = _flag(options, "strict")
        return _json(await self.run(lambda: plan_json(build_plan(self._scored(raw, name, strict)))))

    async def report(self, request: Request) -> Response:
        raw, name, options = await self._audit(request, ("format", "strict"))
        strict = _flag(options, "strict")
        fmt = options.get("format", "html")
        if fmt not in ("html", "md"):
            raise bad_parameter(f"format: expected html or md, not {fmt!r}")

        def work() -> str:
            data = report_data(self.engine, self._scored(raw, name, strict))
            return html(data) if fmt == "html" else markdown(data)

        text = await self.run(work)
        return Response(text, media_type="text/html" if fmt == "html" else "text/markdown")

    async def verify(self, request: Request) -> Response:
        upload = await read_upload(request, ("result", "audit"), ())
        (recorded, recorded_name), (raw, name) = upload.files["result"], upload.files["audit"]
        _sized(recorded, recorded_name)
        _sized(raw, name)

        def work() -> str:
            try:
                text = decode_text(recorded, recorded_name)
                parse_json(text, recorded_name, floats_as_text=False)
            except InputError as exc:
                raise unreadable(exc, f"{recorded_name}: not readable as JSON") from None
            try:
                differences = verify_recorded(
                    self.engine, text, recorded_name, lambda: load_audit(self.engine, raw, name)
                )
            except InputError as exc:
                raise invalid(exc, "audit or explanation") from None
            return render.dumps(verification_data(differences))

        return _json(await self.run(work))

    async def crosswalk(self, request: Request) -> Response:
        raw, name, options = await self._audit(request, ("to", "program"))
        target, program = _required(options, "to"), options.get("program")

        def work() -> str:
            loaded = load_audit(self.engine, raw, name)
            try:
                walk, _ = crosswalk_of(self.engine, loaded, target, program, option="program")
            except InputError as exc:
                raise invalid(exc, "audit") from None
            return render.dumps(crosswalk_json(walk, name))

        return _json(await self.run(work))

    # ------------------------------------------------------------------ employer questions

    async def _body(self, request: Request) -> tuple[bytes, str]:
        media = _media(request)
        if media not in UPLOAD_TYPES or UPLOAD_TYPES[media] == ".xlsx":
            accepted = ", ".join(m for m, ending in UPLOAD_TYPES.items() if ending != ".xlsx")
            raise ServiceProblem(
                415,
                "unsupported-media-type",
                "Unsupported media type",
                f"a body of type {media or 'unknown'!r} cannot be read here (accepted: {accepted})",
            )
        _options(request, ())
        return await request.body(), "request" + UPLOAD_TYPES[media]

    async def eligibility(self, request: Request) -> Response:
        raw, name = await self._body(request)

        def work() -> str:
            asked = _record(raw, name, EligibilityRequest)
            sized = (asked.employees, asked.fte, asked.payroll_hours)
            if all(value is None for value in sized) and not asked.certifications:
                message = "give employees, fte, payroll_hours or certifications"
                raise invalid(InputError([Problem(file=name, message=message)]), "request")
            on = asked.on or dt.date.today()
            question = EligibilityRequest(
                asked.province,
                asked.employees,
                asked.fte,
                asked.payroll_hours,
                asked.records_months,
                on,
                asked.partner,
                tuple(dict.fromkeys(asked.certifications)),
            )
            return render.dumps(unstructure(self.engine.eligibility_answer(question)))

        return _json(await self.run(work))

    async def sample(self, request: Request) -> Response:
        raw, name = await self._body(request)

        def work() -> str:
            asked = _record(raw, name, SampleRequest)
            plan = self.engine.sample(asked.standard, asked.workers, asked.sites, asked.on, asked.program)
            return render.dumps(render.sample_json(plan))

        return _json(await self.run(work))

    async def readiness(self, request: Request) -> Response:
        upload = await read_upload(request, ("index",), ("standard", "on", "program"))
        raw, name = upload.files["index"]
        ident, on, program = _required(upload.options, "standard"), _day(upload.options), upload.options.get("program")

        def work() -> str:
            standard = self.engine.standard(ident)
            loaded = load_index(raw, name)
            try:
                result, _ = readiness_of(standard, loaded, on, program, option="program")
            except InputError as exc:
                raise invalid(exc, "evidence index") from None
            return render.dumps(readiness_json(result, loaded.source))

        return _json(await self.run(work))


def _statuses(described: dict[str, Any]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for operations in described["paths"].values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if status != "200":
                    seen[status] = response["description"]
    return sorted(seen.items())


def _shown(text: str) -> str:
    """A request path as a log line shows it: control characters escaped, at most 200 characters."""
    return textlayout.escape(text[:200])


# --------------------------------------------------------------------------- middleware


async def _send_problem(problem: ServiceProblem, scope: Scope, send: Send) -> None:
    await problem.response(scope.get("path", ""))(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


class Guard:
    """The outermost layer: security headers on every response, one log line per request (method, path,
    status, milliseconds; never a body), the time limit, and a 500 problem document for anything unexpected
    (its traceback goes to the log only)."""

    def __init__(self, app: ASGIApp, time_limit: float) -> None:
        self.app = app
        self.time_limit = time_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def headed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        try:
            with anyio.fail_after(self.time_limit):
                await self.app(scope, receive, headed)
        except TimeoutError:
            if not status:
                detail = f"the request took longer than the limit of {self.time_limit:g} seconds"
                await _send_problem(ServiceProblem(503, "time-limit", "Over the time limit", detail), scope, headed)
        except Exception:
            LOG.exception("unexpected error on %s %s", scope.get("method"), _shown(scope.get("path", "")))
            if not status:
                detail = "an unexpected error; it was logged on the server"
                await _send_problem(ServiceProblem(500, "internal-error", "Internal error", detail), scope, headed)
        finally:
            took = (time.perf_counter() - started) * 1000
            LOG.info("%s %s %d %.1fms", scope.get("method"), _shown(scope.get("path", "")), status, took)


class Limits:
    """The bearer token (when one is set, compared in constant time) and the body-size limit: a declared
    length over it is answered 413 unread, and a body that grows past it while read stops the request."""

    def __init__(self, app: ASGIApp, token: str | None, max_body: int) -> None:
        self.app = app
        self.token = None if token is None else token.encode("utf-8")
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.lower(): value for key, value in scope.get("headers", [])}
        if self.token is not None:
            given = headers.get(b"authorization", b"")
            scheme, _, credential = given.partition(b" ")
            if scheme.lower() != b"bearer" or not hmac.compare_digest(credential.strip(), self.token):
                problem = ServiceProblem(
                    401,
                    "unauthorized",
                    "Missing or wrong bearer token",
                    "send the header Authorization: Bearer <token> with the token the service was started with",
                    headers={"WWW-Authenticate": 'Bearer realm="corengine"'},
                )
                await _send_problem(problem, scope, send)
                return
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await _send_problem(too_large() if declared.isdigit() else bad_parameter("bad Content-Length"), scope, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge()
            return message

        await self.app(scope, counted, send)


class Cors(CORSMiddleware):
    """Starlette's CORS middleware, with a refused preflight answered by a problem document (Starlette answers
    it in plain text)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "OPTIONS":
            headers = Headers(scope=scope)
            if "origin" in headers and "access-control-request-method" in headers:
                answer = self.preflight_response(request_headers=headers)
                if answer.status_code == 400:
                    refused = bytes(answer.body).decode("utf-8").removeprefix("Disallowed CORS ")
                    kept = {k: v for k, v in answer.headers.items() if k not in ("content-length", "content-type")}
                    problem = ServiceProblem(
                        400,
                        "cors-refused",
                        "Cross-origin request refused",
                        f"the service does not allow this cross-origin request (refused: {refused})",
                        headers=kept,
                    )
                    await _send_problem(problem, scope, send)
                    return
        await super().__call__(scope, receive, send)


async def _http_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        problem = ServiceProblem(404, "not-found", "Not found", f"no endpoint at {request.url.path}; see /docs")
    elif exc.status_code == 405:
        problem = ServiceProblem(
            405,
            "method-not-allowed",
            "Method not allowed",
            f"{request.method} is not allowed on {request.url.path}",
            headers=exc.headers,
        )
    else:
        problem = ServiceProblem(exc.status_code, "http-error", "HTTP error", str(exc.detail), headers=exc.headers)
    return problem.response(request.url.path)


async def _internal(request: Request, exc: Exception) -> Response:
    detail = "an unexpected error; it was logged on the server"
    return ServiceProblem(500, "internal-error", "Internal error", detail).response(request.url.path)


def warm(engine: Engine) -> None:
    """Resolve every standard and the scoring methods once, so requests share full caches; a standard that does
    not resolve is logged (its requests say why)."""
    engine.methods()
    for ident in sorted(engine.sources()):
        try:
            engine.resolve(ident)
        except CorengineError as exc:
            LOG.warning("standard %s does not resolve: %s", ident, exc)


def create_app(
    engine: Engine | None = None,
    *,
    token: str | None = None,
    cors: tuple[str, ...] = (),
    max_body: int = MAX_BODY,
    time_limit: float = TIME_LIMIT,
) -> ASGIApp:
    """The service as an ASGI application over ``engine`` (default: the installed plugins).

    ``token``: every request must send ``Authorization: Bearer <token>``. ``cors``: origins allowed to call it
    from a browser (none by default). ``max_body``: bytes a request body may have. ``time_limit``: seconds a
    request may take.
    """
    engine = engine if engine is not None else Engine()
    warm(engine)
    service = Service(engine, token is not None)
    starlette = Starlette(
        routes=service.routes(),
        exception_handlers={HTTPException: _http_problem, Exception: _internal},
    )
    # No redirect from ``/v1/plugins/`` to ``/v1/plugins``: Starlette would build its Location from the Host
    # header a client sends (a redirect to any site) and answer without a problem document; such a path is 404.
    starlette.router.redirect_slashes = False
    app: ASGIApp = starlette
    app = Limits(app, token, max_body)
    if cors:
        app = Cors(
            app,
            allow_origins=list(cors),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    return Guard(app, time_limit)


class HeaderTimedH11(H11Protocol):
    """Uvicorn's HTTP/1.1 protocol, closing a connection whose request head (request line and headers) has not
    arrived within the time limit. Uvicorn times out an idle kept-alive connection but not a head sent a byte at a
    time (slowloris), and the :class:`Guard`'s limit starts only once the head is complete."""

    head_limit: float | None = None
    """Seconds a request head may take (None: the time limit of the settings ``corengine serve`` left)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_timer: asyncio.TimerHandle | None = None
        self._waiting_after: object = None
        self._arm()

    def _arm(self) -> None:
        limit = self.head_limit if self.head_limit is not None else float(_settings().get("time_limit", TIME_LIMIT))
        self._waiting_after = self.cycle
        self._head_timer = self.loop.call_later(limit, self._head_timeout)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def data_received(self, data: bytes) -> None:
        if self._head_timer is None and (self.cycle is None or self.cycle.response_complete):
            self._arm()  # the first bytes of the next request on a kept-alive connection
        super().data_received(data)
        if self.cycle is not self._waiting_after:  # a request head arrived whole
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _head_timeout(self) -> None:
        self._head_timer = None
        if self.cycle is self._waiting_after and not self.transport.is_closing():
            self.transport.close()


def _settings() -> dict[str, Any]:
    settings: dict[str, Any] = json.loads(os.environ.get(SETTINGS_VARIABLE, "{}"))
    return settings


def app_from_environment() -> ASGIApp:
    """The application ``corengine serve`` starts in each uvicorn worker, from the settings it left in
    :data:`SETTINGS_VARIABLE` (the token is read from its file here, never passed through the environment)."""
    settings = _settings()
    if not LOG.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        LOG.addHandler(handler)
        LOG.setLevel(logging.INFO)
        LOG.propagate = False
    token_file = settings.get("token_file")
    token = read_token(token_file) if token_file else None
    return create_app(
        token=token,
        cors=tuple(settings.get("cors", ())),
        time_limit=float(settings.get("time_limit", TIME_LIMIT)),
    )


def read_token(path: str) -> str:
    """The bearer token in the file at ``path`` (surrounding white space dropped); raises CorengineError when it
    cannot be read or is empty."""
    try:
        with open(path, encoding="utf-8") as handle:
            token = handle.read(MAX_TOKEN + 1).strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise CorengineError(f"{path}: cannot read the token file ({exc})") from None
    if len(token) > MAX_TOKEN:  # never cut a token silently: a prefix of it would not be the token
        raise CorengineError(f"{path}: the token file holds more than {MAX_TOKEN} characters")
    if not token or any(char.isspace() for char in token) or not token.isprintable():
        raise CorengineError(f"{path}: the token file must hold one token of printable characters without spaces")
    return token


__all__ = ["MAX_BODY", "TIME_LIMIT", "create_app"]

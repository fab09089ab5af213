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

Scoring is CPU-bound and synchronous. The work on an upload (reading, scoring, rendering) runs in a scoring
process of a pool when ``processes`` is given (``corengine serve`` gives it), killed and replaced at the time
limit so that a 503 frees its core; otherwise, and for the light routes (standards, plugins, pages), in a worker
thread. One :class:`Engine` (stateless apart from caches, warmed at start) serves the threads; each scoring
process builds its own once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from corengine._host.engine import Engine
from corengine._http.limits import LOG, MAX_BODY, TIME_LIMIT
from corengine._http.middleware import Cors, Guard, Hosts, Limits, _http_problem, _internal, _shown
from corengine._http.openapi import ENDPOINTS, PROBLEM_BASE, UPLOAD_TYPES, XLSX, openapi
from corengine._http.pages import page, wants_html
from corengine._http.pool import Answer, Pool
from corengine._http.problems import (
    JSON,
    PROBLEM_KINDS,
    BodyTooLarge,
    ServiceProblem,
    bad_parameter,
    invalid,
    too_large,
    unknown,
    unreadable,
)
from corengine._http.registry_routes import RegistrySettings
from corengine._http.registry_routes import schemas as registry_schemas
from corengine._http.requests import (
    T,
    _day,
    _flag,
    _media,
    _options,
    _record,
    _required,
    _sized,
    load_audit,
    load_index,
    read_upload,
)
from corengine._io.loading import MAX_BYTES, decode_text, parse_json
from corengine._rules.action_plan import build_plan
from corengine._views import render
from corengine._views.blank import blank_xlsx, has_questions
from corengine._views.explain import explain_json, verify_recorded
from corengine._views.mapping import crosswalk_json, crosswalk_of, readiness_json, readiness_of
from corengine._views.payloads import (
    SampleRequest,
    plugins_data,
    reciprocity_data,
    standards_data,
    validation_data,
    verification_data,
)
from corengine._views.plan import plan_json
from corengine._views.report import html, markdown, report_data
from corengine._views.standard import show_data
from corengine.errors import CorengineError, InputError, PluginError, Problem, UnknownStandardError
from corengine.model import EligibilityRequest, Result
from corengine.model.converter import unstructure

# --------------------------------------------------------------------------- the application


def _json(text: str) -> Response:
    return Response(text, media_type=JSON)


class Service:
    """The routes over one engine: each reads its request, runs the engine in a worker thread (or, for the work
    on an upload, in a scoring process of ``pool``) and answers the CLI's document or a problem document."""

    def __init__(
        self, engine: Engine, token: bool, pool: Pool | None = None, registry: RegistrySettings | None = None
    ) -> None:
        self.engine = engine
        self.pool = pool
        self.registry = None if registry is None else registry.routes(engine, token, self.run)
        extra = () if self.registry is None else self.registry.endpoints()
        self.openapi = render.dumps(openapi(token, extra, registry_schemas() if extra else None))
        self.described = json.loads(self.openapi)

    async def run(self, work: Callable[[], T]) -> T:
        """``work`` in a worker thread; abandoned (left to finish alone) if the request runs out of time."""
        return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)

    async def work(self, task: Callable[..., T], *args: Any) -> T:
        """``task(engine, *args)``: the work on an upload, in a scoring process when there is a pool (killed at the
        time limit), else in a worker thread over the service's engine."""
        if self.pool is not None:
            return await self.pool.run(task, *args)
        return await self.run(lambda: task(self.engine, *args))

    def routes(self) -> list[Route]:
        handlers: dict[str, Callable[[Request], Awaitable[Response]]] = {
            "listStandards": self.standards,
            "showStandard": self.show,
            "blankWorkbook": self.blank_workbook,
            "listPlugins": self.plugins,
            "validateAudit": self.validate,
            "scoreAudit": self.score,
            "explainAudit": self.explain,
            "planAudit": self.plan,
            "reportAudit": self.report,
            "verifyExplanation": self.verify,
            "checkEligibility": self.eligibility,
            "planReciprocity": self.reciprocity,
            "planSample": self.sample,
            "checkReadiness": self.readiness,
            "crosswalkAudit": self.crosswalk,
        }
        routes = [
            Route("/", self._guard(self.index), methods=["GET"]),
            Route("/docs", self._guard(self.docs), methods=["GET"]),
            Route("/problems", self._guard(self.problem_types), methods=["GET"]),
            Route("/problems/{kind}", self._guard(self.problem_types), methods=["GET"]),
            Route("/openapi.json", self._guard(self.openapi_document), methods=["GET"]),
        ]
        for endpoint in ENDPOINTS:
            handler = self._guard(handlers[endpoint.name])
            routes.append(Route(endpoint.path, handler, methods=[endpoint.method], name=endpoint.name))
        for endpoint, path, registry_handler in self.registry.handlers() if self.registry is not None else ():
            routes.append(Route(path, self._guard(registry_handler), methods=[endpoint.method], name=endpoint.name))
        return routes

    def _guard(self, handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        """``handler`` with every error answered as a problem document."""

        async def guarded(request: Request) -> Response:
            html = wants_html(request.headers.get("accept"))  # a browser gets the problems as a page
            try:
                return await handler(request)
            except BodyTooLarge:
                return too_large().response(request.url.path, html)
            except ClientDisconnect:  # the client went away mid-body: nobody to answer, nothing wrong here
                LOG.info("client went away on %s %s", request.method, _shown(request.url.path))
                return Response(status_code=400)
            except CorengineError as exc:
                if isinstance(exc, PluginError):
                    LOG.error("plugin error on %s %s: %s", request.method, _shown(request.url.path), exc)
                return problem_of(exc, self.engine).response(request.url.path, html)
            except ServiceProblem as exc:
                return exc.response(request.url.path, html)

        return guarded

    # ------------------------------------------------------------------ pages

    async def index(self, request: Request) -> Response:
        _options(request, ())
        standards = await self.run(lambda: standards_data(self.engine))
        blanks = await self.run(self._blanks)
        text = page("serve-index.html.j2", standards=standards, blanks=blanks, limit=MAX_BYTES // (1024 * 1024))
        return Response(text, media_type="text/html")

    def _blanks(self) -> dict[str, list[str]]:
        """For each standard, the programs it has a blank workbook for (the programs it asks questions of)."""
        found: dict[str, list[str]] = {}
        for ident in sorted(self.engine.sources()):
            try:
                standard = self.engine.standard(ident)
            except CorengineError:
                continue  # a standard that does not load says why where it is asked for
            found[ident] = [p for p in standard.programs if has_questions(standard, p)]
        return found

    async def docs(self, request: Request) -> Response:
        _options(request, ())
        text = page("serve-docs.html.j2", api=self.described, statuses=_statuses(self.described))
        return Response(text, media_type="text/html")

    async def problem_types(self, request: Request) -> Response:
        """Every kind of problem document (``GET /problems``), or the page of one (``GET /problems/KIND``, the
        ``type`` of a problem document): the same list, the kind asked for marked."""
        _options(request, ())
        kind = request.path_params.get("kind")
        if kind is not None and kind not in {k for k, *_ in PROBLEM_KINDS}:
            raise ServiceProblem(404, "not-found", "Not found", f"no problem type {kind!r}; see /problems")
        text = page("serve-problems.html.j2", kinds=PROBLEM_KINDS, base=PROBLEM_BASE, chosen=kind)
        return Response(text, media_type="text/html")

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

    async def blank_workbook(self, request: Request) -> Response:
        """The blank ``.xlsx`` of a standard, the bytes ``corengine new ID --program P -o NAME.xlsx`` writes."""
        program = _options(request, ("program",)).get("program")
        ident = request.path_params["id"]

        def work() -> tuple[bytes, str]:
            standard = self.engine.standard(ident)
            if program is not None and program not in standard.programs:
                raise bad_parameter(f"program: must be one of {', '.join(standard.programs)}, not {program!r}")
            chosen = program or standard.programs[0]
            try:
                return blank_xlsx(self.engine, standard, chosen), f"{standard.id}-{chosen}.xlsx"
            except InputError as exc:  # a standard with no questions for the program: say which to use
                raise ServiceProblem(422, "invalid-input", "Invalid input", str(exc.problems[0])) from None

        raw, name = await self.run(work)
        disposition = f'attachment; filename="{_file_name(name)}"'
        return Response(raw, media_type=XLSX, headers={"Content-Disposition": disposition})

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
        return _json(await self.work(validate_task, raw, name))

    async def score(self, request: Request) -> Response:
        raw, name, options = await self._audit(request, ("strict",))
        return _json(await self.work(score_task, raw, name, _flag(options, "strict")))

    async def explain(self, request: Request) -> Response:
        raw, name, options = await self._audit(request, ("strict",))
        return _json(await self.work(explain_task, raw, name, _flag(options, "strict")))

    async def plan(self, request: Request) -> Response:
        raw, name, options = await self._audit(request, ("strict",))
        return _json(await self.work(plan_task, raw, name, _flag(options, "strict")))

    async def report(self, request: Request) -> Response:
        raw, name, options = await self._audit(request, ("format", "strict"))
        strict = _flag(options, "strict")
        fmt = options.get("format", "html")
        if fmt not in ("html", "md"):
            raise bad_parameter(f"format: expected html or md, not {fmt!r}")
        text = await self.work(report_task, raw, name, strict, fmt)
        return Response(text, media_type="text/html" if fmt == "html" else "text/markdown")

    async def verify(self, request: Request) -> Response:
        upload = await read_upload(request, ("result", "audit"), ())
        (recorded, recorded_name), (raw, name) = upload.files["result"], upload.files["audit"]
        _sized(recorded, recorded_name)
        _sized(raw, name)
        return _json(await self.work(verify_task, recorded, recorded_name, raw, name))

    async def crosswalk(self, request: Request) -> Response:
        raw, name, options = await self._audit(request, ("to", "program"))
        target, program = _required(options, "to"), options.get("program")
        return _json(await self.work(crosswalk_task, raw, name, target, program))

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
        return _json(await self.work(eligibility_task, raw, name))

    async def reciprocity(self, request: Request) -> Response:
        options = _options(request, ("from", "to", "program", "partner", "on"))
        home, to = _required(options, "from"), _required(options, "to")
        day = _day(options) or dt.date.today()

        def work() -> str:
            answer = reciprocity_data(self.engine, home, to, day, options.get("program"), options.get("partner"))
            return render.dumps(unstructure(answer))

        return _json(await self.run(work))

    async def sample(self, request: Request) -> Response:
        raw, name = await self._body(request)
        return _json(await self.work(sample_task, raw, name))

    async def readiness(self, request: Request) -> Response:
        upload = await read_upload(request, ("index",), ("standard", "on", "program"))
        raw, name = upload.files["index"]
        ident, on, program = _required(upload.options, "standard"), _day(upload.options), upload.options.get("program")
        return _json(await self.work(readiness_task, raw, name, ident, on, program))


# --------------------------------------------------------------------------- the work on an upload
# Module-level functions of the engine and the request's values, so that a scoring process can run them (they
# pickle by name); each answers the document's text or raises what the service answers as a problem.


def validate_task(engine: Engine, raw: bytes, name: str) -> str:
    try:
        engine.check(engine.load_audit_bytes(raw, name))
        problems = None
    except InputError as exc:
        problems = exc
    return render.dumps(validation_data(name, problems))


def scored(engine: Engine, raw: bytes, name: str, strict: bool) -> Result:
    loaded = load_audit(engine, raw, name)
    try:
        return engine.score(loaded, strict=strict)
    except InputError as exc:
        raise invalid(exc, "audit") from None


def score_task(engine: Engine, raw: bytes, name: str, strict: bool) -> str:
    return render.dumps(render.result_json(scored(engine, raw, name, strict)))


def explain_task(engine: Engine, raw: bytes, name: str, strict: bool) -> str:
    return render.dumps(explain_json(engine, scored(engine, raw, name, strict)))


def plan_task(engine: Engine, raw: bytes, name: str, strict: bool) -> str:
    return plan_json(build_plan(scored(engine, raw, name, strict)))


def report_task(engine: Engine, raw: bytes, name: str, strict: bool, fmt: str) -> str:
    data = report_data(engine, scored(engine, raw, name, strict))
    return html(data) if fmt == "html" else markdown(data)


def verify_task(engine: Engine, recorded: bytes, recorded_name: str, raw: bytes, name: str) -> str:
    try:
        text = decode_text(recorded, recorded_name)
        parse_json(text, recorded_name, floats_as_text=False)
    except InputError as exc:
        raise unreadable(exc, f"{recorded_name}: not readable as JSON") from None
    try:
        differences = verify_recorded(engine, text, recorded_name, lambda: load_audit(engine, raw, name))
    except InputError as exc:
        raise invalid(exc, "audit or explanation") from None
    return render.dumps(verification_data(differences))


def crosswalk_task(engine: Engine, raw: bytes, name: str, target: str, program: str | None) -> str:
    loaded = load_audit(engine, raw, name)
    try:
        walk, _ = crosswalk_of(engine, loaded, target, program, option="program")
    except InputError as exc:
        raise invalid(exc, "audit") from None
    return render.dumps(crosswalk_json(walk, name))


def eligibility_task(engine: Engine, raw: bytes, name: str) -> str:
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
    return render.dumps(unstructure(engine.eligibility_answer(question)))


def sample_task(engine: Engine, raw: bytes, name: str) -> str:
    asked = _record(raw, name, SampleRequest)
    plan = engine.sample(asked.standard, asked.workers, asked.sites, asked.on, asked.program)
    return render.dumps(render.sample_json(plan))


def readiness_task(engine: Engine, raw: bytes, name: str, ident: str, on: dt.date | None, program: str | None) -> str:
    standard = engine.standard(ident)
    loaded = load_index(raw, name)
    try:
        result, _ = readiness_of(standard, loaded, on, program, option="program")
    except InputError as exc:
        raise invalid(exc, "evidence index") from None
    return render.dumps(readiness_json(result, loaded.source))


def problem_of(exc: CorengineError, engine: Engine) -> ServiceProblem:
    """The problem document the service answers for one of corengine's errors."""
    if isinstance(exc, UnknownStandardError):
        return unknown(exc, engine)
    if isinstance(exc, InputError):
        return invalid(exc, "input")
    if isinstance(exc, PluginError):
        return plugin_problem(exc)
    return ServiceProblem(422, "invalid-input", "Invalid input", str(exc))


def perform(engine: Engine, task: Callable[..., Any], args: tuple[Any, ...]) -> Answer:
    """A task run in a scoring process, its outcome as the pool carries it back: the text, the problem the
    service answers (a plugin's error logged here, on the server), or an unexpected error (logged with its
    traceback)."""
    try:
        return ("ok", task(engine, *args))
    except ServiceProblem as exc:
        return ("problem", exc)
    except CorengineError as exc:
        if isinstance(exc, PluginError):
            LOG.error("plugin error in %s: %s", task.__name__, exc)
        return ("problem", problem_of(exc, engine))
    except Exception:
        LOG.exception("unexpected error in %s", task.__name__)
        return ("error", None)


def scoring_engine() -> Engine:
    """The engine of a scoring process: the installed plugins, every standard resolved once (a standard that
    does not resolve was logged by the service)."""
    engine = Engine()
    engine.methods()
    for ident in sorted(engine.sources()):
        with contextlib.suppress(CorengineError):
            engine.resolve(ident)
    return engine


def _file_name(name: str) -> str:
    """``name`` as a ``Content-Disposition`` file name: letters, digits, ``.``, ``-`` and ``_`` only (a standard
    id comes from plugin data; nothing in it may end the header's quoted string)."""
    return "".join(char if char.isascii() and (char.isalnum() or char in ".-_") else "_" for char in name)


def _statuses(described: dict[str, Any]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for operations in described["paths"].values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if status != "200":
                    seen[status] = response["description"]
    return sorted(seen.items())


def warm(engine: Engine) -> None:
    """Resolve every standard and the scoring methods once, so requests share full caches; a standard that does
    not resolve is logged (its requests say why)."""
    engine.methods()
    for ident in sorted(engine.sources()):
        try:
            engine.resolve(ident)
        except CorengineError as exc:
            LOG.warning("standard %s does not resolve: %s", ident, exc)


def plugin_problem(exc: PluginError) -> ServiceProblem:
    """The 500 of a plugin's failure: it names the plugin and the hook where the error knows them, never the
    exception's text (paths, connection strings): that goes to the server's log."""
    if exc.plugin and exc.where:
        detail = f"plugin {exc.plugin!r} failed in {exc.where}; the error was logged on the server"
    elif exc.plugin:
        detail = f"plugin {exc.plugin!r} failed; the error was logged on the server"
    else:
        detail = "a plugin failed; the error was logged on the server"
    return ServiceProblem(500, "plugin-error", "A plugin failed", detail)


def create_app(
    engine: Engine | None = None,
    *,
    token: str | None = None,
    cors: tuple[str, ...] = (),
    max_body: int = MAX_BODY,
    time_limit: float = TIME_LIMIT,
    allowed_hosts: tuple[str, ...] | None = None,
    processes: int = 0,
    registry: RegistrySettings | None = None,
) -> ASGIApp:
    """The service as an ASGI application over ``engine`` (default: the installed plugins).

    ``token``: every request must send ``Authorization: Bearer <token>``. ``cors``: origins allowed to call it
    from a browser (none by default). ``max_body``: bytes a request body may have. ``time_limit``: seconds a
    request may take. ``allowed_hosts``: the names a request's ``Host`` may give (``*`` any; None: not checked,
    for an application embedded behind its own front end); ``corengine serve`` always gives them. ``processes``:
    scoring processes (0: the work on an upload runs in threads, left to finish alone at the time limit); each
    builds its own engine over the installed plugins, so ``engine`` must then be None. They are started here and
    stopped when the application shuts down (its lifespan). ``registry``: the registry's database and the
    letter key (``serve --db``, ``--letter-key``), whose routes exist only when given
    (:mod:`corengine._http.registry_routes`).
    """
    if processes and engine is not None:
        raise ValueError("scoring processes build their own engine over the installed plugins: give no engine")
    engine = engine if engine is not None else Engine()
    warm(engine)
    pool = Pool(processes, scoring_engine, perform) if processes else None
    service = Service(engine, token is not None, pool, registry)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            if pool is not None:
                pool.close()

    starlette = Starlette(
        routes=service.routes(),
        exception_handlers={HTTPException: _http_problem, Exception: _internal},
        lifespan=lifespan,
    )
    starlette.state.pool = pool
    if pool is not None:
        pool.start()
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
    if allowed_hosts is not None and "*" not in allowed_hosts:
        app = Hosts(app, allowed_hosts)
    return Guard(app, time_limit)

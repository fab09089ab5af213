"""Errors as RFC 9457 problem documents (``application/problem+json``) carrying the structured input
problems (file, line or cell, path, message), never a traceback."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from corengine._host.engine import Engine
from corengine._http.openapi import PROBLEM_BASE
from corengine._http.pages import page
from corengine._io.loading import MAX_BYTES
from corengine._views import render
from corengine._views.payloads import ProblemDocument
from corengine.errors import InputError, Problem, UnknownStandardError
from corengine.model.converter import unstructure

JSON = "application/json"
PROBLEM_JSON = "application/problem+json"
HTML = "text/html"

PROBLEM_KINDS: tuple[tuple[str, str, str, str], ...] = (
    ("bad-header", "400", "Bad header", "a header is sent twice or cannot be read (Content-Type, Content-Length)"),
    ("bad-parameter", "400", "Bad parameter", "a query parameter is unknown, repeated or has a wrong value"),
    ("bad-request", "400", "Bad request", "a request line or header that HTTP cannot parse (answered by the server)"),
    (
        "unreadable-body",
        "400",
        "Unreadable body",
        "the body is not what it says (not UTF-8, JSON or YAML, a broken form, no file)",
    ),
    ("host-not-allowed", "400", "Host not allowed", "the Host header names a host the service does not answer to"),
    (
        "cors-refused",
        "400",
        "Cross-origin request refused",
        "a browser's cross-origin preflight the service does not allow",
    ),
    (
        "unauthorized",
        "401",
        "Missing or wrong bearer token",
        "the service was started with a token and the request lacks it",
    ),
    (
        "writes-need-a-token",
        "403",
        "Writes need a token",
        "a write to the registry on a service started without --token-file",
    ),
    ("not-found", "404", "Not found", "no endpoint at the path"),
    (
        "unknown-employer",
        "404",
        "Unknown employer",
        "no employer in the registry by that key, WCB account or name (serve --db)",
    ),
    (
        "unknown-standard",
        "404",
        "Unknown standard",
        "no installed standard (province, program or table) by that name; lists the installed ones",
    ),
    ("method-not-allowed", "405", "Method not allowed", "the endpoint exists but not for that method"),
    ("http-error", "4xx", "HTTP error", "another error of the HTTP layer"),
    ("too-large", "413", "Body over the size limit", "the body (or a file in it) is over the size limit"),
    (
        "unsupported-media-type",
        "415",
        "Unsupported media type",
        "a body of a media type or charset the endpoint does not read",
    ),
    (
        "invalid-input",
        "422",
        "Invalid input",
        "the document reads but is not valid: every problem with its line or cell",
    ),
    ("internal-error", "500", "Internal error", "an unexpected error, logged on the server (never sent)"),
    (
        "plugin-error",
        "500",
        "A plugin failed",
        "a plugin raised an error; the plugin and hook are named, the error logged",
    ),
    ("time-limit", "503", "Over the time limit", "the request took longer than the service's time limit"),
    (
        "too-many-connections",
        "503",
        "Too many connections",
        "the worker holds its maximum of open connections (--max-connections); the connection is closed",
    ),
)
"""Every kind of problem document (the end of its ``type``): kind, status, title and when it is answered; the
page ``GET /problems`` lists them, so every ``type`` leads to its description."""


class ServiceProblem(Exception):
    """An answer that is a problem document: the status, the kind (the end of its ``type`` URI), a title, a
    detail, the input problems behind it and, for an unknown standard, the installed ones."""

    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str,
        problems: tuple[Problem, ...] = (),
        truncated: int = 0,
        headers: Mapping[str, str] | None = None,
        installed: tuple[str, ...] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.kind, self.title, self.detail = status, kind, title, detail
        self.problems, self.truncated = problems, truncated
        self.headers = dict(headers or {})
        self.installed = installed

    def __reduce__(self) -> tuple[Any, ...]:  # carried back from a scoring process
        problem = (self.status, self.kind, self.title, self.detail, self.problems, self.truncated)
        return (ServiceProblem, (*problem, self.headers, self.installed))

    def document(self, instance: str) -> dict[str, Any]:
        """The RFC 9457 problem document, for the request path ``instance``."""
        document = ProblemDocument(
            type=PROBLEM_BASE + self.kind,
            title=self.title,
            status=self.status,
            detail=self.detail,
            instance=instance,
            problems=self.problems,
            truncated=self.truncated if self.problems else None,
            installed=self.installed,
        )
        data: dict[str, Any] = unstructure(document)
        return data

    def response(self, instance: str, html: bool = False) -> Response:
        """The problem document as ``application/problem+json``, or (``html``: a browser asked) as a page listing
        the problems with their line or cell and a link back to the upload page."""
        if html:
            return Response(self.page(instance), self.status, headers=self.headers, media_type=HTML)
        return Response(
            render.dumps(self.document(instance)), self.status, headers=self.headers, media_type=PROBLEM_JSON
        )

    def page(self, instance: str) -> str:
        """The problem as an HTML page (every value escaped by the template)."""
        return page(
            "serve-problem.html.j2",
            document=self.document(instance),
            kind=self.kind,
            problems=self.problems,
            truncated=self.truncated if self.problems else 0,
            installed=self.installed or (),
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
    return ServiceProblem(
        404, "unknown-standard", "Unknown standard", str(exc), installed=tuple(sorted(engine.sources()))
    )


class BodyTooLarge(Exception):
    """The body went over :data:`MAX_BODY` while being read."""

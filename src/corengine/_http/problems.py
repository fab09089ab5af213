"""Errors as RFC 9457 problem documents (``application/problem+json``) carrying the structured input
problems (file, line or cell, path, message), never a traceback."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from corengine._host.engine import Engine
from corengine._http.openapi import PROBLEM_BASE
from corengine._io.loading import MAX_BYTES
from corengine._views import render
from corengine._views.payloads import ProblemDocument
from corengine.errors import InputError, Problem, UnknownStandardError
from corengine.model.converter import unstructure

JSON = "application/json"
PROBLEM_JSON = "application/problem+json"


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
    return ServiceProblem(
        404, "unknown-standard", "Unknown standard", str(exc), installed=tuple(sorted(engine.sources()))
    )


class BodyTooLarge(Exception):
    """The body went over :data:`MAX_BODY` while being read."""

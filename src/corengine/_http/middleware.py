"""What wraps every request: the bearer-token guard, the body-size and time limits, CORS, and the handlers
that turn any error into a problem document."""

from __future__ import annotations

import hmac
import time

import anyio
import anyio.to_thread
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from corengine._http.limits import LOG, SECURITY_HEADERS
from corengine._http.pages import wants_html
from corengine._http.problems import BodyTooLarge, ServiceProblem, bad_parameter, too_large
from corengine._util import textlayout


def _shown(text: str) -> str:
    """A request path as a log line shows it: control characters escaped, at most 200 characters."""
    return textlayout.escape(text[:200])


# --------------------------------------------------------------------------- middleware


async def _send_problem(problem: ServiceProblem, scope: Scope, send: Send) -> None:
    """Answer ``problem``: a problem document, or a page for a browser (:func:`~corengine._http.pages.wants_html`)."""
    html = wants_html(Headers(scope=scope).get("accept"))
    await problem.response(scope.get("path", ""), html)(scope, _no_body, send)


DRAIN_FACTOR = 4
"""How many times the body limit a refused body may be read and thrown away before the 413 is sent (4 x 10 MiB
for ``corengine serve``): a client still sending when the connection closes unread sees a reset, not the answer
(Python's urllib, browsers). A body declared larger than that is answered unread, and the connection closed."""


async def _drain(receive: Receive, left: int) -> None:
    """Read and discard the rest of the request body, at most ``left`` bytes, so the answer reaches the client."""
    while left >= 0:
        message = await receive()
        if message["type"] != "http.request":
            return
        left -= len(message.get("body", b""))
        if not message.get("more_body", False):
            return


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
        except ClientDisconnect:
            LOG.info("client went away on %s %s", scope.get("method"), _shown(scope.get("path", "")))
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
    length over it is answered 413, and a body that grows past it while read stops the request. The rest of a
    refused body is first read and thrown away (up to :data:`DRAIN_FACTOR` times the limit; not when the client
    waits for ``100 Continue``), so the client reads the 413 instead of a reset connection."""

    def __init__(self, app: ASGIApp, token: str | None, max_body: int) -> None:
        self.app = app
        self.token = None if token is None else token.encode("utf-8")
        self.max_body = max_body
        self.drain = DRAIN_FACTOR * max_body

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
            waiting = headers.get(b"expect", b"").lower() == b"100-continue"  # the body is not sent yet
            if declared.isdigit() and int(declared) <= self.drain and not waiting:
                await _drain(receive, self.drain)
            await _send_problem(too_large() if declared.isdigit() else bad_parameter("bad Content-Length"), scope, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    if message.get("more_body", False):
                        await _drain(receive, self.drain - seen)
                    raise BodyTooLarge()
            return message

        await self.app(scope, counted, send)


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
"""The names a loopback service answers to whatever ``--host`` says."""


def host_name(value: str) -> str:
    """The name in a ``Host`` header, without its port: ``[::1]:8000`` -> ``::1``, ``Example.org:80`` ->
    ``example.org``."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class Hosts:
    """The Host allow-list (against DNS rebinding: a web page whose name is rebound to 127.0.0.1 would otherwise
    read the service): a request whose ``Host`` is not one of ``allowed`` is answered 400 with a problem
    document, before anything else reads it."""

    def __init__(self, app: ASGIApp, allowed: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = frozenset(host_name(name) for name in (*LOOPBACK_NAMES, *allowed))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            given = Headers(scope=scope).get("host", "")
            if host_name(given) not in self.allowed:
                problem = ServiceProblem(
                    400,
                    "host-not-allowed",
                    "Host not allowed",
                    f"this service answers only to {', '.join(sorted(self.allowed))} (start it with "
                    "--allowed-host NAME for another name)",
                )
                await _send_problem(problem, scope, send)
                return
        await self.app(scope, receive, send)


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
    return problem.response(request.url.path, wants_html(request.headers.get("accept")))


async def _internal(request: Request, exc: Exception) -> Response:
    detail = "an unexpected error; it was logged on the server"
    problem = ServiceProblem(500, "internal-error", "Internal error", detail)
    return problem.response(request.url.path, wants_html(request.headers.get("accept")))

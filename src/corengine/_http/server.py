"""Starting the service: the uvicorn protocol that cuts a request head sent a byte at a time, closes a
connection whose client stops reading, refuses connections over the maximum and answers a malformed request with
a problem document; the quiet handling of failed ``accept()`` calls; and the application each worker builds from
the settings ``corengine serve`` leaves in the environment."""

from __future__ import annotations

import asyncio
import errno
import functools
import json
import os
import time
from typing import Any

from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

from corengine._http.app import create_app
from corengine._http.limits import (
    LOG,
    MAX_CONNECTIONS,
    MAX_TOKEN,
    SECURITY_HEADERS,
    SETTINGS_VARIABLE,
    TIME_LIMIT,
    WRITE_TIMEOUT,
)
from corengine._http.pool import log_to_stderr
from corengine._http.problems import PROBLEM_JSON, ServiceProblem
from corengine._http.registry_routes import RegistrySettings
from corengine._views import render
from corengine.errors import CorengineError


class HeaderTimedH11(H11Protocol):
    """Uvicorn's HTTP/1.1 protocol, closing a connection whose request head (request line and headers) has not
    arrived within the time limit. Uvicorn times out an idle kept-alive connection but not a head sent a byte at a
    time (slowloris), and the :class:`Guard`'s limit starts only once the head is complete."""

    head_limit: float | None = None
    """Seconds a request head may take (None: the time limit of the settings ``corengine serve`` left)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_timer: asyncio.TimerHandle | None = None
        self._write_timer: asyncio.TimerHandle | None = None
        self._waiting_after: object = None
        most = int(_settings().get("max_connections", MAX_CONNECTIONS))
        if len(self.connections) > most:  # this one included
            LOG.warning("connection refused: %d connections open, the maximum is %d", len(self.connections) - 1, most)
            detail = f"the service has {most} connections open, its maximum; try again later"
            self._refuse(ServiceProblem(503, "too-many-connections", "Too many connections", detail))
            return
        self._arm()

    def _refuse(self, problem: ServiceProblem) -> None:
        """Answer ``problem`` outside any request (the security headers on it) and close the connection."""
        if self.transport.is_closing():
            return
        body = render.dumps(problem.document("")).encode("utf-8")
        reason = {400: b"Bad Request", 503: b"Service Unavailable"}.get(problem.status, b"Error")
        head = [
            (b"content-type", PROBLEM_JSON.encode("ascii")),
            (b"content-length", str(len(body)).encode("ascii")),
            (b"connection", b"close"),
            *SECURITY_HEADERS,
        ]
        lines = b"".join(name + b": " + value + b"\r\n" for name, value in head)
        self.transport.write(b"HTTP/1.1 %d %s\r\n%s\r\n%s" % (problem.status, reason, lines, body))
        self.transport.close()

    def send_400_response(self, msg: str) -> None:
        """h11 could not parse the request (a malformed request line or header): a 400 problem document with the
        security headers, where uvicorn sends plain text without them."""
        detail = "the request could not be read as HTTP/1.1 (a malformed request line or header)"
        self._refuse(ServiceProblem(400, "bad-request", "Bad request", detail))

    def pause_writing(self) -> None:
        """The client stopped reading (the answers it was sent fill the buffers): it has the write timeout to
        start again, or the connection is closed."""
        super().pause_writing()
        if self._write_timer is None:
            limit = float(_settings().get("write_timeout", WRITE_TIMEOUT))
            self._write_timer = self.loop.call_later(limit, self._write_timeout)

    def resume_writing(self) -> None:
        if self._write_timer is not None:
            self._write_timer.cancel()
            self._write_timer = None
        super().resume_writing()

    def _write_timeout(self) -> None:
        self._write_timer = None
        if not self.transport.is_closing():
            LOG.info("connection closed: its client read nothing for the write timeout")
        self.transport.abort()  # whatever is buffered for a client that does not read is dropped

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
        if self._write_timer is not None:
            self._write_timer.cancel()
            self._write_timer = None
        super().connection_lost(exc)

    def _head_timeout(self) -> None:
        self._head_timer = None
        if self.cycle is self._waiting_after and not self.transport.is_closing():
            self.transport.close()


def _settings() -> dict[str, Any]:
    return _parsed(os.environ.get(SETTINGS_VARIABLE, "{}"))


@functools.cache
def _parsed(text: str) -> dict[str, Any]:
    settings: dict[str, Any] = json.loads(text)
    return settings


OUT_OF_DESCRIPTORS = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)
"""The ``accept()`` errors after which asyncio stops accepting for a second and tries again."""

ACCEPT_REPORT_EVERY = 60.0
"""Seconds between two log lines about failed ``accept()`` calls."""


class AcceptErrors:
    """The event loop's exception handler: a failed ``accept()`` for want of descriptors (asyncio has already
    paused accepting for a second) is one warning line, at most one a minute with the count since the last,
    instead of a traceback per attempt (asyncio tries up to the backlog's number of times in a row, and schedules
    a retry for each); anything else goes to the handler it replaces."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.previous = loop.get_exception_handler()
        self.failed = 0
        self.reported = float("-inf")

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, OSError) and exc.errno in OUT_OF_DESCRIPTORS and "accept" in context.get("message", ""):
            self.failed += 1
            now = time.monotonic()
            if now - self.reported >= ACCEPT_REPORT_EVERY:
                LOG.warning(
                    "cannot accept connections: %s (%d attempts failed; accepting again after a pause)",
                    os.strerror(exc.errno or 0),
                    self.failed,
                )
                self.reported, self.failed = now, 0
            return
        if isinstance(exc, OSError | ValueError) and "_start_serving" in context.get("message", ""):
            return  # a retry asyncio scheduled after such a failure, firing once the listening socket is closed
        if self.previous is not None:
            self.previous(loop, context)
        else:
            loop.default_exception_handler(context)


def quiet_accept_errors() -> None:
    """Install :class:`AcceptErrors` on the running event loop (nothing when none runs)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    if not isinstance(loop.get_exception_handler(), AcceptErrors):
        loop.set_exception_handler(AcceptErrors(loop))


def app_from_environment() -> ASGIApp:
    """The application ``corengine serve`` starts in each uvicorn worker, from the settings it left in
    :data:`SETTINGS_VARIABLE` (the token is read from its file here, never passed through the environment)."""
    settings = _settings()
    log_to_stderr()
    quiet_accept_errors()  # uvicorn builds the application in its running loop
    token_file = settings.get("token_file")
    token = read_token(token_file) if token_file else None
    return create_app(
        token=token,
        cors=tuple(settings.get("cors", ())),
        time_limit=float(settings.get("time_limit", TIME_LIMIT)),
        allowed_hosts=tuple(settings["allowed_hosts"]) if "allowed_hosts" in settings else None,
        registry=RegistrySettings(**settings["registry"]) if "registry" in settings else None,
        processes=int(settings.get("processes", 0)),
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

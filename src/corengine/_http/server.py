"""Starting the service: the uvicorn protocol that cuts a request head sent a byte at a time, and the
application each worker builds from the settings ``corengine serve`` leaves in the environment."""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

from corengine._http.app import create_app
from corengine._http.limits import MAX_TOKEN, SETTINGS_VARIABLE, TIME_LIMIT
from corengine._http.pool import log_to_stderr
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
    log_to_stderr()
    token_file = settings.get("token_file")
    token = read_token(token_file) if token_file else None
    return create_app(
        token=token,
        cors=tuple(settings.get("cors", ())),
        time_limit=float(settings.get("time_limit", TIME_LIMIT)),
        allowed_hosts=tuple(settings["allowed_hosts"]) if "allowed_hosts" in settings else None,
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

"""The table of shared responses an Engine owns (:class:`Responses`), and which table the audit being read uses
(:data:`READING`). Kept apart from the records so that building an Engine imports none of them."""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corengine.model.audit import Response


class Responses:
    """One :class:`Response` per distinct common answer among the audits one Engine reads.

    Responses are frozen, so equal ones are interchangeable; handing out one object per answer lets scoring reuse
    a pure method's result by the response's identity (see :class:`corengine._rules.reuse.Reuse`). Each Engine
    owns one table and it goes with the Engine; the table is emptied when it reaches ``limit`` entries (a limit
    of 0 keeps none: every response is its own object). ``id(response) in table.shared`` tells whether a
    response is the one object the table handed out for its answer (each stays alive while its id is there:
    both are emptied together); any other response (with a note, built by hand) is one of a kind.
    """

    def __init__(self, limit: int = 20_000) -> None:
        self.limit = limit
        self._common: dict[tuple[str, Any, int], Response] = {}
        self.common: Mapping[tuple[str, Any, int], Response] = self._common
        """The responses handed out, by their answer's key (read only: :meth:`get` adds to it)."""
        self.shared: set[int] = set()

    def get(self, key: tuple[str, Any, int]) -> Response:
        found = self._common.get(key)
        if found is not None:
            return found
        from corengine.model.audit import _build

        response = _build(key)
        if self.limit <= 0:
            return response
        if len(self._common) >= self.limit:
            self._common.clear()
            self.shared.clear()
        self._common[key] = response
        self.shared.add(id(response))
        return response

    def __len__(self) -> int:
        return len(self._common)


READING: ContextVar[Responses | None] = ContextVar("corengine_reading", default=None)
"""The response table of the Engine reading an audit in this thread or task (None: responses are not shared).
Set only for the duration of a read by :meth:`corengine.Engine.load_audit` and its siblings; it holds no data of
its own."""

"""What an Engine keeps between audits so that the thousandth audit of a standard costs less than the first.

Everything here is owned by one :class:`Reuse`, and each :class:`~corengine.Engine` owns one ``Reuse``: its tables
go with the Engine (nothing is kept process-wide). A standard is compiled once per Engine into what scoring and
validation need (its questions laid out per set of methods and program, its questions by id, the answerable ids,
each question's checks); pure scoring methods' results are kept by the identity of the objects they were computed
from. Every function that takes a ``reuse`` works the same without one (a fresh, empty ``Reuse``); results are
byte for byte the same with reuse on or off (``tests/_rules/test_reuse.py`` checks it with Hypothesis).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from corengine.model.sharing import Responses

if TYPE_CHECKING:
    from corengine.model import Standard

T = TypeVar("T")
V = TypeVar("V")


class PureResults:
    """Results of :attr:`ScoringMethod.pure` methods, by the identity of the objects they were computed from.

    Audits repeat the same few answers (points 0 to 10, small tallies), and the fast reader hands out one
    :class:`~corengine.model.Response` object per distinct common answer, so a pure method's ``score`` and
    ``validate`` results for a question are mostly reused rather than recomputed. Each entry holds the objects
    its key names, so no id in a live key can be reused by another object; the table is emptied when it reaches
    ``limit`` entries, which bounds its memory. Failures are never stored.
    """

    def __init__(self, limit: int = 50_000) -> None:
        self.limit = limit
        self._found: dict[tuple[Hashable, ...], tuple[Any, ...]] = {}
        self.entries: Mapping[tuple[Hashable, ...], tuple[Any, ...]] = self._found
        """The stored entries, ``ids -> (value, objects)``, for loops that look up thousands of results (one
        dict lookup each, without a method call); read only."""

    def get(self, key: tuple[object, ...], compute: Callable[[], T], values: tuple[Hashable, ...] = ()) -> T:
        """The value stored for the objects in ``key`` and the plain ``values`` (numbers, text: compared by
        equality), else ``compute()`` stored for them."""
        ids = (*map(id, key), *values)
        entry = self._found.get(ids)
        if entry is not None:
            value: T = entry[0]
            return value
        return self.store(ids, key, compute())

    def lookup(self, ids: tuple[Hashable, ...]) -> Any:
        """The value stored for the objects whose ids are ``ids`` (``tuple(map(id, key))``), else None."""
        entry = self._found.get(ids)
        return None if entry is None else entry[0]

    def store(self, ids: tuple[Hashable, ...], key: tuple[object, ...], value: T) -> T:
        """Store ``value`` for the objects in ``key`` (``ids`` their ids) and return it (a limit of 0 stores
        nothing: every result is computed afresh)."""
        if self.limit <= 0:
            return value
        if len(self._found) >= self.limit:
            self._found.clear()
        self._found[ids] = (value, key)
        return value

    def clear(self) -> None:
        """Forget every stored result."""
        self._found.clear()

    def __len__(self) -> int:
        return len(self._found)


class PerStandard(Generic[V]):
    """Values derived from a standard, built once per standard object (a standard is frozen) and the other
    objects and values they depend on; an entry goes when its standard is collected."""

    def __init__(self) -> None:
        self._found: dict[tuple[Any, ...], tuple[weakref.ref[Standard], tuple[object, ...], V]] = {}

    def get(
        self, standard: Standard, build: Callable[[], V], objects: tuple[object, ...] = (), values: tuple[Any, ...] = ()
    ) -> V:
        """The value built for ``standard``, the ``objects`` (by identity: held, so no id is reused while the
        entry lives) and the hashable ``values``; else ``build()``, kept for them."""
        key = (id(standard), *map(id, objects), *values)
        found = self._found.get(key)
        if found is not None and found[0]() is standard and all(a is b for a, b in zip(found[1], objects, strict=True)):
            return found[2]
        value = build()

        def forget(_: weakref.ref[Standard]) -> None:
            self._found.pop(key, None)

        self._found[key] = (weakref.ref(standard, forget), objects, value)
        return value

    def __contains__(self, key: object) -> bool:
        """Whether a value is kept under ``(id(standard), *ids of the objects, *values)``."""
        return key in self._found


class Reuse:
    """The tables one Engine keeps: compiled standards, pure methods' results, element findings and the shared
    responses its reader hands out. ``limit=0`` keeps no result and shares no response (the switch-off the
    equivalence test uses); the compiled standards are kept either way (they change no result)."""

    def __init__(self, limit: int = 100_000, findings_limit: int = 20_000, responses_limit: int = 20_000) -> None:
        self.results = PureResults(limit=limit)
        """Pure methods' scores (by element, question, method and response) and validation problems (by question,
        method and response)."""
        self.element_findings = PureResults(limit=findings_limit)
        """Element-minimum findings by the rule in force, strictness and the element's totals."""
        self.responses = Responses(limit=responses_limit)
        """The one response per common answer that this Engine's reader hands out."""
        self.layouts: PerStandard[Any] = PerStandard()
        """Each standard's questions laid out for one set of methods and one program (for scoring)."""
        self.indexed: PerStandard[Any] = PerStandard()
        """Each standard's questions by id and in document order."""
        self.answerable: PerStandard[Any] = PerStandard()
        """The ids each program of a standard answers."""
        self.checks: PerStandard[Any] = PerStandard()
        """Each question's method and the ids that key its reused validation, per set of methods."""

    @classmethod
    def off(cls) -> Reuse:
        """A Reuse that keeps nothing between audits (every result computed afresh)."""
        return cls(limit=0, findings_limit=0, responses_limit=0)

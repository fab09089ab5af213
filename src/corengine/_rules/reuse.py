"""What an Engine keeps between audits so that the thousandth audit of a standard costs less than the first.

Everything here is owned by one :class:`Reuse`, and each :class:`~corengine.Engine` owns one ``Reuse``: its tables
go with the Engine (nothing is kept process-wide). A standard is compiled once per Engine and set of scoring
methods into what scoring and validation need (a :class:`~corengine._rules.scoring_plan.ScoringPlan`: each
question's slot, laid out per program), and pure scoring methods' results are kept in the slots by the identity of
the responses they were computed from. Every function that takes a ``reuse`` works the same without one (a fresh, empty ``Reuse``); results are
byte for byte the same with reuse on or off (``tests/_rules/test_reuse.py`` checks it with Hypothesis).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from corengine.model.sharing import Responses

if TYPE_CHECKING:
    pass

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


class Reuse:
    """The tables one Engine keeps: its standards compiled into scoring plans (with pure methods' results), element
    findings and the shared responses its reader hands out. ``limit=0`` keeps no result and shares no response
    (the switch-off the equivalence test uses); the plans themselves are kept either way (they change no result)."""

    def __init__(self, limit: int = 100_000, findings_limit: int = 20_000, responses_limit: int = 20_000) -> None:
        from corengine._rules.scoring_plan import Plans

        self.plans = Plans(limit=limit)
        """Each standard compiled for one set of methods (:class:`~corengine._rules.scoring_plan.ScoringPlan`),
        with the results of pure methods for the responses met: validation problems and scores."""
        self.element_findings = PureResults(limit=findings_limit)
        """Element-minimum findings by the rule in force, strictness and the element's totals."""
        self.responses = Responses(limit=responses_limit)
        """The one response per common answer that this Engine's reader hands out."""

    @classmethod
    def off(cls) -> Reuse:
        """A Reuse that keeps nothing between audits (every result computed afresh)."""
        return cls(limit=0, findings_limit=0, responses_limit=0)

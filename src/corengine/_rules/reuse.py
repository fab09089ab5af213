"""What an Engine keeps between audits so that the thousandth audit of a standard costs less than the first.

Everything here is owned by one :class:`Reuse`, and each :class:`~corengine.Engine` owns one ``Reuse``: its tables
go with the Engine (nothing is kept process-wide). A standard is compiled once per Engine and set of scoring
methods into what scoring and validation need (a :class:`~corengine._rules.scoring_plan.ScoringPlan`: each
question's slot, laid out per program), and pure scoring methods' results are kept in the slots by the identity of
the responses they were computed from. Every function that takes a ``reuse`` works the same without one (a fresh,
empty ``Reuse``); results are byte for byte the same with reuse on or off (``tests/_rules/test_reuse.py`` checks
it with Hypothesis).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, TypeVar

from corengine.model.sharing import Responses

T = TypeVar("T")


class KeptFindings:
    """Findings that depend on a few objects (the rule in force) and plain values alone, kept per context.

    :meth:`table` gives the table of one context: the objects (by identity; the table holds them, so no id in a
    live key can be reused by another object) and plain values such as strictness. A caller looks its keys up in
    that table and stores what it computes with :meth:`put`. Past ``limit`` findings in all, every table is dropped
    (which bounds their memory); a limit of 0 keeps none. Failures are never stored.
    """

    def __init__(self, limit: int = 20_000) -> None:
        self.limit = limit
        self._used = 0
        self._tables: dict[tuple[Hashable, ...], tuple[dict[Hashable, Any], tuple[object, ...]]] = {}

    def table(self, objects: tuple[object, ...], values: tuple[Hashable, ...] = ()) -> dict[Hashable, Any]:
        """The table of the context ``objects`` and ``values`` (read it with ``get``; store with :meth:`put`)."""
        ids = (*map(id, objects), *values)
        found = self._tables.get(ids)
        if found is None:
            found = ({}, objects)
            if self.limit > 0:
                self._tables[ids] = found
        return found[0]

    def put(self, table: dict[Hashable, Any], key: Hashable, value: T) -> T:
        """Store ``value`` under ``key`` in ``table`` (one of :meth:`table`'s) and return it."""
        if self.limit <= 0:
            return value
        if self._used >= self.limit:
            for kept, _ in self._tables.values():
                kept.clear()
            self._tables.clear()
            self._used = 0
            return value  # the table was one of those dropped: stored on the next call, in a fresh one
        table[key] = value
        self._used += 1
        return value

    def __len__(self) -> int:
        """How many findings are kept."""
        return sum(len(kept) for kept, _ in self._tables.values())


class Reuse:
    """The tables one Engine keeps: its standards compiled into scoring plans (with pure methods' results), element
    findings and the shared responses its reader hands out. ``limit=0`` keeps no result and shares no response
    (the switch-off the equivalence test uses); the plans themselves are kept either way (they change no result)."""

    def __init__(self, limit: int = 100_000, findings_limit: int = 20_000, responses_limit: int = 20_000) -> None:
        from corengine._rules.scoring_plan import Plans

        self.plans = Plans(limit=limit)
        """Each standard compiled for one set of methods (:class:`~corengine._rules.scoring_plan.ScoringPlan`),
        with the results of pure methods for the responses met: validation problems and scores."""
        self.element_findings = KeptFindings(limit=findings_limit)
        """Element-minimum findings by the rule in force, strictness and the element's totals."""
        self.responses = Responses(limit=responses_limit)
        """The one response per common answer that this Engine's reader hands out."""

    @classmethod
    def off(cls) -> Reuse:
        """A Reuse that keeps nothing between audits (every result computed afresh)."""
        return cls(limit=0, findings_limit=0, responses_limit=0)

"""A standard compiled for one Engine and one set of scoring methods: what validation and scoring need of it.

:class:`ScoringPlan` holds each question once, as a :class:`Slot`: the question, its method, and the
results of a pure method kept for the responses it met (by the response's identity: the reader hands out one
response object per common answer, see :class:`corengine.model.sharing.Responses`). Validation and scoring walk
the slots instead of the standard, so the thousandth audit of a standard costs one dictionary lookup per question
where the first computed the result. A plan is built by :meth:`Plans.of` the first time an Engine meets a
standard with a set of methods, is held by that Engine's :class:`~corengine._rules.reuse.Reuse` and goes with the
standard (or the Engine). Results are the same with plans kept or not (``tests/_rules/test_reuse.py``).
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # an Engine builds its (empty) plans at start: the records load with the first standard
    from corengine._rules.scoring import ScoringMethod
    from corengine.model import Element, Question, QuestionScore, Response, Standard

Totals = tuple["QuestionScore", int | None, int | None]
"""A question's score with its earned and available points as whole numbers (None where one is a fraction)."""

Kept = tuple["QuestionScore", int | None, int | None, "Response"]
"""A kept score: its totals and the response it was computed from."""

Laid = tuple[
    "Element", tuple["Slot | QuestionScore", ...], "tuple[tuple[str, ...], tuple[dict[int, Kept], ...]] | None"
]
"""One element of a :data:`Layout`."""

Layout = tuple[Laid, ...]
"""Each element as a program scores it: its questions (a slot, or the score of a question the program does not
answer) and, where the program answers every question, the questions' ids and their kept scores (for the loop that
reads an element's kept scores in one pass)."""

_ZERO = Fraction(0)


def applies(question: Question, program: str) -> bool:
    """Whether ``program`` answers ``question`` (questions reserved for another program are excluded)."""
    return not question.programs or program in question.programs


def excluded_score(element: Element, question: Question, program: str) -> QuestionScore:
    """The score of a question the program does not answer: shown, counted nowhere."""
    from corengine.model import QuestionScore

    why = f"not answered in the {program} program"
    return QuestionScore(question.id, element.id, "excluded", _ZERO, _ZERO, question.scoring.method, why)


class Slot:
    """One question of a plan, with what its pure method found for the responses it met."""

    __slots__ = ("id", "method", "pure", "question", "scores", "valid")

    def __init__(self, question: Question, method: ScoringMethod | None) -> None:
        self.question = question
        self.id = question.id
        self.method = method
        self.pure = method is not None and method.pure
        """Whether results may be kept for a response (its method is pure)."""
        self.valid: dict[int, Response] = {}
        """The responses (by id) the method found valid for this question; each entry holds its response, so no
        id in the table can belong to another object."""
        self.scores: dict[int, Kept] = {}
        """The score of each response met (by id): the score, its earned and available points as whole numbers
        (None where one is a fraction), and the response it was computed from."""


class ScoringPlan:
    """A standard's questions as validation and scoring meet them, for one set of methods."""

    def __init__(self, standard: Standard, methods: Mapping[str, ScoringMethod], budget: Budget) -> None:
        # the plan holds the standard's parts, never the standard: it goes when its standard does
        self._budget = budget
        self.elements: tuple[tuple[Element, tuple[Slot, ...]], ...] = tuple(
            (element, tuple(Slot(q, methods.get(q.scoring.method)) for q in element.questions))
            for element in standard.elements
        )
        self.slots: dict[str, Slot] = {slot.id: slot for _, slots in self.elements for slot in slots}
        """Every question's slot by id, in document order."""
        self._layouts: dict[str, Layout] = {}
        self._answerable: dict[str, dict[str, None]] = {}
        self._valid: dict[str | None, dict[str, dict[int, Response]]] = {}
        self._whole: dict[int, Fraction] = {}

    def whole(self, number: int) -> Fraction:
        """``Fraction(number)``, one object per number met (an element's totals repeat; a Fraction is immutable)."""
        found = self._whole.get(number)
        if found is None:
            found = Fraction(number)
            if self._budget.take():
                self._whole[number] = found
        return found

    def layout(self, program: str) -> Layout:
        """Each element with its questions as ``program`` scores them (see :data:`Layout`)."""
        found = self._layouts.get(program)
        if found is None:
            laid: list[Laid] = []
            for element, slots in self.elements:
                entries = tuple(
                    slot if applies(slot.question, program) else excluded_score(element, slot.question, program)
                    for slot in slots
                )
                whole = all(type(e) is Slot for e in entries)
                kept = (tuple(s.id for s in slots), tuple(s.scores for s in slots))
                laid.append((element, entries, kept if whole else None))
            found = self._layouts[program] = tuple(laid)
        return found

    def answerable(self, program: str) -> dict[str, None]:
        """The ids of the questions ``program`` answers, in document order (as a dict: ordered, and fast to compare
        with an audit's responses)."""
        found = self._answerable.get(program)
        if found is None:
            found = self._answerable[program] = {i: None for i, s in self.slots.items() if applies(s.question, program)}
        return found

    def valid(self, program: str | None) -> dict[str, dict[int, Response]]:
        """Each question ``program`` answers (any, for None) with the responses its pure method found valid."""
        found = self._valid.get(program)
        if found is None:
            found = self._valid[program] = {
                i: s.valid for i, s in self.slots.items() if program is None or applies(s.question, program)
            }
        return found

    def keep_valid(self, slot: Slot, response: Response) -> None:
        """Note that ``slot``'s pure method found ``response`` valid."""
        if self._budget.take():
            slot.valid[id(response)] = response

    def keep_score(self, slot: Slot, response: Response, totals: Totals) -> None:
        """Keep ``totals`` as the score of ``response`` in ``slot``."""
        if self._budget.take():
            slot.scores[id(response)] = (*totals, response)

    def forget(self) -> None:
        """Drop every kept result (the plan itself stays)."""
        self._whole.clear()
        for slot in self.slots.values():
            slot.valid.clear()
            slot.scores.clear()

    def __len__(self) -> int:
        """How many results the plan keeps."""
        return len(self._whole) + sum(len(s.valid) + len(s.scores) for s in self.slots.values())


class Budget:
    """How many results the plans of one Engine keep in all: past ``limit``, every plan forgets its results (which
    bounds their memory); a limit of 0 keeps none."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self.plans: weakref.WeakSet[ScoringPlan] = weakref.WeakSet()

    def take(self) -> bool:
        """Whether one more result may be kept (emptying every plan first when the limit is reached)."""
        if self.limit <= 0:
            return False
        if self.used >= self.limit:
            for plan in list(self.plans):
                plan.forget()
            self.used = 0
        self.used += 1
        return True

    def __len__(self) -> int:
        return sum(len(plan) for plan in self.plans)


class Plans:
    """The plans of one Engine, one per standard object and set of methods (the same names for the same method
    objects: an equal mapping built afresh shares the plan); a plan goes with its standard."""

    def __init__(self, limit: int) -> None:
        self.budget = Budget(limit)
        self._found: dict[tuple[Any, ...], tuple[weakref.ref[Standard], tuple[object, ...], ScoringPlan]] = {}

    def of(self, standard: Standard, methods: Mapping[str, ScoringMethod]) -> ScoringPlan:
        """The plan of ``standard`` for ``methods``, built the first time they are met."""
        held = tuple(methods.values())
        key = (id(standard), *methods, *map(id, held))
        found = self._found.get(key)
        if found is not None and found[0]() is standard and all(a is b for a, b in zip(found[1], held, strict=True)):
            return found[2]
        plan = ScoringPlan(standard, methods, self.budget)
        self.budget.plans.add(plan)

        def forget(_: weakref.ref[Standard]) -> None:
            self._found.pop(key, None)

        self._found[key] = (weakref.ref(standard, forget), held, plan)  # the methods held: no id of theirs reused
        return plan

    def key(self, standard: Standard, methods: Mapping[str, ScoringMethod]) -> tuple[Any, ...]:
        """The key a plan of ``standard`` for ``methods`` is kept under."""
        return (id(standard), *methods, *map(id, methods.values()))

    def __contains__(self, key: object) -> bool:
        """Whether a plan is kept under ``key`` (see :meth:`key`)."""
        return key in self._found

    def __len__(self) -> int:
        """How many results the plans keep in all."""
        return len(self.budget)

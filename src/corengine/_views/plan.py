"""The action plan as a published document: :class:`PlanDocument` from a plan, as
plain data and as JSON (``schemas/plan.schema.json`` describes it)."""

from __future__ import annotations

import json
from typing import Any

from attrs import frozen

from corengine._rules.action_plan import Action, ActionReason, Plan
from corengine._util.records import Record
from corengine._views.documents import exact
from corengine.model.converter import unstructure


@frozen(repr=False, eq=False)
class PlanAction(Record):
    """One question below full marks, as the action plan lists it."""

    question: str
    """Question id."""
    element: str
    """Element id."""
    earned: str
    """Points now, exact."""
    available: str
    """Full marks, exact."""
    recoverable: str
    """Points to gain by reaching full marks, exact."""
    reasons: tuple[ActionReason, ...]
    """Why it matters (none: it clears no failing threshold by itself)."""
    note: str
    """The auditor's note on the response (empty when none)."""
    in_path_to_pass: bool
    """Whether the question is on the path to pass."""


@frozen(repr=False, eq=False)
class PathToPassDocument(Record):
    """The smallest set of questions to raise to full marks so that every points threshold is met."""

    already_passing: bool
    """The points thresholds are all met already."""
    questions: tuple[str, ...]
    """Questions to raise to full marks, in document order."""
    gain: str
    """Points gained, exact."""
    overall_after: str | None
    """The exact overall percentage after the improvements; None when no points are available."""
    elements_after: dict[str, str | None]
    """Each element's exact percentage after the improvements, by element id (None: no points available); empty
    when no rule applies."""
    other_failures: tuple[str, ...]
    """The messages of failing checks that points cannot fix (methods, auditor, records, deadlines...)."""


@frozen(repr=False, eq=False)
class PlanDocument(Record):
    """``corengine plan --format json``: every question below full marks, most impact first, and the least to fix
    to pass."""

    __corengine_omit_defaults__ = True

    rule: str
    """The rule whose thresholds were used (``rule@start``), or empty when none applies."""
    actions: tuple[PlanAction, ...]
    """Every question below full marks: those that clear a failing threshold first, then the most points."""
    path_to_pass: PathToPassDocument
    """The least to fix to pass."""
    opportunities: tuple[PlanAction, ...] = ()
    """Questions below full marks that a score rule of treatment ``opportunity`` leaves out of the totals (written
    only when there are some)."""


def plan_json(plan: Plan) -> str:
    """``corengine plan --format json`` (and ``POST /v1/plan``): the plan's data as indented JSON."""
    return json.dumps(plan_data(plan), indent=2) + "\n"


def plan_document(plan: Plan) -> PlanDocument:
    """The plan in its published shape (:class:`PlanDocument`)."""
    path = plan.path
    on_path = set(path.questions)

    def action(a: Action) -> PlanAction:
        return PlanAction(
            question=a.question,
            element=a.element,
            earned=exact(a.earned),
            available=exact(a.available),
            recoverable=exact(a.recoverable),
            reasons=a.reasons,
            note=a.note,
            in_path_to_pass=a.question in on_path,
        )

    return PlanDocument(
        rule=plan.rule,
        actions=tuple(action(a) for a in plan.actions),
        opportunities=tuple(action(a) for a in plan.opportunities),
        path_to_pass=PathToPassDocument(
            already_passing=path.already_passing,
            questions=path.questions,
            gain=exact(path.gain),
            overall_after=None if path.overall_after is None else exact(path.overall_after),
            elements_after={k: None if v is None else exact(v) for k, v in path.elements_after},
            other_failures=tuple(f.message for f in path.other_failures),
        ),
    )


def plan_data(plan: Plan) -> dict[str, Any]:
    """The plan as plain data (exact values as text), for JSON and for reports: the converter's form of
    :func:`plan_document`, described by ``schemas/plan.schema.json``."""
    data: dict[str, Any] = unstructure(plan_document(plan))
    return data

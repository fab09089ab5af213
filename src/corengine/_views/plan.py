"""The action plan as a published document: :class:`~corengine._views.documents.PlanDocument` from a plan, as
plain data and as JSON (``schemas/plan.schema.json`` describes it)."""

from __future__ import annotations

import json
from typing import Any

from corengine._rules.action_plan import Action, Plan
from corengine._views.documents import PathToPassDocument, PlanAction, PlanDocument, exact
from corengine.model.converter import unstructure


def plan_json(plan: Plan) -> str:
    """``corengine plan --format json`` (and ``POST /v1/plan``): the plan's data as indented JSON."""
    return json.dumps(plan_data(plan), indent=2) + "\n"


def plan_document(plan: Plan) -> PlanDocument:
    """The plan in its published shape (:class:`~corengine._views.documents.PlanDocument`)."""
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

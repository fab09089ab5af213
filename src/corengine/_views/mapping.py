"""Readiness and crosswalk as published documents: an employer's evidence index read against a standard, and
one province's evidence carried to another, as JSON (``corengine.readiness/1``, ``corengine.crosswalk/1``).

The CLI and the HTTP service both answer from these functions, so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from corengine._formats.evidence_index import LoadedIndex, index_problems
from corengine._host.engine import Engine, LoadedAudit
from corengine._rules.readiness import (
    COVERAGE_LABEL,
    COVERED,
    ESTIMATE_LABEL,
    MISSING,
    NA,
    NOT_CHECKABLE,
    THIN,
    Crosswalk,
    Readiness,
    crosswalk,
    readiness,
    theme_summary,
)
from corengine._rules.scoring import applies, display_percent
from corengine.errors import InputError
from corengine.model import Expectation, Standard
from corengine.model.evidence_kinds import ROLES, THEMES, Vocabulary, themes_of, vocabulary


def chosen_program(standard: Standard, program: str | None, option: str = "--program") -> str:
    """The program asked for, or the standard's first; a program the standard does not have is an input error
    naming ``option``."""
    if program is None:
        return standard.programs[0]
    if program not in standard.programs:
        raise InputError(
            [f"{option}: {standard.id} has no program {program!r} (programs: {', '.join(standard.programs)})"]
        )
    return program


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def readiness_json(result: Readiness, source: str) -> dict[str, Any]:
    def checks(q: Any) -> list[dict[str, Any]]:
        return [
            {
                "expects": expectation_json(c.expectation),
                "status": c.status,
                "credit": _exact(c.credit),
                "found": c.found,
                "problems": list(c.problems),
                "sources": list(c.sources),
            }
            for c in q.checks
        ]

    return {
        "format": "corengine.readiness/1",
        "label": ESTIMATE_LABEL,
        "standard": result.standard.id,
        "version": result.standard.version,
        "program": result.program,
        "on": result.on.isoformat(),
        "employer": result.index.employer,
        "index": source,
        "overall": {
            "checked": str(result.checked),
            "ready": str(result.ready),
            "at_risk": str(result.at_risk),
            "estimate": display_percent(result.estimate),
            "estimate_exact": _exact(result.estimate),
        },
        "elements": [
            {
                "id": e.id,
                "title": e.title,
                "themes": list(e.themes),
                "checked": str(e.checked),
                "ready": str(e.ready),
                "at_risk": str(e.at_risk),
                "estimate": display_percent(e.estimate),
                "estimate_exact": _exact(e.estimate),
                "counts": {s: e.count(s) for s in (COVERED, THIN, MISSING, NOT_CHECKABLE, NA)},
                "questions": [
                    {
                        "id": q.id,
                        "points": str(q.points),
                        "status": q.status,
                        "credit": _exact(q.credit),
                        "at_risk": str(q.at_risk),
                        "na": q.na,
                        "checks": checks(q),
                    }
                    for q in e.questions
                ],
            }
            for e in result.elements
        ],
    }


def readiness_of(
    standard: Standard, loaded: LoadedIndex, on: dt.date | None, program: str | None, option: str = "--program"
) -> tuple[Readiness, Vocabulary]:
    """The readiness of the index ``loaded`` for ``standard`` on ``on`` (default the index's audit date, else
    today) for ``program`` (default the index's, else the standard's first; ``option`` names it in messages),
    and the vocabulary that describes it; an index with problems raises :class:`InputError` listing them."""
    vocab = vocabulary(standard)
    problems = index_problems(loaded, standard, vocab)
    if problems:
        raise InputError(problems)
    chosen = chosen_program(standard, program if program is not None else loaded.index.program, option)
    day = on or loaded.index.audit_date or dt.date.today()
    return readiness(standard, vocab, loaded.index, day, chosen), vocab


def crosswalk_json(walk: Crosswalk, source: str) -> dict[str, Any]:
    score = walk.source.score
    checked, covered = walk.points()
    return {
        "format": "corengine.crosswalk/1",
        "label": COVERAGE_LABEL,
        "source": {
            "audit": source,
            "standard": score.standard,
            "program": score.program,
            "date": walk.source.audit.audit_date.isoformat(),
            "earned": str(score.earned),
            "available": str(score.available),
        },
        "target": {"standard": walk.target.id, "version": walk.target.version, "program": walk.program},
        "overall": {
            "checked": str(checked),
            "covered": str(covered),
            "estimate": display_percent(walk.estimate),
            "estimate_exact": _exact(walk.estimate),
        },
        "themes": [
            {
                "theme": theme,
                "questions": n,
                "checked": str(c),
                "covered": str(v),
                "interview_observation_only": only,
            }
            for theme, n, c, v, only in theme_summary(walk)
        ],
        "questions": [
            {
                "id": q.id,
                "element": q.element,
                "points": str(q.points),
                "themes": list(q.themes),
                "status": q.status,
                "credit": _exact(q.credit),
                "checks": [
                    {
                        "expects": expectation_json(c.expectation),
                        "status": c.status,
                        "credit": _exact(c.credit),
                        "from": [
                            {
                                "question": m.question,
                                "earned": str(m.earned),
                                "available": str(m.available),
                                "same_theme": m.same_theme,
                                "current": m.current,
                            }
                            for m in c.matches
                        ],
                    }
                    for c in q.checks
                ],
            }
            for q in walk.questions
        ],
    }


def crosswalk_of(
    engine: Engine, loaded: LoadedAudit, target_id: str, program: str | None, option: str = "--program"
) -> tuple[Crosswalk, Vocabulary]:
    """The crosswalk of the audit ``loaded`` (scored) to the standard ``target_id`` for ``program`` (default the
    target's first; ``option`` names it in messages), and the target's vocabulary."""
    result = engine.score(loaded)
    target = engine.standard(target_id)
    return crosswalk(result, target, chosen_program(target, program, option)), vocabulary(target)


def map_json(standard: Standard, chosen: str, vocab: Vocabulary, checklist: dict[str, list[str]]) -> dict[str, Any]:
    """``corengine map --format json``: the standard's questions the program answers, with what each expects,
    and the checklist of evidence kinds."""
    return {
        "standard": standard.id,
        "version": standard.version,
        "program": chosen,
        "note": standard.expects_note,
        "elements": [
            {
                "id": element.id,
                "title": element.title,
                "themes": list(element.themes),
                "questions": [
                    {
                        "id": q.id,
                        "text": q.text,
                        "points": str(q.points),
                        "methods": list(q.methods),
                        "themes": list(themes_of(element.themes, q.themes)),
                        "expects": [expectation_json(x) for x in q.expects],
                    }
                    for q in element.questions
                    if applies(q, chosen)
                ],
            }
            for element in standard.elements
            if any(applies(q, chosen) for q in element.questions)
        ],
        "checklist": [
            {"kind": kind, "form": kind_form(vocab, kind), "questions": ids} for kind, ids in sorted(checklist.items())
        ],
    }


def vocabulary_json(vocab: Vocabulary) -> dict[str, Any]:
    """``corengine map --vocabulary --format json``: the evidence kinds (and which the standard's plugin added),
    the interview roles and the themes."""
    kinds = list(vocab.kinds.values())
    return {
        "kinds": [
            {
                "id": k.id,
                "title": k.title,
                "form": k.form,
                "description": k.description,
                "plugin": k.id in vocab.added,
            }
            for k in kinds
        ],
        "roles": [{"id": r, "description": d} for r, d in ROLES.items()],
        "themes": [{"id": t, "description": d} for t, d in THEMES.items()],
    }


def kind_form(vocab: Vocabulary, kind: str | None) -> str:
    """The form (document or record) of an evidence kind; a kind the vocabulary does not know is a document."""
    found = vocab.get(kind or "")
    return found.form if found else "document"


def expectation_json(expectation: Expectation) -> dict[str, object]:
    """What a question expects, as the map and readiness documents write it."""
    data: dict[str, object] = {}
    if expectation.kind is not None:
        data.update(kind=expectation.kind, count=expectation.count)
        data["within_months"] = expectation.within_months
        data["months"] = expectation.months
    elif expectation.interview:
        data["interview"] = list(expectation.interview)
    else:
        data["observe"] = expectation.observe
    data["about"] = expectation.about
    if expectation.confidence:
        data["confidence"] = expectation.confidence
    return data

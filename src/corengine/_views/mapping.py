"""Readiness and crosswalk as published documents: an employer's evidence index read against a standard, and
one province's evidence carried to another, as JSON (``corengine.readiness/1``, ``corengine.crosswalk/1``).

The CLI and the HTTP service both answer from these functions, so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import attrs
from attrs import field, frozen

from corengine._formats.evidence_index import LoadedIndex, index_problems
from corengine._host.engine import Engine
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
    other_standard,
    readiness,
    theme_summary,
)
from corengine._rules.scoring import applies, display_percent
from corengine.errors import InputError
from corengine.model import Expectation, LoadedAudit, Standard
from corengine.model.converter import KEY, unstructure
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


# --------------------------------------------------------------------------- readiness document


@frozen
class ReadinessCheckDocument:
    """One expectation of a question against the index."""

    expects: dict[str, Any]
    """What the question expects (kind, count, months, about; or the interview roles; or what to observe)."""
    status: str
    """covered, thin, missing, not checkable or n/a."""
    credit: str | None
    """The share of the expectation met, exact (None: not checkable from documents)."""
    found: str
    """What the index holds for it."""
    problems: tuple[str, ...]
    """Why it is thin: too few, too old, fewer months, undated."""
    sources: tuple[str, ...]
    """The index entries it read."""


@frozen
class ReadinessQuestionDocument:
    """A question's readiness: its points and what its expectations found."""

    id: str
    points: str
    """Points, exact."""
    status: str
    credit: str | None
    """The question's estimated credit, exact (None: not checkable)."""
    at_risk: str
    """Points at risk, exact."""
    na: str
    """Why the index marks it not applicable ("" when it does not)."""
    checks: tuple[ReadinessCheckDocument, ...]


@frozen
class ReadinessElementDocument:
    """An element's readiness."""

    id: str
    title: str
    themes: tuple[str, ...]
    checked: str
    """Points checkable from documents, exact."""
    ready: str
    """Points the evidence supports, exact."""
    at_risk: str
    estimate: float | None
    """The estimate in percent, rounded for people (None: nothing checkable)."""
    estimate_exact: str | None
    counts: dict[str, int]
    """Questions per status."""
    questions: tuple[ReadinessQuestionDocument, ...]


@frozen
class ReadinessOverall:
    """The whole index against the standard."""

    checked: str
    ready: str
    at_risk: str
    estimate: float | None
    estimate_exact: str | None


@frozen
class ReadinessDocument:
    """``corengine readiness --format json`` (``corengine.readiness/1``): an estimate from documents and records,
    never a score."""

    format: str
    label: str
    standard: str
    version: str
    program: str
    on: str
    employer: str | None
    index: str
    """The evidence index read."""
    overall: ReadinessOverall
    elements: tuple[ReadinessElementDocument, ...]
    warnings: tuple[str, ...] = ()
    """Each a ``file:line: path: message`` line: the index names another standard than the one checked."""


def readiness_document(result: Readiness, source: str) -> ReadinessDocument:
    """The readiness in its published shape."""
    return ReadinessDocument(
        format="corengine.readiness/1",
        label=ESTIMATE_LABEL,
        standard=result.standard.id,
        version=result.standard.version,
        program=result.program,
        on=result.on.isoformat(),
        employer=result.index.employer,
        index=source,
        overall=ReadinessOverall(
            str(result.checked),
            str(result.ready),
            str(result.at_risk),
            display_percent(result.estimate),
            _exact(result.estimate),
        ),
        elements=tuple(
            ReadinessElementDocument(
                id=e.id,
                title=e.title,
                themes=e.themes,
                checked=str(e.checked),
                ready=str(e.ready),
                at_risk=str(e.at_risk),
                estimate=display_percent(e.estimate),
                estimate_exact=_exact(e.estimate),
                counts={s: e.count(s) for s in (COVERED, THIN, MISSING, NOT_CHECKABLE, NA)},
                questions=tuple(
                    ReadinessQuestionDocument(
                        id=q.id,
                        points=str(q.points),
                        status=q.status,
                        credit=_exact(q.credit),
                        at_risk=str(q.at_risk),
                        na=q.na,
                        checks=tuple(
                            ReadinessCheckDocument(
                                expectation_json(c.expectation),
                                c.status,
                                _exact(c.credit),
                                c.found,
                                c.problems,
                                c.sources,
                            )
                            for c in q.checks
                        ),
                    )
                    for q in e.questions
                ),
            )
            for e in result.elements
        ),
        warnings=result.warnings,
    )


def readiness_json(result: Readiness, source: str) -> dict[str, Any]:
    """``corengine readiness --format json`` (and ``POST /v1/readiness``): the converter's form of
    :func:`readiness_document`."""
    data: dict[str, Any] = unstructure(readiness_document(result, source))
    return data


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
    result = readiness(standard, vocab, loaded.index, day, chosen)
    other = other_standard(standard, loaded.index)
    if other is not None:
        result = attrs.evolve(result, warnings=(str(loaded.problem(("standard",), other)),))
    return result, vocab


# --------------------------------------------------------------------------- crosswalk document


@frozen
class CrosswalkMatch:
    """A source question whose evidence an expectation reuses."""

    question: str
    earned: str
    """Its points in the source audit, exact."""
    available: str
    same_theme: bool
    """Whether it shares the target question's theme."""
    current: bool
    """Whether its evidence is recent enough for the expectation's window."""


@frozen
class CrosswalkCheck:
    """One expectation of a target question, met from the source audit's questions."""

    expects: dict[str, Any]
    status: str
    credit: str | None
    matches: tuple[CrosswalkMatch, ...] = field(metadata={KEY: "from"})
    """The source questions it reuses (written ``from``)."""


@frozen
class CrosswalkQuestionDocument:
    """A target question's coverage."""

    id: str
    element: str
    points: str
    themes: tuple[str, ...]
    status: str
    credit: str | None
    checks: tuple[CrosswalkCheck, ...]


@frozen
class CrosswalkTheme:
    """Coverage per theme (by each question's main theme)."""

    theme: str
    questions: int
    checked: str
    covered: str
    interview_observation_only: int
    """Questions checkable only by interviews or observation."""


@frozen
class CrosswalkSource:
    """The audit whose evidence is carried."""

    audit: str
    standard: str
    program: str
    date: str
    earned: str
    available: str


@frozen
class CrosswalkTarget:
    """The standard the evidence is carried to."""

    standard: str
    version: str
    program: str


@frozen
class CrosswalkOverall:
    """Coverage over the target standard."""

    checked: str
    covered: str
    estimate: float | None
    estimate_exact: str | None


@frozen
class CrosswalkDocument:
    """``corengine crosswalk --format json`` (``corengine.crosswalk/1``): evidence coverage, never a score."""

    format: str
    label: str
    source: CrosswalkSource
    target: CrosswalkTarget
    overall: CrosswalkOverall
    themes: tuple[CrosswalkTheme, ...]
    questions: tuple[CrosswalkQuestionDocument, ...]


def crosswalk_document(walk: Crosswalk, source: str) -> CrosswalkDocument:
    """The crosswalk in its published shape."""
    score = walk.source.score
    checked, covered = walk.points()
    return CrosswalkDocument(
        format="corengine.crosswalk/1",
        label=COVERAGE_LABEL,
        source=CrosswalkSource(
            source,
            score.standard,
            score.program,
            walk.source.audit.audit_date.isoformat(),
            str(score.earned),
            str(score.available),
        ),
        target=CrosswalkTarget(walk.target.id, walk.target.version, walk.program),
        overall=CrosswalkOverall(str(checked), str(covered), display_percent(walk.estimate), _exact(walk.estimate)),
        themes=tuple(CrosswalkTheme(t, n, str(c), str(v), only) for t, n, c, v, only in theme_summary(walk)),
        questions=tuple(
            CrosswalkQuestionDocument(
                id=q.id,
                element=q.element,
                points=str(q.points),
                themes=q.themes,
                status=q.status,
                credit=_exact(q.credit),
                checks=tuple(
                    CrosswalkCheck(
                        expectation_json(c.expectation),
                        c.status,
                        _exact(c.credit),
                        tuple(
                            CrosswalkMatch(m.question, str(m.earned), str(m.available), m.same_theme, m.current)
                            for m in c.matches
                        ),
                    )
                    for c in q.checks
                ),
            )
            for q in walk.questions
        ),
    )


def crosswalk_json(walk: Crosswalk, source: str) -> dict[str, Any]:
    """``corengine crosswalk --format json`` (and ``POST /v1/crosswalk``): the converter's form of
    :func:`crosswalk_document`."""
    data: dict[str, Any] = unstructure(crosswalk_document(walk, source))
    return data


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

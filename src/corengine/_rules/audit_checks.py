"""Checks of an audit against its standard, beyond what the file's shape can say.

Every problem is a (path, message) pair; the engine adds file and line. The checks run on a structured audit,
or on the part of one that did structure (:func:`validate_fields`), so :func:`read_audit` reports every
problem of a file in one pass: what reading found, the structure, and the checks against the standard.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import compress, repeat
from operator import contains, not_
from typing import Any, cast

import attrs

from corengine._io.loading import Early, LineMap, PathKey, located
from corengine._rules.reuse import Reuse
from corengine._rules.scoring import Problem, ScoringMethod, answer_text, applies
from corengine.errors import MAX_PROBLEMS, InputError, UnknownStandardError, problem
from corengine.errors import Problem as Located
from corengine.model import (
    AUDIT_TYPES,
    METHODS,
    Audit,
    Employer,
    Response,
    Standard,
)
from corengine.model.audit import READING
from corengine.model.converter import BROKEN, Partial, structure_partial
from corengine.model.extensions import AuditExtension, move_deprecated, structure_extensions


def program_of(standard: Standard, audit: Audit) -> str:
    """The program audited: the audit's own, or the standard's first."""
    return audit.program or standard.programs[0]


def validate_audit(
    standard: Standard, audit: Audit, methods: Mapping[str, ScoringMethod], reuse: Reuse | None = None
) -> list[Problem]:
    """Every problem of ``audit`` against ``standard``: unknown ids, points over the maximum, bad N/A...

    ``reuse`` is the calling Engine's tables; without one nothing is kept, and the problems are the same."""
    return validate_fields(standard, {a.name: getattr(audit, a.name) for a in attrs.fields(Audit)}, methods, reuse)


def validate_fields(
    standard: Standard, fields: Mapping[str, Any], methods: Mapping[str, ScoringMethod], reuse: Reuse | None = None
) -> list[Problem]:
    """Every problem of an audit's fields against ``standard``.

    A field missing from ``fields`` (it has a problem of its own) is not checked, nor is any check that needs
    it; a response that is not a :class:`Response` (it did not structure) counts as given but is not checked.
    """
    reuse = Reuse.off() if reuse is None else reuse
    problems: list[Problem] = []
    version = fields.get("standard_version")
    if version is not None and version != standard.version:
        problems.append(
            (
                ("standard_version",),
                f"the audit was done on version {version!r} but the "
                f"installed {standard.id} is version {standard.version!r}",
            )
        )
    known_types = AUDIT_TYPES + standard.audit_types
    if "audit_type" in fields and fields["audit_type"] not in known_types:
        problems.append((("audit_type",), f"must be one of {', '.join(known_types)}, not {fields['audit_type']!r}"))
    program: str | None = None
    if "program" in fields:
        program = fields["program"] or standard.programs[0]
        if program not in standard.programs:
            problems.append((("program",), f"must be one of {', '.join(standard.programs)}, not {program!r}"))
            program = None  # the checks below that depend on the program cannot be made
    audit_date = fields.get("audit_date")
    if audit_date is not None:
        start, report = fields.get("start_date"), fields.get("report_date")
        if start is not None and start > audit_date:
            problems.append((("start_date",), f"must be on or before audit_date ({audit_date}), not {start}"))
        if report is not None and report < audit_date:
            problems.append((("report_date",), f"must be on or after audit_date ({audit_date}), not {report}"))
    known = [p.id for p in standard.prerequisites]
    unknown = 0
    for key in fields.get("prerequisites", {}) or {}:
        if key not in known:
            unknown += 1  # a did-you-mean only for the problems that can be shown (MAX_PROBLEMS)
            import difflib  # (only for a problem: not imported by a valid audit)

            close = difflib.get_close_matches(key, known, n=1) if unknown <= MAX_PROBLEMS else []
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(
                (
                    ("prerequisites", key),
                    f"{standard.id} has no prerequisite {key!r} ({hint}its prerequisites: {', '.join(known) or 'none'})",
                )
            )
    employer = fields.get("employer")
    if isinstance(employer, Employer):
        for index, site in enumerate(fields.get("worksites_visited", ())):
            if employer.worksites and site not in employer.worksites:
                problems.append(
                    (
                        ("worksites_visited", index),
                        f"{site!r} is not one of employer.worksites ({', '.join(employer.worksites)})",
                    )
                )
        for index, unit in enumerate(fields.get("classification_units_covered", ())):
            if employer.classification_units and unit not in employer.classification_units:
                problems.append(
                    (
                        ("classification_units_covered", index),
                        f"{unit!r} is not one of employer.classification_units "
                        f"({', '.join(employer.classification_units)})",
                    )
                )
    if isinstance(employer, Employer) and employer.records_months is None:
        problems += _records_needed(standard, fields, program, audit_date)
    responses = fields.get("responses")
    if not isinstance(responses, Mapping):
        return problems
    unrequired: frozenset[str] = frozenset()
    if program is not None and audit_date is not None and "audit_type" in fields:
        found = standard.rule_in_force(fields["audit_type"], program, audit_date)
        if found is not None and found[1].methods_required:
            unrequired = frozenset(METHODS) - set(found[1].methods_required)
    problems += _response_problems(standard, program, responses, methods, reuse, unrequired)
    if program is not None:
        answerable = reuse.plans.of(standard, methods).answerable(program)
        missing = [] if responses.keys() >= answerable.keys() else [q for q in answerable if q not in responses]
        if missing:
            shown = ", ".join(missing[:20]) + (f" and {len(missing) - 20} more" if len(missing) > 20 else "")
            problems.append((("responses",), f"{len(missing)} question(s) without a response: {shown}"))
    return problems


def _records_needed(
    standard: Standard, fields: Mapping[str, Any], program: str | None, audit_date: Any
) -> list[Problem]:
    """``employer.records_months`` missing where the rule in force cannot grant a certificate without it: every
    certificate it grants needs months of records. (An audit type's own ``records_months_minimum`` left unchecked
    is an ``info`` finding instead: nothing is granted on it.)"""
    if program is None or audit_date is None or "audit_type" not in fields:
        return []
    found = standard.rule_in_force(fields["audit_type"], program, audit_date)
    if found is None:
        return []
    rule, version = found
    if not version.certificates or any(c.min_records_months is None for c in version.certificates):
        return []
    return [
        (
            ("employer", "records_months"),
            f"give the employer's months of health and safety records: the rules in force ({rule.id} from "
            f"{version.start}) need them to grant a certificate",
        )
    ]


def _response_problems(
    standard: Standard,
    program: str | None,
    responses: Mapping[str, Any],
    methods: Mapping[str, ScoringMethod],
    reuse: Reuse,
    unrequired: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Problems of each response; a question answerable only by methods in ``unrequired`` (methods the rules in
    force do not require, e.g. interviews and observation in 2020's documentation-only audits) may be N/A."""
    problems: list[Problem] = []
    plan = reuse.plans.of(standard, methods)
    slots = plan.slots
    shared = reuse.responses.shared
    valid = plan.valid(program)
    # the responses a pure method found valid for the same question before are skipped in one pass (an entry holds
    # its response, so an id in a table is that response's); the program's own questions only
    known_valid = map(contains, map(valid.get, responses, repeat(())), map(id, responses.values()))
    for qid in list(compress(responses, map(not_, known_valid))):
        response = responses[qid]
        slot = slots.get(qid)
        if slot is None:
            problems.append((("responses", qid), f"unknown question id {qid!r} in {standard.id}"))
            continue
        question, method = slot.question, slot.method
        where: tuple[str | int, ...] = ("responses", qid)
        if program is not None and not applies(question, program):
            problems.append(
                (
                    where,
                    f"question {qid} is not answered in the {program} program (only {', '.join(question.programs)})",
                )
            )
            continue
        if not isinstance(response, Response):
            continue
        if response.points is None and not response.has_tally() and response.na is None:
            problems.append((where, f"no answer yet: give {answer_text(question, methods)}"))
            continue
        if response.na is not None:
            if question.na_allowed:  # whatever the rules in force require: kept as valid for this question
                if id(response) in shared:
                    plan.keep_valid(slot, response)
                continue
            by_method = bool(question.methods) and set(question.methods) <= unrequired
            if not by_method:
                problems.append(((*where, "na"), f"question {qid} may not be marked not applicable"))
            continue
        if method is None:
            problems.append(
                (
                    where,
                    f"question {qid} uses scoring method {question.scoring.method!r}, "
                    f"which no installed plugin provides",
                )
            )
            continue
        messages = method.validate(question, response)
        if not messages and slot.pure and id(response) in shared:
            plan.keep_valid(slot, response)
        for message in messages:
            field = "points" if response.points is not None else None
            problems.append(((*where, field) if field else where, message))
    return problems


def _under(path: PathKey, broken: list[PathKey]) -> bool:
    return any(path[: len(b)] == b for b in broken)


def _good_fields(result: Any, broken: list[PathKey]) -> dict[str, Any]:
    """The audit fields that structured, with those a reading problem made unusable left out."""
    if isinstance(result, Audit):
        fields = {a.name: getattr(result, a.name) for a in attrs.fields(Audit)}
    elif isinstance(result, Partial):
        fields = dict(result.values)
        if isinstance(result.failed.get("responses"), dict):  # some responses failed: check the others
            fields["responses"] = result.failed["responses"]
    else:
        return {}
    for path in broken:
        if len(path) >= 2 and path[0] == "responses" and isinstance(fields.get("responses"), dict):
            if path[1] in fields["responses"]:
                fields["responses"] = {**fields["responses"], path[1]: BROKEN}
        elif path:
            fields.pop(str(path[0]), None)
    return fields


def read_audit(
    data: Any,
    source: str,
    lines: LineMap,
    early: Early,
    standard_for: Callable[[str], Standard],
    methods: Callable[[], Mapping[str, ScoringMethod]],
    extensions: Callable[[], Mapping[str, AuditExtension]] | None = None,
    reuse: Reuse | None = None,
) -> Audit:
    """Structure an audit, or raise :class:`InputError` listing every problem of the data in one pass.

    ``early`` holds the problems found while reading the file (a bad spreadsheet cell, a duplicate key), each
    with the path it makes unusable. Then come the structure's problems (unknown keys, wrong types, impossible
    dates, bad values) and every check against the standard that can run on the fields that did structure:
    points over the maximum, unknown and unanswered questions, dates out of order. The plugins' own checks need
    the whole audit; :meth:`corengine._host.engine.Engine.check` runs them once it structures.

    ``extensions`` (the registered audit extensions) structure each ``extensions`` block with its plugin's class in
    the same pass; a top-level key an extension took over is moved into it, with a DeprecationWarning.
    """
    found: list[Located] = [p for _, p in early]
    broken = [path for path, _ in early if path is not None]
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise InputError([*found, problem(source, "", f"expected a mapping at the top level, got {kind}")])
    registered = extensions() if extensions is not None else {}
    data, moved = move_deprecated(data, lines, registered)
    found += [located(source, lines, path, message) for path, message in moved]
    token = READING.set(None if reuse is None else reuse.responses)
    try:
        result, issues = structure_partial(data, Audit)
    finally:
        READING.reset(token)
    typed, extra = structure_extensions(data.get("extensions", {}), registered)
    every = [(issue.path, issue.message, issue.hint) for issue in issues] + extra
    kept = [(path, message, hint) for path, message, hint in every if not _under(path, broken)]
    shown = max(0, MAX_PROBLEMS - len(found))  # past these, a problem is only counted: it need not be placed
    found += [located(source, lines, path, message, hint) for path, message, hint in kept[:shown]]
    hidden = len(kept) - len(kept[:shown])  # only counted: every later problem is past the shown ones too
    if not found:
        return attrs.evolve(cast(Audit, result), extensions=typed) if typed else cast(Audit, result)
    fields = _good_fields(result, broken)
    ident = fields.get("standard")
    if isinstance(ident, str):
        try:
            standard = standard_for(ident)
        except UnknownStandardError as exc:
            found.append(located(source, lines, ("standard",), str(exc)))
        else:
            found += [
                located(source, lines, path, message)
                for path, message in validate_fields(standard, fields, methods(), reuse)
            ]
    if hidden:
        raise InputError(found[:MAX_PROBLEMS], more=hidden + len(found[MAX_PROBLEMS:]))
    raise InputError(found)

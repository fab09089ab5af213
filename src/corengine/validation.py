"""Checks of an audit against its standard, beyond what the file's shape can say.

Every problem is a (path, message) pair; the engine adds file and line.
"""

from __future__ import annotations

from collections.abc import Mapping

from .model import AUDIT_TYPES, Audit, Standard
from .scoring import Problem, ScoringMethod, applies
from .workbook import answer_form


def program_of(standard: Standard, audit: Audit) -> str:
    """The program audited: the audit's own, or the standard's first."""
    return audit.program or standard.programs[0]


def validate_audit(standard: Standard, audit: Audit, methods: Mapping[str, ScoringMethod]) -> list[Problem]:
    """Every problem of ``audit`` against ``standard``: unknown ids, points over the maximum, bad N/A..."""
    problems: list[Problem] = []
    if audit.standard_version is not None and audit.standard_version != standard.version:
        problems.append(
            (
                ("standard_version",),
                f"the audit was done on version {audit.standard_version!r} but the "
                f"installed {standard.id} is version {standard.version!r}",
            )
        )
    program = program_of(standard, audit)
    known_types = AUDIT_TYPES + standard.audit_types
    if audit.audit_type not in known_types:
        problems.append((("audit_type",), f"must be one of {', '.join(known_types)}, not {audit.audit_type!r}"))
    if program not in standard.programs:
        problems.append((("program",), f"must be one of {', '.join(standard.programs)}, not {program!r}"))
        return problems
    for date_field in ("start_date", "report_date"):
        other = getattr(audit, date_field)
        if date_field == "start_date" and other is not None and other > audit.audit_date:
            problems.append(((date_field,), f"must be on or before audit_date ({audit.audit_date}), not {other}"))
        if date_field == "report_date" and other is not None and other < audit.audit_date:
            problems.append(((date_field,), f"must be on or after audit_date ({audit.audit_date}), not {other}"))
    for index, site in enumerate(audit.worksites_visited):
        if audit.employer.worksites and site not in audit.employer.worksites:
            problems.append(
                (
                    ("worksites_visited", index),
                    f"{site!r} is not one of employer.worksites ({', '.join(audit.employer.worksites)})",
                )
            )
    for index, unit in enumerate(audit.classification_units_covered):
        if audit.employer.classification_units and unit not in audit.employer.classification_units:
            problems.append(
                (
                    ("classification_units_covered", index),
                    f"{unit!r} is not one of employer.classification_units ({', '.join(audit.employer.classification_units)})",
                )
            )
    questions = {q.id: q for _, q in standard.questions()}
    for qid, response in audit.responses.items():
        where: tuple[str | int, ...] = ("responses", qid)
        question = questions.get(qid)
        if question is None:
            problems.append((where, f"unknown question id {qid!r} in {standard.id}"))
            continue
        if not applies(question, program):
            problems.append(
                (
                    where,
                    f"question {qid} is not answered in the {program} program (only {', '.join(question.programs)})",
                )
            )
            continue
        if response.points is None and not response.has_tally() and response.na is None:
            problems.append((where, f"no answer yet: give {answer_form(question)}"))
            continue
        if response.na is not None:
            if not question.na_allowed:
                problems.append(((*where, "na"), f"question {qid} may not be marked not applicable"))
            continue
        method = methods.get(question.scoring.method)
        if method is None:
            problems.append(
                (
                    where,
                    f"question {qid} uses scoring method {question.scoring.method!r}, "
                    f"which no installed plugin provides",
                )
            )
            continue
        for message in method.validate(question, response):
            field = "points" if response.points is not None else None
            problems.append(((*where, field) if field else where, message))
    missing = [q.id for _, q in standard.questions() if applies(q, program) and q.id not in audit.responses]
    if missing:
        shown = ", ".join(missing[:20]) + (f" and {len(missing) - 20} more" if len(missing) > 20 else "")
        problems.append((("responses",), f"{len(missing)} question(s) without a response: {shown}"))
    return problems

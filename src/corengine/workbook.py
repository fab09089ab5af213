"""Text a person reads: the blank audit workbook and the description of a standard.

The workbook is YAML with a comment above every question (its text, points, methods, how it is scored
and what to write), so an auditor can fill it in with any editor.
"""

from __future__ import annotations

import datetime as dt
import json

from .model import Question, RuleVersion, Standard
from .scoring import applies
from .standards import ResolvedStandard


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def answer_form(question: Question) -> str:
    """How a response to ``question`` is written."""
    scoring = question.scoring
    if scoring.method == "awarded":
        allowed = ", ".join(str(s) for s in scoring.steps) if scoring.steps else f"0 to {question.points}"
        form = f"{{points: N}} with N one of {allowed}" if scoring.steps else f"{{points: N}} with N from {allowed}"
    else:
        by_method = {"I": "interviews", "O": "observations", "D": "documents"}
        kinds = [by_method[m] for m in ("I", "O", "D") if m in question.methods]
        name = scoring.tally or (kinds[0] if kinds else "interviews")
        others = "" if scoring.tally else " (or " + ", ".join(k for k in by_method.values() if k != name) + "; summed)"
        form = f"{{{name}: {{positive: N, total: N}}}}{others}"
    if question.na_allowed:
        form += ", or {na: reason}"
    return form


def scoring_summary(question: Question) -> str:
    scoring = question.scoring
    if scoring.method == "all_or_nothing":
        return f"all or nothing at {scoring.threshold if scoring.threshold is not None else 100}% positive"
    if scoring.method == "range":
        return f"in proportion to positive tallies, rounded {scoring.rounding.replace('_', ' ')}"
    if scoring.method == "awarded":
        return "awarded by the auditor"
    return scoring.method


def blank(standard: Standard, program: str) -> str:
    """A blank workbook for ``standard`` and ``program``; it validates once every answer is filled in."""
    lines = [
        f"# Audit workbook for {standard.title} ({standard.id} version {standard.version}), program {program}.",
        "# Fill in every field, answer every question, then run: corengine validate FILE && corengine score FILE",
    ]
    if standard.reference_document:
        lines.append("# Question wording is corengine's reference text, not the partner's official document.")
    lines += [
        f"standard: {_q(standard.id)}",
        f"standard_version: {_q(standard.version)}",
        f"program: {_q(program)}",
        "audit_type: certification   # certification, recertification, maintenance, ...",
        'audit_date: ""              # last day of on-site work (YYYY-MM-DD): the rules in force on it apply',
        "methods_used: [D, I, O]     # verification methods used: documentation, interviews, observation",
        "employer:",
        '  name: ""',
        "  workers: null             # management included, counted by your partner's rule",
        "  sites: null",
        "  records_months: null      # months of health and safety system records",
        "auditor:",
        '  name: ""',
        "  kind: external            # external, internal, candidate or self-assessor",
        "responses:",
    ]
    for element in standard.elements:
        questions = [q for q in element.questions if applies(q, program)]
        if not questions:
            continue
        lines.append(f"  # ---- Element {element.id}: {element.title}")
        for question in questions:
            flags = [f"{question.points} points", "+".join(question.methods), scoring_summary(question)]
            if question.mandatory:
                flags.append("MANDATORY")
            lines.append(f"  # {question.id} ({'; '.join(flags)})")
            lines.append(f"  #   {question.text}")
            for evidence in question.evidence:
                lines.append(f"  #   evidence: {evidence}")
            lines.append(f"  #   answer: {answer_form(question)}")
            lines.append(f"  {_q(question.id)}: {{}}")
    return "\n".join(lines) + "\n"


def rule_values(version: RuleVersion) -> list[str]:
    """The values of one rule version, one per line."""
    values = [
        f"overall minimum: {version.overall_minimum}%"
        if version.overall_minimum is not None
        else "overall minimum: none",
        f"element minimum: {version.element_minimum}%"
        if version.element_minimum is not None
        else "element minimum: elements not counted",
    ]
    if version.mandatory_full_marks:
        values.append("mandatory questions: full marks required")
    if version.methods_required:
        values.append(f"methods required: {'+'.join(version.methods_required)}")
    if version.methods_optional:
        values.append(f"methods optional: {'+'.join(version.methods_optional)}")
    if version.auditors:
        values.append(f"auditors: {', '.join(version.auditors)}")
    for cert in version.certificates:
        conditions = []
        if cert.min_records_months is not None:
            conditions.append(f">= {cert.min_records_months} months of records")
        if cert.methods:
            conditions.append(f"methods {'+'.join(cert.methods)}")
        if cert.auditors:
            conditions.append(f"{' or '.join(cert.auditors)} auditor")
        if cert.audit_types:
            conditions.append(f"{' or '.join(cert.audit_types)} only")
        length = f" ({cert.months} months)" if cert.months else ""
        values.append(
            f"certificate: {cert.certificate}{length}" + (f" if {', '.join(conditions)}" if conditions else "")
        )
    if version.on_pass:
        values.append(f"on pass: {version.on_pass}")
    for option in version.on_fail:
        at = f" (overall >= {option.overall_at_least}%)" if option.overall_at_least is not None else ""
        values.append(f"on fail{at}: {option.outcome}")
    return values


def describe(resolved: ResolvedStandard, on: dt.date) -> str:
    """``corengine show`` as text: the document, then the rules in force on ``on``."""
    std = resolved.standard
    lines = [
        f"{std.title}",
        f"  id {std.id}, version {std.version}, {std.jurisdiction}"
        + (f", partner {std.partner}" if std.partner else "")
        + f", programs {', '.join(std.programs)}",
    ]
    if len(resolved.chain) > 1:
        lines.append(f"  extends: {' -> '.join(resolved.chain[1:])}")
    if std.reference_document:
        lines.append("  reference document: the wording is corengine's own, not the partner's official text")
    total = sum((q.points for _, q in std.questions()), 0)
    lines.append(f"  {len(std.elements)} elements, {len(std.questions())} questions, {total} points")
    for element in std.elements:
        points = sum((q.points for q in element.questions), 0)
        lines.append(f"\nElement {element.id}: {element.title} ({points} points)")
        for q in element.questions:
            flags = ["+".join(q.methods), scoring_summary(q)]
            if q.na_allowed:
                flags.append("N/A allowed")
            if q.mandatory:
                flags.append("mandatory")
            if q.programs:
                flags.append(f"only {', '.join(q.programs)}")
            lines.append(f"  {q.id:7} {q.points!s:>4} pts  {q.text}  [{'; '.join(flags)}]")
    lines.append(f"\nRules in force on {on}:")
    any_rule = False
    for rule in std.rules:
        version = rule.in_force(on)
        if version is None:
            continue
        any_rule = True
        scope = ", ".join(rule.audit_types) + (f" ({', '.join(rule.programs)})" if rule.programs else "")
        plugin = resolved.plugin_for(rule.id, version.start.isoformat())
        lines.append(
            f"  {rule.id}: {rule.title} — {scope}; from {version.start}"
            + (f" to {version.end}" if version.end else "")
            + f"; confidence {version.confidence}; {plugin}"
        )
        lines += [f"      {value}" for value in rule_values(version)]
        if version.note:
            lines.append(f"      note: {version.note}")
        lines += [f"      source: {ref}" for ref in version.reference]
    if not any_rule:
        lines.append("  none")
    return "\n".join(lines) + "\n"

"""Text a person reads: the blank audit workbook and the description of a standard.

The workbook is YAML with a comment above every question (its text, points, methods, how it is scored
and what to write), so an auditor can fill it in with any editor.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from corengine._rules.scoring import ScoringMethod, answer_form, answer_text, applies
from corengine._util.dates import in_force
from corengine._util.textlayout import Layout, escape, wrap
from corengine.model import Question, ResolvedStandard, RuleVersion, Standard
from corengine.model.extensions import AuditExtension, extension_fields


def _q(text: str) -> str:
    """A YAML double-quoted string of ``text``, every invisible or control character written as an escape."""
    return "".join(
        char if char.isprintable() else f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}"
        for char in json.dumps(text, ensure_ascii=False)
    )


def _c(text: str) -> str:
    """Text for a YAML comment: on one line (a line break would end the comment and start YAML), controls shown
    escaped (:func:`textlayout.escape`)."""
    return escape(text)


def scoring_summary(question: Question, methods: Mapping[str, ScoringMethod] | None = None) -> str:
    scoring = question.scoring
    if scoring.method == "all_or_nothing":
        return f"all or nothing at {scoring.threshold if scoring.threshold is not None else 100}% positive"
    if scoring.method == "range":
        return f"in proportion to positive tallies, rounded {scoring.rounding.replace('_', ' ')}"
    if scoring.method == "awarded":
        return "awarded by the auditor"
    method = (methods or {}).get(scoring.method)
    if method is not None and method.description:
        return f"{scoring.method}: {method.description}"
    return scoring.method


def blank(
    standard: Standard,
    program: str,
    methods: Mapping[str, ScoringMethod] | None = None,
    extensions: Mapping[str, AuditExtension] | None = None,
) -> str:
    """A blank workbook for ``standard`` and ``program``; it validates once every answer is filled in.

    ``methods`` (the registered scoring methods) say how questions scored by a plugin's method are answered.
    ``extensions`` (the registered audit extensions) are shown as a commented ``extensions:`` block, every field
    of each, to uncomment where the audit gives one (:func:`extension_template`)."""
    lines = [
        _c(f"# Audit workbook for {standard.title} ({standard.id} version {standard.version}), program {program}."),
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
        "start_date: null            # optional: first day of data gathering (YYYY-MM-DD)",
        "report_date: null           # optional: when the report was submitted (YYYY-MM-DD)",
        "notice_date: null           # optional: when the partner was notified of the audit (YYYY-MM-DD)",
        "methods_used: [D, I, O]     # verification methods used: documentation, interviews, observation",
        "interviews_conducted: null  # optional: interviews done (compared with the sampling minimum)",
        "sites_visited: null         # optional: sites visited (defaults to the number of worksites visited)",
        "worksites_visited: []       # optional: names from employer.worksites, e.g. [Main yard, North shop]",
        "employer:",
        '  name: ""',
        "  workers: null             # management included, counted by your partner's rule",
        "  sites: null",
        "  records_months: null      # months of health and safety system records",
        "  worksites: []             # optional: every worksite's name, e.g. [Main yard, North shop]",
        "auditor:",
        '  name: ""',
        "  kind: external            # external, internal, candidate or self-assessor",
        *prerequisite_template(standard, program),
        *extension_template(extensions),
        "responses:",
    ]
    for element in standard.elements:
        questions = [q for q in element.questions if applies(q, program)]
        if not questions:
            continue
        lines.append(_c(f"  # ---- Element {element.id}: {element.title}"))
        for question in questions:
            flags = [f"{question.points} points", "+".join(question.methods), scoring_summary(question, methods)]
            if question.mandatory:
                flags.append("MANDATORY")
            lines.append(_c(f"  # {question.id} ({'; '.join(flags)})"))
            lines.append(_c(f"  #   {question.text}"))
            for evidence in question.evidence:
                lines.append(_c(f"  #   evidence: {evidence}"))
            lines.append(_c(f"  #   answer: {answer_text(question, methods)}"))
            lines.append(f"  {_q(question.id)}: {{}}")
    return "\n".join(lines) + "\n"


def _pad(text: str, comment: str) -> str:
    return _c(f"{text:<27} # {comment}")


def prerequisite_template(standard: Standard, program: str) -> list[str]:
    """The ``prerequisites:`` block of a blank YAML workbook: each fact the standard requires before an audit of
    ``program`` starts, to fill with the date it happened; no lines when it requires none."""
    rules = [p for p in standard.prerequisites if not p.programs or program in p.programs]
    if not rules:
        return []
    lines = [_pad("prerequisites:", "the date each happened (YYYY-MM-DD); one left out is a finding")]
    for rule in {p.id: p for p in rules}.values():
        lines.append(_pad(f'  {rule.id}: ""', f"{rule.text} ({rule.confidence})"))
    return lines


def extension_template(extensions: Mapping[str, AuditExtension] | None) -> list[str]:
    """The commented ``extensions:`` block of a blank YAML workbook: each registered extension by name, each of its
    fields as ``FIELD: null`` with what to write; no lines when none is registered."""
    if not extensions:
        return []
    lines = [_pad("# extensions:", "optional: plugins' fields; uncomment the ones this audit gives")]
    for name in sorted(extensions):
        extension = extensions[name]
        lines.append(_pad(f"#   {name}:", extension.description) if extension.description else _c(f"#   {name}:"))
        lines += [_pad(f"#     {item.name}: null", item.note) for item in extension_fields(extension)]
    return lines


def extension_lines(extensions: Mapping[str, AuditExtension] | None) -> list[str]:
    """``corengine show``'s lines for the registered audit extensions: each field's key and what to write."""
    return [
        f"{item.key}: {item.note}"
        for name in sorted(extensions or {})
        for item in extension_fields((extensions or {})[name])
    ]


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
        values.append(f"methods required: {'+'.join(version.methods_required)}" + _own(version.methods_confidence, ()))
    if version.methods_optional:
        values.append(f"methods optional: {'+'.join(version.methods_optional)}")
    if version.auditors:
        values.append(f"auditors: {', '.join(version.auditors)}" + _own(version.auditors_confidence, ()))
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
            f"certificate: {cert.certificate}{length}"
            + (f" if {', '.join(conditions)}" if conditions else "")
            + _own(cert.confidence, cert.reference)
        )
    if version.rounding is not None:
        values.append(
            f"percentages rounded {version.rounding.mode.replace('_', ' ')} to {version.rounding.places} places"
        )
    if version.records_months_minimum is not None:
        values.append(f"records: at least {version.records_months_minimum} months")
    days = [
        f"{label} <= {value} days"
        for label, value in (
            ("data gathering", version.data_gathering_days),
            ("report", version.report_days),
            ("each revision round", version.revision_days),
        )
        if value is not None
    ] + ([f"notice >= {version.notice_days} days"] if version.notice_days is not None else [])
    if days:
        late = "; missing one is an advisory (the partner decides)" if version.lateness == "partner-decides" else ""
        values.append(
            f"day limits: {', '.join(days)}{late}" + _own(version.deadline_confidence, version.deadline_reference)
        )
    if version.not_accepted:
        values.append(f"not accepted: {version.not_accepted}")
    if version.on_pass:
        values.append(f"on pass: {version.on_pass}")
    for option in version.on_fail:
        at = f" (overall >= {option.overall_at_least}%)" if option.overall_at_least is not None else ""
        values.append(f"on fail{at}: {option.outcome}" + _own(option.confidence, option.reference))
    return values


def _own(confidence: str | None, reference: tuple[str, ...]) -> str:
    """A value's own confidence and sources, where they differ from its rule version's."""
    parts = ([f"confidence {confidence}"] if confidence else []) + list(reference)
    return f" [{'; '.join(parts)}]" if parts else ""


def describe(
    resolved: ResolvedStandard,
    on: dt.date,
    layout: Layout | None = None,
    methods: Mapping[str, ScoringMethod] | None = None,
    extensions: Mapping[str, AuditExtension] | None = None,
) -> str:
    """``corengine show`` as text: the document, then the rules in force on ``on``, fitted to the width
    (``methods``: the registered scoring methods, to describe a plugin's method and its answer form), then the
    fields an audit may give under ``extensions`` (``extensions``: the registered audit extensions; no section
    when there are none)."""
    width = (layout or Layout.detect()).width
    std = resolved.standard
    lines: list[str] = []

    def add(text: str, indent: str = "", hanging: str | None = None) -> None:
        lines.extend(wrap(text, width, indent, indent + "  " if hanging is None else hanging))

    add(std.title)
    add(
        f"id {std.id}, version {std.version}, {std.jurisdiction}"
        + (f", partner {std.partner}" if std.partner else "")
        + f", programs {', '.join(std.programs)}",
        "  ",
    )
    if len(resolved.chain) > 1:
        add(f"extends: {' -> '.join(resolved.chain[1:])}", "  ")
    if std.reference_document:
        add("reference document: the wording is corengine's own, not the partner's official text", "  ")
    total = sum((q.points for _, q in std.questions()), 0)
    add(f"{len(std.elements)} elements, {len(std.questions())} questions, {total} points", "  ")
    for element in std.elements:
        points = sum((q.points for q in element.questions), 0)
        lines.append("")
        add(f"Element {element.id}: {element.title} ({points} points)")
        for q in element.questions:
            flags = ["+".join(q.methods), scoring_summary(q, methods)]
            if q.scoring.method not in ("awarded", "all_or_nothing", "range"):
                flags.append(f"answered by {answer_form(q, methods).replace('any', 'points or a tally')}")
            if q.na_allowed:
                flags.append("N/A allowed")
            if q.mandatory:
                flags.append("mandatory")
            if q.programs:
                flags.append(f"only {', '.join(q.programs)}")
            lead = f"  {q.id:7} {q.points!s:>4} pts  "
            add(f"{q.text}  [{'; '.join(flags)}]", lead, " " * len(lead))
    lines.append("")
    add(f"Rules in force on {on}:")
    any_rule = False
    for rule in std.rules:
        version = rule.in_force(on)
        if version is None:
            continue
        any_rule = True
        scope = ", ".join(rule.audit_types) + (f" ({', '.join(rule.programs)})" if rule.programs else "")
        plugin = resolved.plugin_for(rule.id, version.start.isoformat())
        add(
            f"{rule.id}: {rule.title} — {scope}; from {version.start}"
            + (f" to {version.end}" if version.end else "")
            + f"; confidence {version.confidence}; {plugin}",
            "  ",
        )
        for value in rule_values(version):
            add(value, "      ", "        ")
        if version.note:
            add(version.note, "      note: ", " " * 12)
        for ref in version.reference:
            add(ref, "      source: ", " " * 14)
    if not any_rule:
        add("none", "  ")
    sampling = std.sampling
    if sampling is not None:
        lines.append("")
        add(f"Sampling in force on {on}:")
        for kind, versions in (("interviews", sampling.interviews), ("sites", sampling.sites)):
            for table in versions:
                programs = table.programs
                if in_force(versions, on, lambda v: v.programs == programs) is not table:  # noqa: B023
                    continue
                scope = f" ({', '.join(table.programs)})" if table.programs else ""
                shape = (
                    "published points "
                    + ", ".join(f"{n} -> {m}" for n, m in table.interpolate)
                    + " (values between them interpolated: confidence L)"
                    if table.interpolate
                    else f"{len(table.rows)} rows"
                )
                add(f"{kind}{scope}: {shape}; from {table.start}; confidence {table.confidence}", "  ")
                for row in table.rows:
                    if row.confidence:
                        span = f"{row.min}" + ("+" if row.max is None else f"-{row.max}")
                        add(f"row {span}: {row.value} [confidence {row.confidence}] {row.note}".rstrip(), "      ")
                compared = table.reference_table
                if compared is not None:
                    add(f"shown for comparison: {compared.name} [confidence {compared.confidence}]", "      ")
                for source in table.reference:
                    add(source, "      source: ", " " * 14)
        if sampling.questionnaire_share is not None:
            add(f"questionnaires: at most {sampling.questionnaire_share}% of worker interviews", "  ")
            for source in sampling.reference:
                add(source, "      source: ", " " * 14)
        if sampling.levels_required:
            add(
                f"interview levels: {', '.join(sampling.levels_required)}"
                + _own(sampling.levels_confidence, sampling.levels_reference),
                "  ",
            )
    required = [p for p in std.prerequisites if p.start <= on and (p.end is None or on <= p.end)]
    if required:
        lines.append("")
        add(f"Prerequisites in force on {on} (the audit records each date under prerequisites):")
        for need in required:
            scope = ", ".join(need.audit_types or ("every audit",)) + (
                f" ({', '.join(need.programs)})" if need.programs else ""
            )
            measure = {
                "before": f"on or before the audit starts{f', at least {need.days} days' if need.days else ''}",
                "within_months": f"the audit within {need.months} months of it",
                "after_months": f"the audit at least {need.months} months after it",
            }[need.kind]
            add(f"{need.id}: {need.text} — {measure}; {scope}; from {need.start}; confidence {need.confidence}", "  ")
            for ref in need.reference:
                add(ref, "      source: ", " " * 14)
    assumed = [e for e in std.elements if e.confidence or e.note]
    for element in assumed:
        lines.append("")
        add(f"Element {element.id} structure: confidence {element.confidence or '-'}; {element.note}")
    fields = extension_lines(extensions)
    if fields:
        lines.append("")
        add("Audit extensions (fields the installed plugins read under `extensions`):")
        for text in fields:
            add(text, "  ", "      ")
    return "\n".join(lines) + "\n"

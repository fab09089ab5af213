"""Which decisions move under other rules: each audit re-decided under the rules in force on another date, or
under a standard overlay, and the two results compared finding by finding.

What ``corengine impact`` runs, usable without click. A change is a record: its kind (``pass-to-fail``,
``fail-to-pass``, ``certificate``, ``advisory-added``, ``advisory-removed``), the decision before and after, and
the findings that made the difference (before and after, typed: check, status, subject, required, measured), so
every change names the rule check behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs

from corengine._batch.runner import Row, Source, bad_row
from corengine._host.engine import Engine
from corengine._views.batch import BadFile, ImpactAgainst, ImpactDocument
from corengine.errors import CorengineError, InputError, Problem
from corengine.model import LoadedAudit, Outcome, Result
from corengine.model.converter import unstructure
from corengine.model.findings import Finding
from corengine.model.impact import KINDS, AuditImpact, Change, FindingChange, RuleApplied


def rule_applied(outcome: Outcome) -> RuleApplied:
    """The rule of ``outcome`` and the start of the version applied (from its ``<rule>.version`` finding)."""
    version = next((f.rule_version for f in outcome.reasons if f.check == f"{outcome.rule}.version"), None)
    return RuleApplied(outcome.rule, version)


def _keyed(findings: Iterable[Finding]) -> dict[tuple[str, str, int], Finding]:
    """Findings by check, subject and occurrence (a check may be made more than once for one subject)."""
    seen: dict[tuple[str, str], int] = {}
    keyed = {}
    for f in findings:
        n = seen.get((f.check, f.subject), 0)
        seen[(f.check, f.subject)] = n + 1
        keyed[(f.check, f.subject, n)] = f
    return keyed


def _same(a: Finding, b: Finding) -> bool:
    return (a.status, a.required, a.measured) == (b.status, b.required, b.measured)


def differences(before: Outcome, after: Outcome) -> list[FindingChange]:
    """Every finding whose status, requirement or measurement differs, or that only one outcome has, in the
    order of the findings before, then the new ones."""
    old, new = _keyed(before.reasons), _keyed(after.reasons)
    found = []
    for key in [*old, *(k for k in new if k not in old)]:
        a, b = old.get(key), new.get(key)
        if a is None or b is None or not _same(a, b):
            found.append(FindingChange(key[0], key[1], a, b))
    return found


def _status(finding: Finding | None) -> str | None:
    return None if finding is None else finding.status


def _certificate(outcome: Outcome) -> str:
    if not outcome.passed:
        return "not passed"
    if outcome.certificate is None:
        return "passed, no certificate"
    parts = [outcome.certificate]
    if outcome.certificate_months:
        parts.append(f"{outcome.certificate_months} months")
    if outcome.valid_until:
        parts.append(f"valid until {outcome.valid_until}")
    return ", ".join(parts)


def compare(before: Outcome, after: Outcome) -> tuple[Change, ...]:
    """The decisions that change from ``before`` to ``after``: passed or not; the certificate (its name, length
    or end) when both pass; each advisory appearing or disappearing. Each with the findings that made it."""
    diff = differences(before, after)
    changes = []
    if before.passed != after.passed:
        if before.passed:
            because = [d for d in diff if _status(d.after) == "fail" and _status(d.before) != "fail"]
            changes.append(Change("pass-to-fail", _certificate(before), _certificate(after), tuple(because)))
        else:
            because = [d for d in diff if _status(d.before) == "fail" and _status(d.after) != "fail"]
            changes.append(Change("fail-to-pass", _certificate(before), _certificate(after), tuple(because)))
    elif before.passed and (before.certificate, before.certificate_months, before.valid_until) != (
        after.certificate,
        after.certificate_months,
        after.valid_until,
    ):
        because = [d for d in diff if d.check.endswith((".certificate", ".on_pass"))]
        changes.append(Change("certificate", _certificate(before), _certificate(after), tuple(because)))
    for d in diff:
        if _status(d.after) == "advisory" and _status(d.before) != "advisory":
            changes.append(Change("advisory-added", _status(d.before) or "not checked", "advisory", (d,)))
        elif _status(d.before) == "advisory" and _status(d.after) != "advisory":
            changes.append(Change("advisory-removed", "advisory", _status(d.after) or "not checked", (d,)))
    return tuple(changes)


class Rescorer:
    """Decides an audit again under other rules: those in force on ``rules_on``, and/or against the standards
    of ``overlay`` (an engine given overlay files with :meth:`Engine.add_standard_file`).

    An overlay applies to an audit whose standard it replaces (the same id) or extends (its ``extends`` chain
    reaches the audit's standard; the nearest such overlay wins). An audit no overlay covers is re-decided
    against its own standard (so only ``rules_on``, if given, changes it).
    """

    def __init__(
        self,
        engine: Engine,
        rules_on: dt.date | None = None,
        overlay: Engine | None = None,
        overlay_ids: Sequence[str] = (),
    ) -> None:
        self.engine, self.rules_on, self.overlay = engine, rules_on, overlay
        self._chains = {ident: overlay.resolve(ident).chain for ident in overlay_ids} if overlay else {}

    def standard_for(self, standard: str) -> str | None:
        """The overlay standard an audit of ``standard`` is re-decided against, or None."""
        best: tuple[int, str] | None = None
        for ident, chain in self._chains.items():
            if standard in chain:
                depth = chain.index(standard)
                if best is None or depth < best[0]:
                    best = (depth, ident)
        return None if best is None else best[1]

    def load(self, path: str) -> tuple[LoadedAudit, Engine]:
        """The audit at ``path`` and the engine it is judged by before: the installed engine, or the overlay's for
        an audit of an overlay standard itself that is not installed (the overlay then decides both sides, so only
        ``rules_on`` changes it)."""
        loaded = self.engine.load_audit(path)
        standard = loaded.audit.standard
        if self.overlay is not None and standard in self._chains and standard not in self.engine.sources():
            return self.overlay.load_audit(path), self.overlay
        return loaded, self.engine

    def rescore(self, loaded: LoadedAudit, strict: bool) -> tuple[Result, str]:
        """The result under the other rules, and the overlay standard used ("" when none)."""
        under = self.standard_for(loaded.audit.standard)
        if under is None or self.overlay is None:
            return (self.overlay or self.engine).score(loaded, strict=strict, rules_on=self.rules_on), ""
        audit = attrs.evolve(loaded.audit, standard=under, standard_version=None)
        return self.overlay.score(attrs.evolve(loaded, audit=audit), strict=strict, rules_on=self.rules_on), under


def assess(rescorer: Rescorer, source: Source, strict: bool = False) -> AuditImpact | Row:
    """The impact on one audit, or a bad row (see :func:`corengine._batch.runner.bad_row`) when it cannot be scored
    either way."""
    engine = rescorer.engine
    if source.missing:
        return bad_row(source.path, [Problem(file=source.path, message=source.missing)])
    try:
        loaded, engine = rescorer.load(source.path)
        before = engine.score(loaded, strict=strict)
        if engine is rescorer.engine:
            after, under = rescorer.rescore(loaded, strict)
        else:  # an audit of an overlay standard: the overlay decides both sides
            after, under = engine.score(loaded, strict=strict, rules_on=rescorer.rules_on), loaded.audit.standard
    except InputError as exc:
        return bad_row(source.path, exc.problems, exc.truncated)
    except CorengineError as exc:
        return bad_row(source.path, [Problem(file=source.path, message=str(exc))])
    except RecursionError:
        return bad_row(source.path, [Problem(file=source.path, message="nested too deeply to read")])
    except Exception as exc:  # as in a batch: an unexpected error is that file's entry, the run goes on
        message = f"unexpected error ({type(exc).__name__}); run `corengine score` on this file with --debug"
        return bad_row(source.path, [Problem(file=source.path, message=message)])
    audit = loaded.audit
    return AuditImpact(
        file=source.path,
        standard=audit.standard,
        employer=audit.employer.name,
        date=audit.audit_date,
        audit_type=audit.audit_type,
        rule_before=rule_applied(before.outcome),
        rule_after=rule_applied(after.outcome),
        changes=compare(before.outcome, after.outcome),
        under=under or None,
    )


class ImpactSummary:
    """Counts of an impact run, and the audits whose decisions change (the unchanged ones are only counted)."""

    def __init__(self) -> None:
        self.audits = 0
        self.changed: list[AuditImpact] = []
        self.bad: list[Row] = []
        self.counts: dict[str, int] = dict.fromkeys(KINDS, 0)

    def add(self, item: AuditImpact | Row) -> None:
        self.audits += 1
        if isinstance(item, Row):
            self.bad.append(item)
            return
        if item.changes:
            self.changed.append(item)
        for change in item.changes:
            self.counts[change.kind] += 1

    @property
    def scored(self) -> int:
        return self.audits - len(self.bad)


def impacts(rescorer: Rescorer, sources: Sequence[Source], strict: bool = False) -> Iterator[AuditImpact | Row]:
    """The impact on each source, in order."""
    for source in sources:
        yield assess(rescorer, source, strict)


def run(rescorer: Rescorer, sources: Sequence[Source], strict: bool = False) -> ImpactSummary:
    """Assess every source; the summary keeps the changed audits and the bad files."""
    summary = ImpactSummary()
    for item in impacts(rescorer, sources, strict):
        summary.add(item)
    return summary


# --------------------------------------------------------------------------- rendering


def impact_document(summary: ImpactSummary, rules_on: dt.date | None, standard_files: Sequence[str]) -> ImpactDocument:
    """The impact as a document: what the audits were compared against, counts, each changed audit with its
    changes and their findings, and the bad files."""
    return ImpactDocument(
        against=ImpactAgainst(rules_on, tuple(standard_files)),
        audits=summary.audits,
        scored=summary.scored,
        changed=len(summary.changed),
        counts=dict(summary.counts),
        changes=tuple(summary.changed),
        bad=tuple(BadFile(row.file, row.problems, row.more_problems) for row in summary.bad),
    )


def impact_json(summary: ImpactSummary, rules_on: dt.date | None, standard_files: Sequence[str]) -> dict[str, Any]:
    """The impact as JSON data, as the converter writes its :class:`~corengine._views.batch.ImpactDocument`."""
    data: dict[str, Any] = unstructure(impact_document(summary, rules_on, standard_files))
    return data


def _side(finding: Finding | None) -> str:
    if finding is None:
        return "not checked"
    return finding.status.upper() if finding.status in ("fail", "pass") else finding.status


def finding_change_text(d: FindingChange) -> str:
    """``certification.methods_required: PASS -> FAIL (required D+I -> D+I+O; measured D+I)``."""
    head = d.check + (f" [{d.subject}]" if d.subject else "")
    line = f"{head}: {_side(d.before)} -> {_side(d.after)}"
    details = []
    a = d.before.required if d.before else None
    b = d.after.required if d.after else None
    if a != b:
        details.append(f"required {a or 'nothing'} -> {b or 'nothing'}")
    elif b is not None:
        details.append(f"required {b}")
    shown = d.after or d.before
    m = shown.measured if shown is not None else None
    if d.before and d.after and d.before.measured != d.after.measured:
        details.append(f"measured {d.before.measured or 'nothing'} -> {d.after.measured or 'nothing'}")
    elif m is not None:
        details.append(f"measured {m}")
    return line + (f" ({'; '.join(details)})" if details else "")


KIND_WORDS = {
    "pass-to-fail": "pass to fail",
    "fail-to-pass": "fail to pass",
    "certificate": "certificate",
    "advisory-added": "advisory added",
    "advisory-removed": "advisory removed",
}


def impact_lines(summary: ImpactSummary, against: str) -> list[str]:
    """The impact for people (not yet escaped): a head, counts per kind, each changed audit, the bad files."""
    audits = f"{summary.audits} audit file{'s' if summary.audits != 1 else ''}"
    lines = [f"Impact of {against} on {audits}: {len(summary.changed)} of {summary.scored} scored audits change."]
    lines.append("  " + ", ".join(f"{KIND_WORDS[k]}: {n}" for k, n in summary.counts.items()))
    for item in summary.changed:
        lines += ["", item.file]
        what = f"{item.employer}; {item.standard} {item.audit_type} audit on {item.date}"
        if item.under:
            what += f", re-decided against {item.under}"
        lines.append(f"  {what}")
        if item.rule_before != item.rule_after:
            lines.append(f"  rule: {item.rule_before} -> {item.rule_after}")
        else:
            lines.append(f"  rule: {item.rule_before}")
        for change in item.changes:
            lines.append(f"  {KIND_WORDS[change.kind]}: {change.before} -> {change.after}")
            lines += [f"    because {finding_change_text(d)}" for d in change.because]
    if summary.bad:
        lines += ["", f"Could not be scored ({len(summary.bad)}):"]
        for row in summary.bad:
            lines.append(f"  {row.file}")
            lines += [f"    {p.text()}" for p in row.problems]
            if row.more_problems:
                lines.append(f"    ... and {row.more_problems} more")
    return lines


__all__ = [
    "KINDS",
    "AuditImpact",
    "Change",
    "FindingChange",
    "ImpactSummary",
    "Rescorer",
    "RuleApplied",
    "assess",
    "compare",
    "differences",
    "impact_document",
    "impact_json",
    "impact_lines",
    "impacts",
    "rule_applied",
    "run",
]

"""The one decision path of an audit: the outcome is made once, here, as a sequence of named steps.

1. ``decide`` — the plugins' ``corengine_decide_outcome`` hook (the core's :func:`corengine._rules.outcome.decide`
   answers last): the rule in force applied to the score, every check a finding.
2. ``score_rules`` — what the standard's score rules did to the totals (applied before any decision, by
   :func:`corengine._rules.scoring.apply_score_rules`), one finding per rule.
3. ``review`` — the plugins' ``corengine_review_outcome`` hook: findings a plugin adds to any outcome.
4. ``program_size`` — the program audited against the jurisdiction's size bands on the audit date (its data:
   ``decides_at``, ``outgrown``), so no plugin re-checks a program's size in Python.
5. ``prerequisites`` — the facts the standard requires before an audit starts (approvals, registration
   milestones) against the dates the audit records (:mod:`corengine._rules.prerequisites`).
6. ``sampling`` — the interviews and sites the audit reports against the minimums the standard sets.
7. ``composition`` — who was interviewed against the standard's required roles.
8. ``strict`` — under ``--strict`` every advisory left (a plugin's own decision may not know ``strict``) fails.
9. ``conclude`` — a failure added after step 1 withdraws the pass and the certificate.
10. ``restore`` — an audit judged under the rules of another date keeps the findings' own rule versions.

:meth:`corengine.Engine.score` scores (the score rules, then the plugins' ``corengine_adjust_score``) and calls
:func:`decide_audit`; nothing else decides, and every command reads the one score it decided on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import attrs
from attrs import frozen

from corengine._rules import prerequisites
from corengine._rules.audit_checks import program_of
from corengine._rules.eligibility import program_size
from corengine._rules.sampling import composition
from corengine._util.records import Record
from corengine.model import Audit, AuditScore, Jurisdiction, Outcome, ResolvedStandard, SamplePlan, Standard
from corengine.model.findings import Finding, Quantity, decided
from corengine.model.vocabulary import CORE_PLUGIN

if TYPE_CHECKING:
    from corengine._rules.pinning import Pinned

STEPS = (
    "decide",
    "score_rules",
    "review",
    "program_size",
    "prerequisites",
    "sampling",
    "composition",
    "strict",
    "conclude",
    "restore",
)
"""The steps of :func:`decide_audit`, in order (the module docstring says what each does)."""


@frozen(repr=False, eq=False)
class DecisionHooks(Record):
    """The plugins' part of a decision: the hook callers an Engine's plugin manager provides."""

    decide: Callable[[ResolvedStandard, Audit, AuditScore, bool, dt.date], Outcome]
    """``corengine_decide_outcome``: the first plugin's answer (the core's default answers last)."""
    review: Callable[[ResolvedStandard, Audit, Outcome, bool, dt.date], Sequence[Finding]]
    """``corengine_review_outcome``: every plugin's added findings."""
    plan_sample: Callable[[Standard, int, int | None, dt.date, str | None], SamplePlan | None]
    """``corengine_plan_sample``: the minimum samples for an employer."""
    jurisdiction: Callable[[str], tuple[str, Jurisdiction] | None] = lambda _code: None
    """The installed jurisdiction of a code and the plugin that registered it (None: not installed)."""


def decide_audit(
    resolved: ResolvedStandard,
    audit: Audit,
    score: AuditScore,
    strict: bool,
    hooks: DecisionHooks,
    pinned: Pinned | None = None,
    rules_on: dt.date | None = None,
) -> Outcome:
    """The outcome of a scored audit, made once through :data:`STEPS`; ``rules_on`` (default: the audit date) is
    the date whose rules decide, passed to the plugins' hooks."""
    on = rules_on or audit.audit_date
    outcome = hooks.decide(resolved, audit, score, strict, on)
    added = (
        score_rule_findings(resolved, score, strict)
        + list(hooks.review(resolved, audit, outcome, strict, on))
        + _program_size(resolved, audit, strict, hooks)
        + prerequisites.findings(resolved, audit, program_of(resolved.standard, audit), strict)
        + sampling_achieved(resolved, audit, strict, hooks.plan_sample)
        + composition(resolved.standard, audit, resolved.source.plugin, strict)
    )
    outcome = conclude(attrs.evolve(outcome, strict=strict), added, strict)
    if pinned is None:
        return outcome
    from corengine._rules.pinning import restore_versions  # (only with rules_on: not imported by every score)

    return restore_versions(outcome, pinned)


def _program_size(resolved: ResolvedStandard, audit: Audit, strict: bool, hooks: DecisionHooks) -> list[Finding]:
    """Step ``program_size``: the program audited against the jurisdiction's size bands (:func:`program_size`)."""
    found = hooks.jurisdiction(resolved.standard.jurisdiction)
    if found is None:
        return []
    plugin, jurisdiction = found
    program = program_of(resolved.standard, audit)
    return program_size(jurisdiction, resolved.standard, audit, program, plugin, strict)


def score_rule_findings(resolved: ResolvedStandard, score: AuditScore, strict: bool) -> list[Finding]:
    """Step ``score_rules``: what each score rule in force did to the totals. An applied rule is stated (``info``)
    with its reason, sources and confidence; a rule of confidence L not applied (without ``strict``) is an
    advisory: the totals count its elements, and ``--strict`` would leave them out."""
    findings = []
    for rule, applied in [(r, True) for r in score.rules_applied] + [(r, False) for r in score.rules_deferred]:
        covered = [f"element {e}" for e in rule.elements] + [f"question {q}" for q in rule.questions]
        what = ", ".join(covered)
        kind = "not counted" if rule.treatment == "not_counted" else "treated as opportunities for improvement"
        if applied:
            message = f"{what}: scored but {kind} in the totals and minimums from {rule.start}"
        else:
            message = (
                f"{what}: counted, though a reading of confidence L says {kind} from {rule.start} "
                "(--strict leaves them out)"
            )
        findings.append(
            Finding(
                check=f"scoring.{rule.treatment}",
                status="info" if applied else "advisory",
                message=message + (f" until {rule.end}" if rule.end else ""),
                subject=(rule.elements or rule.questions)[0] if len(covered) == 1 else "",
                subject_kind=("element" if rule.elements else "question") if len(covered) == 1 else "",
                sources=rule.reference,
                confidence=rule.confidence,
                reading=rule.reason,
                plugin=resolved.source.plugin,
            )
        )
    return findings


def conclude(outcome: Outcome, added: Sequence[Finding], strict: bool) -> Outcome:
    """Steps ``strict`` and ``conclude``: the findings added after the decision joined to it; any failure among
    them (or an advisory made a failure by ``strict``) withdraws the pass and the certificate."""
    reasons = outcome.reasons + tuple(added)
    if strict:  # a plugin's own decide hook may not know ``strict``: every advisory left becomes a failure
        reasons = tuple(f.strictly() for f in reasons)
    if reasons == outcome.reasons:
        return outcome
    failed = any(f.status == "fail" for f in reasons[len(outcome.reasons) :]) or any(
        f.status == "fail" and old.status != "fail" for f, old in zip(reasons, outcome.reasons, strict=False)
    )
    return attrs.evolve(
        outcome,
        reasons=reasons,
        passed=outcome.passed and not failed,
        certificate=None if failed else outcome.certificate,
        certificate_months=None if failed else outcome.certificate_months,
        valid_until=None if failed else outcome.valid_until,
    )


def sampling_achieved(
    resolved: ResolvedStandard,
    audit: Audit,
    strict: bool,
    plan_sample: Callable[[Standard, int, int | None, dt.date, str | None], SamplePlan | None],
) -> list[Finding]:
    """Step ``sampling``: the interviews and sites the audit reports against the minimums its standard sets.

    A minimum the audit's facts cannot be held against is an ``info`` finding saying what was not given
    (``not checked: no interviews_conducted given``), never silence: no ``employer.workers`` (no minimum can be
    looked up, when the standard has sampling tables), or no count of interviews or sites visited."""
    visited = audit.sites_visited if audit.sites_visited is not None else len(audit.worksites_visited) or None
    if audit.employer.workers is None:
        if resolved.standard.sampling is None:
            return []
        return [
            _not_checked(resolved, rule, f"the minimum {what} are not checked: no employer.workers given")
            for rule, what in (("sampling.interviews", "interviews"), ("sampling.sites", "sites to visit"))
        ]
    sites = audit.employer.sites if audit.employer.sites is not None else len(audit.employer.worksites) or None
    plan = plan_sample(
        resolved.standard, audit.employer.workers, sites, audit.audit_date, program_of(resolved.standard, audit)
    )
    if plan is None:
        return []
    findings = []
    for what, done, minimum, rule, unit, field in (
        (
            "interviews",
            audit.interviews_conducted,
            plan.interviews_minimum,
            "sampling.interviews",
            "interviews",
            "interviews_conducted",
        ),
        ("sites visited", visited, plan.sites_minimum, "sampling.sites", "sites", "sites_visited or worksites_visited"),
    ):
        if minimum is None:
            continue
        basis = next((f for f in plan.reasons if f.check == rule), None)
        if done is None:
            findings.append(
                attrs.evolve(
                    _not_checked(
                        resolved,
                        rule,
                        f"{what}: not checked: no {field} given (the minimum for this employer is {minimum})",
                    ),
                    required=Quantity.of(minimum, unit, ">="),
                    sources=basis.sources if basis else (),
                    confidence=basis.confidence if basis else None,
                    plugin=resolved.source.plugin if basis is None or basis.plugin == CORE_PLUGIN else basis.plugin,
                    rule_version=basis.rule_version if basis else None,
                )
            )
            continue
        ok = done >= minimum
        confidence = basis.confidence if basis else None
        findings.append(
            Finding(
                check=rule,
                status=decided(ok, confidence, strict),
                message=f"{what}: {done}, {'meeting' if ok else 'under'} the minimum of {minimum} for this employer",
                required=Quantity.of(minimum, unit, ">="),
                measured=Quantity.of(done, unit),
                sources=basis.sources if basis else (),
                confidence=confidence,
                reading=basis.reading if basis else "",
                plugin=resolved.source.plugin if basis is None or basis.plugin == CORE_PLUGIN else basis.plugin,
                rule_version=basis.rule_version if basis else None,
            )
        )
    return findings


def _not_checked(resolved: ResolvedStandard, rule: str, message: str) -> Finding:
    """The ``info`` finding of a check the audit gives no fact for."""
    return Finding(check=rule, status="info", message=message, plugin=resolved.source.plugin)

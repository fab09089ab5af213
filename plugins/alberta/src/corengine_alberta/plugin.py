"""Alberta's hooks: its data files, and the few rules the data cannot express."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

import attrs
import click

from corengine.plugin import AMOUNT, NON_NEGATIVE, ExactNumber, data_plugin, format_option, hookimpl

if TYPE_CHECKING:
    from corengine.plugin import (
        Audit,
        AuditScore,
        Finding,
        Jurisdiction,
        Outcome,
        ResolvedStandard,
    )
    from corengine_alberta import action_plans as plans
    from corengine_alberta.refund import RefundRules


PACKAGE = data_plugin(
    "corengine_alberta",
    jurisdictions=["alberta.yaml"],
    files={
        "action-plans.yaml": "corengine_alberta.action_plans:ActionPlans",
        "pir-refund.yaml": "corengine_alberta.refund:RefundRules",
        "auditors.yaml": "corengine.model.lifecycle:AuditorCurrency",
        "incentives.yaml": "corengine.model.lifecycle:Incentives",
    },
)
"""Alberta's data: the standards in ``data/standards/``, the province in ``data/alberta.yaml``, the partners'
action-plan conditions in ``data/action-plans.yaml``, the PIR refund rules in ``data/pir-refund.yaml`` and the
partners' auditor currency rules in ``data/auditors.yaml`` and the PIR refund's conditions the registry judges in
``data/incentives.yaml``."""
corengine_register_standards = PACKAGE.corengine_register_standards
corengine_register_jurisdictions = PACKAGE.corengine_register_jurisdictions
corengine_register_data_files = PACKAGE.corengine_register_data_files
DATA = PACKAGE.data
NAME = "alberta"
INDEPENDENCE_SOURCE = (
    "http://work.alberta.ca/occupational-health-safety/cor-get-a-certificate.html",
    "https://www.youracsa.ca/cor-secor/2023-audit-tool/",
)


def jurisdiction() -> Jurisdiction:
    """Alberta's partners, size bands and baseline (read once)."""
    return PACKAGE.jurisdiction()


def refund_rules() -> RefundRules:
    """The PIR refund rules (read once)."""
    from corengine_alberta.refund import RefundRules

    return PACKAGE.load("pir-refund.yaml", RefundRules)


def action_plans() -> plans.ActionPlans:
    """The partners' action-plan conditions (read once)."""
    from corengine_alberta import action_plans as plans

    return PACKAGE.load("action-plans.yaml", plans.ActionPlans)


@hookimpl
def corengine_decide_outcome(
    resolved: ResolvedStandard, audit: Audit, score: AuditScore, strict: bool
) -> Outcome | None:
    """An action plan in lieu of a maintenance audit: ab-pir's rule decides as usual, then every condition of the
    partner's plan (data/action-plans.yaml) is checked; one not met fails the audit (advises at confidence L)."""
    from corengine.plugin import Finding, decide, program_of, rule_for
    from corengine_alberta import action_plans as plans

    if resolved.standard.jurisdiction != "AB" or audit.audit_type not in action_plans().audit_types:
        return None
    base = decide(resolved, audit, score, strict)
    program = program_of(resolved.standard, audit)
    extra = plans.findings(action_plans(), resolved.standard.partner, program, audit, score.percent, strict)
    reasons = base.reasons + tuple(extra)
    if not any(f.status == "fail" for f in extra):
        return attrs.evolve(base, reasons=reasons)
    found = rule_for(resolved, audit)
    if base.passed and found is not None:  # the rule said the plan maintains the certificate: say what follows
        rule, version = found
        reasons = tuple(f for f in reasons if f.check != f"{rule.id}.on_pass")
        reasons += tuple(
            Finding(
                check=f"{rule.id}.on_fail",
                status="info",
                message=option.outcome,
                sources=option.reference or version.reference,
                confidence=option.confidence or version.confidence,
                plugin=base.plugin,
                rule_version=version.start,
            )
            for option in version.on_fail
        )
    return attrs.evolve(
        base, reasons=reasons, passed=False, certificate=None, certificate_months=None, valid_until=None
    )


@hookimpl
def corengine_review_outcome(resolved: ResolvedStandard, audit: Audit, outcome: Outcome, strict: bool) -> list[Finding]:
    """Alberta's rule about who audits, which a rule version cannot state (whether the employer's size fits the
    program audited is the jurisdiction's data: ``eligibility`` in data/alberta.yaml, checked by the core)."""
    from corengine.plugin import Finding, Quantity

    if resolved.standard.jurisdiction != "AB":
        return []
    findings = []
    if audit.auditor.built_system:
        findings.append(
            Finding(
                check="alberta.auditor_independence",
                status="fail",
                message=f"{audit.auditor.name} helped build the health and safety system and may not audit it",
                subject=audit.auditor.name,
                subject_kind="audit",
                required=Quantity.words("an auditor who did not build the system"),
                measured=Quantity.words("built_system: true"),
                sources=INDEPENDENCE_SOURCE,
                confidence="H",
                plugin=NAME,
            )
        )
    return findings


@click.command("pir-refund")
@click.option(
    "--premium",
    type=AMOUNT,
    required=True,
    help="Industry-rated premium last year, in dollars (e.g. 120000, 120,000 or $120,000.00).",
)
@click.option(
    "--program", type=click.Choice(["COR", "SECOR"]), default="COR", show_default=True, help="Certificate held."
)
@click.option(
    "--cor-year", type=click.IntRange(min=1), default=1, show_default=True, help="Year the COR is held (1 = first)."
)
@click.option(
    "--recertified",
    is_flag=True,
    help="The employer held a COR before this one (recertified): its first year pays the later-years rate, "
    "since the first-year rate is for a first-time COR holder.",
)
@click.option("--improvement", type=ExactNumber(), default="0", help="Percent improvement in own claim costs.")
@click.option("--leadership", type=NON_NEGATIVE, default="0", help="Industry-leadership percent WCB assessed.")
@format_option("text", "json", help="Output format.")
def pir_refund(
    premium: Fraction,
    program: str,
    cor_year: int,
    recertified: bool,
    improvement: Fraction,
    leadership: Fraction,
    fmt: str,
) -> None:
    """Estimate Alberta's PIR refund: the highest of the COR, improvement and leadership measures, capped."""
    from corengine.plugin import Layout, dumps, fit_all, reason_lines, unstructure, wrap
    from corengine_alberta.refund import RefundDocument, cents, estimate

    result = estimate(
        refund_rules(),
        premium,
        program,
        cor_year,
        improvement,
        leadership,
        NAME,
        first_time=not recertified,
    )
    if fmt == "json":
        click.echo(dumps(unstructure(RefundDocument.of(result))), nl=False)
        return
    layout = Layout.detect()
    head = (
        f"PIR refund estimate: {result.percent}% of ${cents(result.premium):,} = ${cents(result.refund):,} "
        f"(measure: {result.measure})"
    )
    lines = [
        *fit_all([head, "Reasons:"], layout.width),
        *reason_lines(result.reasons, layout),
        *wrap(refund_rules().note, layout.width, "Note: ", "      "),
    ]
    click.echo("\n".join(lines))


@hookimpl
def corengine_register_commands() -> list[click.Command]:
    return [pir_refund]

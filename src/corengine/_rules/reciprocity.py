"""The reciprocity planner: what an employer with a COR from one jurisdiction needs in another.

Each jurisdiction's data states only its own rules (:class:`~corengine.model.Reciprocity`): the destination's
``inbound`` rules about certificates from elsewhere, the home's ``outbound`` rules about its own certificate
travelling. :func:`plan` reads both for one certificate and says where the sources are silent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs
from attrs import frozen

from corengine.model import Jurisdiction, Reciprocity
from corengine.model.findings import Finding, Quantity, decided


@frozen
class ReciprocityAnswer:
    """What a certificate from ``home`` is worth in ``to`` on ``on``: a headline and every finding that says why."""

    home: str
    """The jurisdiction that issued the certificate."""
    to: str
    """The jurisdiction the employer wants to work in."""
    on: dt.date
    """The date asked about."""
    program: str | None
    """The certificate's program, where given."""
    partner: str | None
    """The home certifying partner, where given."""
    headline: str
    """The answer in one line."""
    findings: tuple[Finding, ...]
    """Each rule that applies (``reciprocity.<treatment>``), or a statement that no published rule was found."""
    standards: tuple[str, ...] = ()
    """The destination's installed standards: the crosswalk's targets for the evidence the employer can reuse."""


def _finding(rule: Reciprocity, plugin: str, where: str, refused: bool) -> Finding:
    treatment = "not-accepted" if refused else rule.treatment
    message = rule.text
    if rule.requires:
        message += f" Required: {'; '.join(rule.requires)}."
    if rule.valid_months is not None:
        message += f" Valid up to {rule.valid_months} months."
    return Finding(
        check=f"reciprocity.{treatment.replace('-', '_')}",
        # a refusal decides by its confidence: one the sources leave at L is an advisory, never a failure alone
        status=decided(False, rule.confidence) if treatment in ("not-accepted", "home-only") else "info",
        message=message,
        subject=where,
        subject_kind="jurisdiction",
        required=Quantity.names(rule.requires) if rule.requires else None,
        sources=rule.reference,
        confidence=rule.confidence,
        plugin=plugin,
        rule_version=rule.start,
    )


def plan(
    jurisdictions: Mapping[str, tuple[str, Jurisdiction]],
    home: str,
    to: str,
    on: dt.date,
    program: str | None = None,
    partner: str | None = None,
) -> ReciprocityAnswer:
    """The destination's inbound rules and the home's outbound rules for a certificate of ``program`` by
    ``partner``; a partner a rule excludes makes that rule a refusal. Unknown codes are :class:`KeyError`."""
    home, to = home.upper(), to.upper()
    findings: list[Finding] = []
    if home in jurisdictions:
        plugin, source = jurisdictions[home]
        for rule in source.reciprocity:
            if rule.direction == "outbound" and rule.covers(to, program, partner, on):
                findings.append(_finding(rule, plugin, home, refused=False))
    if to in jurisdictions:
        plugin, target = jurisdictions[to]
        if target.note is not None:
            findings.append(
                Finding(
                    check="reciprocity.note",
                    status="info",
                    message=target.note.text,
                    subject=to,
                    subject_kind="jurisdiction",
                    sources=target.note.reference,
                    confidence=target.note.confidence,
                    plugin=plugin,
                )
            )
        for rule in target.reciprocity:
            if rule.direction == "inbound" and rule.covers(home, program, partner, on):
                refused = partner is not None and partner in rule.excluded_partners
                found = _finding(rule, plugin, to, refused)
                if rule.excluded_partners and not refused:
                    found = _noting(found, f" Not accepted from: {', '.join(rule.excluded_partners)}.")
                findings.append(found)
    decisive = [f for f in findings if f.check != "reciprocity.note"]
    partnered = to in jurisdictions and bool(jurisdictions[to][1].partners)
    ask = f"ask {to}'s certifying partner" if partnered or to not in jurisdictions else f"{to} has no known partner"
    if not decisive:
        findings.append(
            Finding(
                check="reciprocity.unknown",
                status="info",
                message=f"no published rule was found on how {to} treats a COR from {home}: "
                + (f"{ask} before relying on it" if partnered else f"{ask} to ask"),
                subject=to,
                subject_kind="jurisdiction",
                confidence="L",
                plugin="corengine",
            )
        )
    what = " ".join(x for x in (program, "certificate" if program else "a COR") if x)
    refusals = [f for f in findings if f.status == "fail"]
    doubts = [f for f in findings if f.status == "advisory"]
    if refusals:
        said = f"{home} → {to}: {what} is not accepted as it stands ({len(refusals)} rule(s) refuse it)"
    elif doubts:
        said = f"{home} → {to}: {what} may not be accepted ({len(doubts)} rule(s) of low confidence refuse it)"
    elif decisive:
        routes = sorted({f.check.split(".", 1)[1] for f in decisive})
        said = f"{home} → {to}: {what} can be used through {', '.join(r.replace('_', ' ') for r in routes)}"
    else:
        said = f"{home} → {to}: no published rule; {ask}"
    return ReciprocityAnswer(home, to, on, program, partner, said, tuple(findings))


def _noting(found: Finding, more: str) -> Finding:
    return attrs.evolve(found, message=found.message + more)

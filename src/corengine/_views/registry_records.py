"""The registry's records beyond audits: auditors (their qualifications and currency on an audit's date) and
equivalency CORs (their yearly proofs), as documents the converter writes to JSON, and as text here."""

from __future__ import annotations

import datetime as dt

from attrs import frozen

from corengine._util.textlayout import escape


@frozen
class QualificationView:
    """One recorded qualification of an auditor."""

    qualified_on: dt.date
    requalify_by: dt.date | None
    certificate: str | None
    partner: str | None


@frozen
class CurrencyFinding:
    """Whether the auditor of a stored audit was current on its date, by the audit's partner's rule."""

    audit: str | None
    """The audit file's SHA-256 (None for ``registry auditor show``, which judges the auditor on a date)."""
    source: str | None
    audit_date: dt.date
    auditor: str
    kind: str
    partner: str | None
    state: str
    """``current``, ``not current``, ``not known`` (no qualification recorded: advisory) or ``not required``."""
    advisory: bool
    """True when the finding decides nothing by itself (``not known``, or a rule at L)."""
    message: str
    """Why."""
    rule: str
    """What the partner's rule says."""
    plugin: str
    """The plugin publishing the rule."""
    rule_start: dt.date
    sources: tuple[str, ...]
    confidence: str


@frozen
class AuditDone:
    """An audit an auditor did, as stored."""

    audit: str
    source: str
    audit_date: dt.date
    audit_type: str
    employer: str


@frozen
class AuditorDocument:
    """``registry auditor show``: an auditor, its qualifications, its audits and its currency on a date."""

    name: str
    kind: str
    on: dt.date
    qualifications: tuple[QualificationView, ...]
    audits: tuple[AuditDone, ...]
    currency: tuple[CurrencyFinding, ...]
    """For each partner whose audits the auditor did (the latest audit for it), judged on ``on``."""


@frozen
class ProofView:
    """One year's proof that the outside certificate was maintained."""

    year: int
    starts: dt.date
    ends: dt.date
    """The cycle year's first and last day (counted from the day the COR was granted)."""
    state: str
    """``received``, ``due`` (the year is running), ``missing`` (the year ended without one: advisory, since the
    source sets no deadline) or ``upcoming``."""
    received: dt.date | None
    digest: str | None
    message: str
    advisory: bool
    """True for ``missing``: the deadline is the project's reading (L), so it decides nothing by itself."""


@frozen
class EquivalencyView:
    """An equivalency COR and its proofs on a date, with the rule it is kept by."""

    jurisdiction: str
    scheme: str
    program: str
    partner: str | None
    certified_on: dt.date
    certificate_expires: dt.date | None
    cor_granted: dt.date
    cor_valid_until: dt.date
    current: bool
    """Whether ``on`` lies from the day the COR was granted to its last valid day."""
    proofs: tuple[ProofView, ...]
    rule: str
    sources: tuple[str, ...]
    confidence: str


@frozen
class IncentiveView:
    """Whether the employer is eligible for an incentive an installed plugin publishes, on a date."""

    id: str
    name: str
    plugin: str
    jurisdiction: str | None
    """The jurisdiction whose certificates it concerns (None when the plugin answering registers several)."""
    applies: bool
    """Whether the employer's certificate is from a partner of that jurisdiction (the text shows only these)."""
    judged_on: dt.date
    """The day the certificate's standing is judged on (31 December for NL's PRIME)."""
    state: str
    """``eligible``, ``not eligible`` or ``cannot tell``."""
    message: str
    """Why; for ``cannot tell``, each fact the registry does not record."""
    missing: tuple[str, ...]
    """The facts the registry does not record (``cannot tell``)."""
    rule: str
    """What the source says of the conditions (empty when a plugin's code answers: see its message)."""
    rule_start: dt.date | None
    sources: tuple[str, ...]
    confidence: str | None


def incentive_line(view: IncentiveView) -> str:
    return (
        f"incentive {view.name} ({view.id}) on {view.judged_on}: {view.state}: {view.message} "
        f"[{view.confidence}: {', '.join(view.sources)}]"
    )


def currency_line(finding: CurrencyFinding) -> str:
    advisory = " (advisory)" if finding.advisory and finding.state != "not required" else ""
    return (
        f"auditor {finding.auditor} ({finding.kind}) on {finding.audit_date}: {finding.state}{advisory}: "
        f"{finding.message} [{finding.partner}, {finding.confidence}: {', '.join(finding.sources)}]"
    )


def proof_line(view: EquivalencyView, proof: ProofView) -> str:
    advisory = " (advisory)" if proof.advisory else ""
    return f"year {proof.year} proof ({proof.starts} to {proof.ends}): {proof.state}{advisory}: {proof.message}"


def equivalency_lines(view: EquivalencyView) -> list[str]:
    lines = [
        f"equivalency COR ({view.scheme}, {view.jurisdiction}): granted {view.cor_granted}, valid until "
        f"{view.cor_valid_until}{'' if view.current else ' (not current on this date)'} "
        f"[{view.confidence}: {', '.join(view.sources)}]"
    ]
    return lines + [f"  {proof_line(view, proof)}" for proof in view.proofs]


def auditor_text(document: AuditorDocument) -> str:
    lines = [f"{document.name} ({document.kind}) on {document.on}:"]
    if not document.qualifications:
        lines.append("  no qualification recorded")
    for q in document.qualifications:
        extra = "".join(
            (
                f", requalify by {q.requalify_by}" if q.requalify_by else "",
                f", certificate {q.certificate}" if q.certificate else "",
                f", partner {q.partner}" if q.partner else "",
            )
        )
        lines.append(f"  qualified on {q.qualified_on}{extra}")
    lines.append(f"  audits done: {len(document.audits)}")
    lines += [f"    {a.audit_date} {a.audit_type} for {a.employer} ({a.source})" for a in document.audits]
    lines += [f"  {currency_line(f)}" for f in document.currency]
    return "\n".join(escape(line) for line in lines) + "\n"  # names come from audits and the command line

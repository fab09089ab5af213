"""The registry's records beyond audits: auditors' qualifications and their currency on an audit's date (from the
plugins' dated auditor rules), equivalency CORs with their yearly proofs (from the jurisdictions' equivalency
data), and the incentives an employer's status on a date earns (from the plugins' incentive data and hook)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from corengine._host.engine import Engine
from corengine._registry import models
from corengine._registry.store import Store
from corengine._rules.standing import Standing
from corengine._util.dates import add_months, in_force
from corengine._views.registry import DueItem, EmployerRef
from corengine._views.registry_export import ExportedAuditor, ExportedEquivalency, ProofRecord
from corengine._views.registry_records import (
    AuditDone,
    AuditorDocument,
    CurrencyFinding,
    EquivalencyView,
    IncentiveView,
    ProofView,
    QualificationView,
    currency_line,
)
from corengine.errors import CorengineError
from corengine.model.converter import load_file
from corengine.model.jurisdiction import Equivalency
from corengine.model.lifecycle import AuditorCurrency, AuditorCurrencyRule, IncentiveQuestion, IncentiveRule, Incentives
from corengine.model.vocabulary import AUDITOR_KINDS, CERTIFICATIONS

Rules = list[tuple[str, AuditorCurrencyRule]]

PROOF_READING = (
    "the source sets no deadline within the year: read as by the year's last day, at L, so a missing proof is "
    "an advisory"
)


# --------------------------------------------------------------------------- auditors


def currency_rules(engine: Engine) -> Rules:
    """Every auditor currency rule the installed plugins publish (their data files read into
    :class:`AuditorCurrency`), with the plugin publishing it, in registration order."""
    found: Rules = []
    for plugin, data_file in engine.data_files():
        if data_file.cls is AuditorCurrency:
            found += [(plugin, rule) for rule in load_file(data_file.path, AuditorCurrency).auditors]
    return found


def rule_for(rules: Rules, partner: str | None, kind: str, on: dt.date) -> tuple[str, AuditorCurrencyRule] | None:
    """The rule of ``partner`` for auditors of ``kind`` in force on ``on``, with its plugin (None: no plugin
    publishes one)."""
    if partner is None:
        return None
    chosen = in_force([rule for _, rule in rules], on, lambda rule: rule.partner == partner and rule.concerns(kind))
    return None if chosen is None else next((plugin, rule) for plugin, rule in rules if rule is chosen)


def judge(
    rules: Rules,
    auditor: models.Auditor,
    partner: str | None,
    on: dt.date,
    audit: models.Audit | None = None,
) -> CurrencyFinding | None:
    """Whether ``auditor`` was current on ``on`` (the date of ``audit``, when given) by ``partner``'s rule; None
    when no installed plugin publishes a rule for that partner and kind of auditor."""
    found = rule_for(rules, partner, auditor.kind, on)
    if found is None:
        return None
    plugin, rule = found

    def finding(state: str, message: str, advisory: bool = False) -> CurrencyFinding:
        return CurrencyFinding(
            audit=None if audit is None else audit.digest,
            source=None if audit is None else audit.source,
            audit_date=on,
            auditor=auditor.name,
            kind=auditor.kind,
            partner=partner,
            state=state,
            advisory=advisory or rule.confidence == "L",
            message=message,
            rule=rule.text,
            plugin=plugin,
            rule_start=rule.start,
            sources=rule.reference,
            confidence=rule.confidence,
        )

    if not rule.required:
        return finding("not required", f"{partner} does not require a qualified auditor on {on}")
    held = [q for q in auditor.qualifications if q.qualified_on <= on]
    if not held:
        if auditor.qualifications:
            first = auditor.qualifications[0].qualified_on
            return finding("not current", f"not qualified yet on {on}: the first qualification recorded is of {first}")
        return finding(
            "not known",
            f"the registry holds no qualification for {auditor.name} ({auditor.kind}); record it with "
            "`corengine registry auditor add`",
            advisory=True,
        )
    qualification = held[-1]
    ends = qualification.requalify_by
    if ends is None and rule.requalify_months is not None:
        ends = add_months(qualification.qualified_on, rule.requalify_months) - dt.timedelta(days=1)
    if ends is not None and on > ends:
        why = "as recorded" if qualification.requalify_by else f"{rule.requalify_months} months after it"
        return finding(
            "not current", f"the qualification of {qualification.qualified_on} ended on {ends} ({why}); none later"
        )
    until = "" if ends is None else f" (to {ends})"
    if rule.audits is not None and rule.within_months is not None:
        start = add_months(on, -rule.within_months)
        done = sum(1 for row in auditor.audits if start <= row.audit_date < on and row is not audit)
        if qualification.qualified_on <= start:
            if done < rule.audits:
                return finding(
                    "not current",
                    f"{done} audit(s) recorded from {start} to the day before {on}; the rule asks for {rule.audits} "
                    f"in {rule.within_months} months",
                )
            return finding(
                "current",
                f"qualified on {qualification.qualified_on}{until}; {done} audit(s) recorded from {start} to the day "
                f"before {on} (the rule asks for {rule.audits} in {rule.within_months} months)",
            )
        return finding(
            "current",
            f"qualified on {qualification.qualified_on}{until}, less than {rule.within_months} months before: "
            f"{done} audit(s) recorded since (the rule's {rule.audits} in {rule.within_months} months is counted "
            "once the auditor has been qualified that long)",
        )
    return finding("current", f"qualified on {qualification.qualified_on}{until}")


def partner_of(engine: Engine, standard: str) -> str | None:
    """The certifying partner of the stored audit's standard (None when it names none or is not installed)."""
    try:
        return engine.resolve(standard).standard.partner
    except CorengineError:
        return None


def audit_currency(engine: Engine, audits: list[models.Audit], rules: Rules | None = None) -> list[CurrencyFinding]:
    """The auditor currency of each stored audit, on its date, where a plugin publishes a rule for its partner."""
    rules = currency_rules(engine) if rules is None else rules
    found: list[CurrencyFinding] = []
    for row in audits:
        judged = judge(rules, row.auditor, partner_of(engine, row.standard), row.audit_date, row)
        if judged is not None:
            found.append(judged)
    return found


def currency_lines(engine: Engine, store: Store, digest: str) -> list[str]:
    """The auditor currency of the stored audit ``digest`` on its date, as lines (none when no plugin publishes
    a rule for its partner)."""
    with store.reading() as session:
        row = session.scalar(select(models.Audit).where(models.Audit.digest == digest))
        assert row is not None
        return [currency_line(found) for found in audit_currency(engine, [row])]


def find_auditor(session: Session, name: str, kind: str | None) -> models.Auditor:
    query = select(models.Auditor).where(models.Auditor.name == name)
    if kind is not None:
        query = query.where(models.Auditor.kind == kind)
    found = list(session.scalars(query.order_by(models.Auditor.kind)))
    if len(found) == 1:
        return found[0]
    if found:
        kinds = ", ".join(a.kind for a in found)
        raise CorengineError(f"NAME: {name!r} is an auditor of more than one kind ({kinds}); give --kind")
    raise CorengineError(f"NAME: no auditor {name!r}{'' if kind is None else f' ({kind})'} in the registry")


def add_qualification(
    session: Session,
    name: str,
    kind: str,
    qualified_on: dt.date,
    requalify_by: dt.date | None,
    certificate: str | None,
    partner: str | None,
) -> tuple[models.Auditor, bool]:
    """Record a qualification (creating the auditor when the registry does not know it yet): the auditor and
    whether it was new."""
    if kind not in AUDITOR_KINDS:
        raise CorengineError(f"--kind: expected one of {', '.join(AUDITOR_KINDS)}, not {kind!r}")
    if requalify_by is not None and requalify_by < qualified_on:
        raise CorengineError(f"--requalify-by: {requalify_by} is before --qualified {qualified_on}")
    auditor = session.scalar(select(models.Auditor).where(models.Auditor.name == name, models.Auditor.kind == kind))
    new = auditor is None
    if auditor is None:
        auditor = models.Auditor(name=name, kind=kind)
        session.add(auditor)
    elif any(q.qualified_on == qualified_on for q in auditor.qualifications):
        raise CorengineError(f"{name} ({kind}): a qualification of {qualified_on} is already recorded")
    session.add(
        models.Qualification(
            auditor=auditor,
            qualified_on=qualified_on,
            requalify_by=requalify_by,
            certificate=certificate,
            partner=partner,
        )
    )
    session.flush()
    return auditor, new


def auditor_document(engine: Engine, session: Session, name: str, kind: str | None, on: dt.date) -> AuditorDocument:
    """``registry auditor show``: the auditor's qualifications and audits, and its currency on ``on`` for each
    partner it audited for or was qualified by."""
    auditor = find_auditor(session, name, kind)
    rules = currency_rules(engine)
    partners = {partner_of(engine, row.standard) for row in auditor.audits}
    partners |= {q.partner for q in auditor.qualifications}
    currency = [judge(rules, auditor, p, on) for p in sorted(p for p in partners if p is not None)]
    return AuditorDocument(
        name=auditor.name,
        kind=auditor.kind,
        on=on,
        qualifications=tuple(
            QualificationView(q.qualified_on, q.requalify_by, q.certificate, q.partner) for q in auditor.qualifications
        ),
        audits=tuple(
            AuditDone(row.digest, row.source, row.audit_date, row.audit_type, row.employer.key)
            for row in sorted(auditor.audits, key=lambda row: (row.audit_date, row.digest))
        ),
        currency=tuple(found for found in currency if found is not None),
    )


# --------------------------------------------------------------------------- equivalency


def equivalency_rule(engine: Engine, jurisdiction: str, scheme: str, on: dt.date) -> Equivalency:
    """The jurisdiction's equivalency route for ``scheme`` kept by yearly proofs, in force on ``on``."""
    if scheme not in CERTIFICATIONS:
        raise CorengineError(f"--scheme: expected one of {', '.join(CERTIFICATIONS)}, not {scheme!r}")
    known = engine.jurisdictions()

    def routes(code: str) -> list[Equivalency]:
        return [
            e
            for e in known[code][1].equivalency
            if e.treatment == "route" and scheme in e.certifications and e.proof_years and (e.start or on) <= on
        ]

    found = routes(jurisdiction) if jurisdiction in known else []
    if not found:
        where = sorted(code for code in known if routes(code))
        raise CorengineError(
            f"--jurisdiction: no installed plugin publishes an equivalency route for {scheme} in {jurisdiction!r} "
            f"kept by yearly proofs (published for: {', '.join(where) or 'none'})"
        )
    return found[0]


def add_equivalency(
    engine: Engine,
    session: Session,
    employer: models.Employer,
    jurisdiction: str,
    scheme: str,
    certified_on: dt.date,
    certificate_expires: dt.date | None,
    granted: dt.date,
    valid_until: dt.date | None,
    partner: str | None,
) -> models.Equivalency:
    rule = equivalency_rule(engine, jurisdiction, scheme, granted)
    if granted < certified_on:
        raise CorengineError(f"--granted: {granted} is before the certificate's date --certified {certified_on}")
    if certificate_expires is not None and certificate_expires < certified_on:
        raise CorengineError(f"--expires: {certificate_expires} is before --certified {certified_on}")
    if valid_until is None:
        if rule.certificate_months is None:
            raise CorengineError("--valid-until: required (the jurisdiction's data gives no certificate length)")
        valid_until = add_months(granted, rule.certificate_months)
    if valid_until <= granted:
        raise CorengineError(f"--valid-until: {valid_until} is not after --granted {granted}")
    if any(e.cor_granted == granted for e in equivalencies_of(session, employer)):
        raise CorengineError(f"{employer.key}: an equivalency COR granted on {granted} is already recorded")
    record = models.Equivalency(
        employer=employer,
        jurisdiction=jurisdiction,
        scheme=scheme,
        program=rule.program or "COR",
        partner=partner,
        certified_on=certified_on,
        certificate_expires=certificate_expires,
        cor_granted=granted,
        cor_valid_until=valid_until,
    )
    session.add(record)
    session.flush()
    return record


def equivalencies_of(session: Session, employer: models.Employer) -> list[models.Equivalency]:
    query = select(models.Equivalency).where(models.Equivalency.employer_id == employer.id)
    return list(session.scalars(query.order_by(models.Equivalency.cor_granted)))


def add_proof(
    session: Session,
    employer: models.Employer,
    year: int,
    received: dt.date,
    digest: str | None,
    granted: dt.date | None,
) -> models.Equivalency:
    """Record the year's proof on the employer's equivalency COR (the one granted on ``granted``, else the
    latest)."""
    records = equivalencies_of(session, employer)
    if granted is not None:
        records = [e for e in records if e.cor_granted == granted]
    if not records:
        said = "" if granted is None else f" granted on {granted}"
        raise CorengineError(f"{employer.key}: no equivalency COR{said} in the registry")
    record = records[-1]
    if year not in (2, 3):
        raise CorengineError(f"--year: expected 2 or 3 (the years a proof is given for), not {year}")
    if received < record.cor_granted:
        raise CorengineError(f"--received: {received} is before the COR was granted ({record.cor_granted})")
    if any(p.year == year for p in record.proofs):
        raise CorengineError(f"{employer.key}: the year {year} proof is already recorded")
    session.add(models.EquivalencyProof(equivalency=record, year=year, received=received, digest=digest))
    session.flush()
    return record


def proof_window(record: models.Equivalency, year: int) -> tuple[dt.date, dt.date]:
    """The first and last day of the COR's cycle year ``year``, counted from the day it was granted (and not past
    the COR's last valid day)."""
    starts = add_months(record.cor_granted, 12 * (year - 1))
    return starts, min(add_months(record.cor_granted, 12 * year) - dt.timedelta(days=1), record.cor_valid_until)


def equivalency_view(engine: Engine, record: models.Equivalency, on: dt.date) -> EquivalencyView:
    """The equivalency COR on ``on``: each proof year received, due, missing or upcoming."""
    try:
        rule = equivalency_rule(engine, record.jurisdiction, record.scheme, record.cor_granted)
        years, text, sources, confidence = rule.proof_years, rule.text, rule.reference, rule.confidence
    except CorengineError:
        years, text, sources, confidence = (2, 3), "the jurisdiction's plugin is not installed", (), "L"
    received = {p.year: p for p in record.proofs}
    proofs: list[ProofView] = []
    for year in years:
        starts, ends = proof_window(record, year)
        proof = received.get(year)
        if proof is not None and proof.received <= on:
            state, message = "received", f"received on {proof.received}"
        elif on < starts:
            state, message = "upcoming", f"year {year} starts on {starts}"
        elif on <= ends:
            state, message = "due", f"no proof received yet; due by {ends} ({PROOF_READING})"
        else:
            state, message = "missing", f"year {year} ended on {ends} with no proof received ({PROOF_READING})"
        shown = proof if state == "received" else None
        proofs.append(
            ProofView(
                year=year,
                starts=starts,
                ends=ends,
                state=state,
                received=None if shown is None else shown.received,
                digest=None if shown is None else shown.digest,
                message=message,
                advisory=state == "missing",
            )
        )
    return EquivalencyView(
        jurisdiction=record.jurisdiction,
        scheme=record.scheme,
        program=record.program,
        partner=record.partner,
        certified_on=record.certified_on,
        certificate_expires=record.certificate_expires,
        cor_granted=record.cor_granted,
        cor_valid_until=record.cor_valid_until,
        current=record.cor_granted <= on <= record.cor_valid_until,
        proofs=tuple(proofs),
        rule=text,
        sources=sources,
        confidence=confidence,
    )


def equivalency_standing(views: tuple[EquivalencyView, ...], on: dt.date) -> tuple[Standing, EquivalencyView] | None:
    """The standing an equivalency COR gives on ``on`` (the latest granted by then), read as the registry's
    status table reads an audit cycle: a proof due is ``maintenance due``, a missing one ``overdue`` (the deadline
    is a reading at L: an advisory, never a cancellation), every proof received ``renewal due``; None when no
    equivalency COR was granted by ``on``."""
    granted = [view for view in views if view.cor_granted <= on]
    if not granted:
        return None
    view = max(granted, key=lambda v: v.cor_granted)
    name = f"{view.program} (equivalency, {view.scheme})"
    end = view.cor_valid_until
    if on > end:
        return Standing(
            "lapsed", end, f"the {name} was valid until {end}; no audit done by {on} granted a new one"
        ), view
    missing = [p for p in view.proofs if p.state == "missing"]
    if missing:
        proof = missing[0]
        return Standing("overdue", proof.ends, f"the {name}: year {proof.year} proof: {proof.message}"), view
    due = [p for p in view.proofs if p.state == "due"]
    if due:
        proof = due[0]
        return Standing("maintenance due", proof.ends, f"the {name}: year {proof.year} proof: {proof.message}"), view
    coming = [p for p in view.proofs if p.state == "upcoming"]
    if coming:
        proof = coming[0]
        return Standing(
            "good standing",
            proof.ends,
            f"the {name} is current (valid until {end}); next: the year {proof.year} proof by {proof.ends}",
        ), view
    return Standing(
        "renewal due",
        end,
        f"every yearly proof of the {name} is received; a certification audit or a new equivalency is due by {end}",
    ), view


def equivalency_due(
    engine: Engine, session: Session, employer: models.Employer, on: dt.date, until: dt.date
) -> list[DueItem]:
    """The yearly proofs of the employer's current equivalency CORs due or upcoming with a last day from ``on``
    to ``until`` (``registry due``)."""
    items: list[DueItem] = []
    for record in equivalencies_of(session, employer):
        view = equivalency_view(engine, record, on)
        if not view.current:
            continue
        for proof in view.proofs:
            if proof.state in ("due", "upcoming") and on <= proof.ends <= until:
                items.append(
                    DueItem(
                        employer.key,
                        employer.name,
                        "equivalency.proof",
                        f"year {proof.year} proof",
                        proof.ends,
                        proof.state,
                        f"{view.program} (equivalency, {view.scheme})",
                    )
                )
    return items


# --------------------------------------------------------------------------- incentives

Standing_on = Callable[[dt.date], tuple[str, bool]]
"""The registry's status on a day, and whether the certificate is current then."""

_STATES = {"pass": "eligible", "fail": "not eligible"}


def incentive_rules(engine: Engine) -> list[tuple[str, IncentiveRule]]:
    """Every incentive rule the installed plugins publish (their data files read into :class:`Incentives`)."""
    found: list[tuple[str, IncentiveRule]] = []
    for plugin, data_file in engine.data_files():
        if data_file.cls is Incentives:
            found += [(plugin, rule) for rule in load_file(data_file.path, Incentives).incentives]
    return found


def employer_jurisdictions(
    engine: Engine, employer: models.Employer, on: dt.date, equivalencies: tuple[EquivalencyView, ...]
) -> tuple[tuple[str, ...], dt.date | None]:
    """The jurisdiction of the employer's latest certificate by ``on`` (an audit's: its standard's; an
    equivalency COR's: the one recorded), and the day it was granted."""
    granted = [c for c in employer.certificates if c.audit.audit_date <= on]
    latest = max(granted, key=lambda c: (c.audit.audit_date, c.audit.digest), default=None)
    views = [v for v in equivalencies if v.cor_granted <= on]
    view = max(views, key=lambda v: v.cor_granted, default=None)
    if view is not None and (latest is None or view.cor_granted > latest.audit.audit_date):
        return (view.jurisdiction,), view.cor_granted
    if latest is None:
        return (), None
    try:
        codes: tuple[str, ...] = (engine.resolve(latest.audit.standard).standard.jurisdiction,)
    except CorengineError:  # the standard is not installed: nothing says where it is from
        codes = ()
    return codes, latest.audit.audit_date


def _day_of_year(on: dt.date, month_day: str) -> dt.date:
    """The latest ``MM-DD`` on or before ``on``."""
    this_year = dt.date.fromisoformat(f"{on.year}-{month_day}")
    return this_year if this_year <= on else dt.date.fromisoformat(f"{on.year - 1}-{month_day}")


def incentives(engine: Engine, question: IncentiveQuestion, standing_on: Standing_on) -> list[IncentiveView]:
    """Each incentive the installed plugins publish, judged on ``question.on``: from their data (the standing on
    the rule's day, then the facts the registry does not record) and from their code
    (``corengine_incentive_eligibility``), by id."""
    on = question.on
    views: list[IncentiveView] = []
    published = incentive_rules(engine)
    for wanted in sorted({rule.id for _, rule in published}):
        chosen = in_force([rule for _, rule in published if rule.id == wanted], on)
        if chosen is None:
            continue
        plugin = next(p for p, rule in published if rule is chosen)
        day = on if chosen.standing_on is None else _day_of_year(on, chosen.standing_on)
        missing: tuple[str, ...] = ()
        applies = chosen.jurisdiction in question.jurisdictions
        state, current = (question.status, question.current) if day == on or not applies else standing_on(day)
        if not applies:
            said, message = "not eligible", f"no certificate in force on {on} from a partner of {chosen.jurisdiction}"
        elif not current:
            said, message = "not eligible", f"the certificate is not in good standing on {day} ({state})"
        elif chosen.facts:
            missing = chosen.facts
            said = "cannot tell"
            message = f"current on {day} ({state}); the registry does not record: {'; '.join(chosen.facts)}"
        else:
            said, message = "eligible", f"current on {day} ({state})"
        views.append(
            IncentiveView(
                id=chosen.id,
                name=chosen.name,
                plugin=plugin,
                jurisdiction=chosen.jurisdiction,
                applies=applies,
                judged_on=day,
                state=said,
                message=message,
                missing=missing,
                rule=chosen.text,
                rule_start=chosen.start,
                sources=chosen.reference,
                confidence=chosen.confidence,
            )
        )
    registered = engine.jurisdictions()
    for finding in engine.hooks.incentive_eligibility(question):
        codes = sorted(code for code, (plugin, _) in registered.items() if plugin == finding.plugin)
        views.append(
            IncentiveView(
                id=finding.check,
                name=finding.subject or finding.check,
                plugin=finding.plugin,
                jurisdiction=codes[0] if len(codes) == 1 else None,
                applies=any(code in question.jurisdictions for code in codes),
                judged_on=on,
                state=_STATES.get(finding.status, "cannot tell"),
                message=finding.message,
                missing=(),
                rule="",
                rule_start=finding.rule_version,
                sources=finding.sources,
                confidence=finding.confidence,
            )
        )
    return sorted(views, key=lambda view: view.id)


# --------------------------------------------------------------------------- export lines


def employer_reference(employer: models.Employer) -> EmployerRef:
    return EmployerRef(employer.key, employer.name, employer.wcb_account, employer.industry_code)


def auditor_records(session: Session) -> list[ExportedAuditor]:
    """One export line per auditor with a recorded qualification, by name and kind."""
    rows = session.scalars(select(models.Auditor).order_by(models.Auditor.name, models.Auditor.kind))
    return [
        ExportedAuditor(
            name=row.name,
            kind=row.kind,
            qualifications=tuple(
                QualificationView(q.qualified_on, q.requalify_by, q.certificate, q.partner) for q in row.qualifications
            ),
        )
        for row in rows
        if row.qualifications
    ]


def equivalency_records(session: Session) -> list[ExportedEquivalency]:
    """One export line per equivalency COR, by employer key and the day it was granted."""
    rows = session.scalars(
        select(models.Equivalency).join(models.Employer).order_by(models.Employer.key, models.Equivalency.cor_granted)
    )
    return [
        ExportedEquivalency(
            employer=employer_reference(row.employer),
            jurisdiction=row.jurisdiction,
            scheme=row.scheme,
            program=row.program,
            partner=row.partner,
            certified_on=row.certified_on,
            certificate_expires=row.certificate_expires,
            cor_granted=row.cor_granted,
            cor_valid_until=row.cor_valid_until,
            proofs=tuple(ProofRecord(p.year, p.received, p.digest) for p in row.proofs),
        )
        for row in rows
    ]


def store_auditor(session: Session, record: ExportedAuditor) -> bool:
    """Store an exported auditor's qualifications not stored yet: whether any was added."""
    auditor = session.scalar(
        select(models.Auditor).where(models.Auditor.name == record.name, models.Auditor.kind == record.kind)
    )
    if auditor is None:
        auditor = models.Auditor(name=record.name, kind=record.kind)
        session.add(auditor)
    stored = {q.qualified_on for q in auditor.qualifications}
    added = False
    for q in record.qualifications:
        if q.qualified_on in stored:
            continue
        added = True
        session.add(
            models.Qualification(
                auditor=auditor,
                qualified_on=q.qualified_on,
                requalify_by=q.requalify_by,
                certificate=q.certificate,
                partner=q.partner,
            )
        )
    return added


def store_equivalency(session: Session, record: ExportedEquivalency) -> bool:
    """Store an exported equivalency COR and its proofs not stored yet: whether anything was added."""
    who = record.employer
    employer = session.scalar(select(models.Employer).where(models.Employer.key == who.key))
    if employer is None:
        employer = models.Employer(
            key=who.key, name=who.name, wcb_account=who.wcb_account, industry_code=who.industry_code
        )
        session.add(employer)
        session.flush()
    found = next((e for e in equivalencies_of(session, employer) if e.cor_granted == record.cor_granted), None)
    added = found is None
    if found is None:
        found = models.Equivalency(
            employer=employer,
            jurisdiction=record.jurisdiction,
            scheme=record.scheme,
            program=record.program,
            partner=record.partner,
            certified_on=record.certified_on,
            certificate_expires=record.certificate_expires,
            cor_granted=record.cor_granted,
            cor_valid_until=record.cor_valid_until,
        )
        session.add(found)
    years = {p.year for p in found.proofs}
    for proof in record.proofs:
        if proof.year not in years:
            added = True
            session.add(
                models.EquivalencyProof(
                    equivalency=found,
                    year=proof.year,
                    received=proof.received,
                    digest=proof.digest,
                )
            )
    return added

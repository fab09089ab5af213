"""What the registry does with audits: add them (scored once, stored by digest), rebuild their results for the
cycle, judge an employer's status on a date, list what is due, export to JSON lines and import them back."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs
import sqlalchemy
from sqlalchemy import select
from sqlalchemy.orm import Session

from corengine._formats.evidence_index import is_evidence_index
from corengine._host.engine import Engine
from corengine._io.distributions import VERSION
from corengine._registry import history, models
from corengine._registry.lifecycle import (
    audit_currency,
    auditor_records,
    employer_jurisdictions,
    employer_reference,
    equivalencies_of,
    equivalency_due,
    equivalency_records,
    equivalency_standing,
    equivalency_view,
    incentives,
    store_auditor,
    store_equivalency,
)
from corengine._registry.store import Store
from corengine._rules.cycle import Cycle, check_cycle
from corengine._rules.eligibility import version_in_force
from corengine._rules.standing import CURRENT, Standing, standing
from corengine._util.dates import add_months
from corengine._views.documents import result_document
from corengine._views.explain import EngineRef
from corengine._views.letter import LETTER_FORMAT, LETTER_VERSION, Letter, LetterRecord
from corengine._views.registry import DueDocument, DueItem, EmployerRef, StatusDocument
from corengine._views.registry_export import (
    AUDITOR_FORMAT,
    EQUIVALENCY_FORMAT,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    LINES,
    AuditorRef,
    CertificateRecord,
    ExportedAudit,
    ExportedAuditor,
    ExportedEquivalency,
    ExportLine,
    export_line,
    stored_json,
)
from corengine._views.registry_records import EquivalencyView
from corengine.errors import CorengineError, InputError
from corengine.model import Audit, SizeBand
from corengine.model.converter import structure
from corengine.model.lifecycle import AuditFact, IncentiveQuestion
from corengine.model.results import AuditScore, Outcome, Result
from corengine.model.vocabulary import AUDITOR_KINDS, CERTIFICATIONS

Added = Literal["added", "already"]

_ATTEMPTS = 3
"""Transactions retried when another writer stored the same employer, auditor or audit first."""


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record_of(result: Result, digest: str, source: str) -> ExportedAudit:
    """The line ``registry export`` writes for one audit: everything its rows hold, without row ids."""
    audit, outcome = result.audit, result.outcome
    document = stored_json(result_document(result))
    employer = audit.employer
    certificate = None
    if outcome.passed and outcome.certificate:
        certificate = CertificateRecord(
            certificate=outcome.certificate,
            program=outcome.program or audit.program,
            partner=result.standard.standard.partner,
            valid_until=outcome.valid_until,
            state="granted",
        )
    return ExportedAudit(
        digest=digest,
        source=source,
        employer=EmployerRef(employer.account or employer.name, employer.name, employer.account, employer.industry),
        auditor=AuditorRef(audit.auditor.name, audit.auditor.kind),
        standard=result.score.standard,
        standard_version=result.score.standard_version,
        audit_type=audit.audit_type,
        audit_date=audit.audit_date,
        program=audit.program,
        passed=outcome.passed,
        certificate=certificate,
        overall_exact=document["overall"]["percent_exact"],
        audit=stored_json(audit),
        score=stored_json(result.score),
        outcome=stored_json(outcome),
        result=document,
    )


def _store_record(session: Session, record: ExportedAudit) -> Added:
    """Store one audit line (as :func:`record_of` builds it) in the session's transaction, unless its digest is
    already stored."""
    if session.scalar(select(models.Audit.id).where(models.Audit.digest == record.digest)) is not None:
        return "already"
    who = record.employer
    employer = session.scalar(select(models.Employer).where(models.Employer.key == who.key))
    if employer is None:
        employer = models.Employer(
            key=who.key, name=who.name, wcb_account=who.wcb_account, industry_code=who.industry_code
        )
        session.add(employer)
    else:  # the latest audit's name and industry code are the employer's current ones
        if record.audit_date >= max((a.audit_date for a in employer.audits), default=dt.date.min):
            employer.name, employer.industry_code = who.name, who.industry_code or employer.industry_code
    by = record.auditor
    auditor = session.scalar(
        select(models.Auditor).where(models.Auditor.name == by.name, models.Auditor.kind == by.kind)
    )
    if auditor is None:
        auditor = models.Auditor(name=by.name, kind=by.kind)
        session.add(auditor)
    granted = record.certificate
    audit = models.Audit(
        digest=record.digest,
        source=record.source,
        employer=employer,
        auditor=auditor,
        standard=record.standard,
        standard_version=record.standard_version,
        audit_type=record.audit_type,
        audit_date=record.audit_date,
        program=record.program,
        passed=record.passed,
        certificate=None if granted is None else granted.certificate,
        overall_exact=record.overall_exact,
        audit_data=record.audit,
        score_data=record.score,
        outcome_data=record.outcome,
        result_document=record.result,
    )
    session.add(audit)
    if granted is not None:
        session.add(
            models.Certificate(
                employer=employer,
                audit=audit,
                certificate=granted.certificate,
                program=granted.program,
                partner=granted.partner,
                valid_until=granted.valid_until,
                state=granted.state,
            )
        )
    return "added"


def _write(session: Session, record: ExportLine) -> Added:
    """Store a line of any kind an export holds (an audit, an auditor, an equivalency COR)."""
    if isinstance(record, ExportedAuditor):
        return "added" if store_auditor(session, record) else "already"
    if isinstance(record, ExportedEquivalency):
        return "added" if store_equivalency(session, record) else "already"
    return _store_record(session, record)


def store(registry: Store, record: ExportLine) -> Added:
    """Store one record in its own transaction: all its rows or none (:func:`store_group` of one)."""
    return store_group(registry, [record])[0]


GROUP = 50
"""Records stored together in one transaction by :func:`store_group` (``registry add``, ``import``,
``import-jsonl``): a commit makes SQLite sync the disk several times (~20 ms here), about half of an import
when each file had its own (``benchmarks/README.md``, issue 24)."""


def store_group(registry: Store, records: Sequence[ExportLine]) -> list[Added]:
    """Store ``records`` in one transaction: all of their rows or none (so each record's rows whole or not at
    all). A writer that stored the same employer, auditor or digest at the same moment makes the whole group
    retry (and then find them); the same digest twice in the group is stored once."""
    for attempt in range(_ATTEMPTS):
        try:
            with registry.transaction() as session:
                return [_write(session, record) for record in records]
        except sqlalchemy.exc.IntegrityError as exc:
            if attempt == _ATTEMPTS - 1:
                raise CorengineError(f"{registry.name}: {str(exc.orig).splitlines()[0]}") from None
    raise AssertionError("unreachable")


def score_file(
    engine: Engine, path: Path, registry: Store | None = None, pending: Sequence[ExportedAudit] = ()
) -> ExportedAudit:
    """Score the audit file at ``path`` with the Engine: the record to store (InputError for a bad file).

    With ``registry``, an audit whose type depends on the employer's history (an action plan, a recertification)
    is scored with the history facts it leaves out filled from the employer's stored audits and the ``pending``
    records (scored, not stored yet: the rest of its group) (:mod:`corengine._registry.history`), and a certifying
    audit is sized by the largest workforce stored within its size band's look-back span (ACSA's SECOR: "at any
    time in the past 12 months"); the result records what came from the registry, and the audit is stored as
    read."""
    data = path.read_bytes()
    loaded = engine.load_audit_bytes(data, str(path))
    audit = loaded.audit
    band = _lookback_band(engine, audit)
    if registry is None or not (history.needs_history(audit) or band is not None):
        return record_of(engine.score(loaded), digest_of(data), path.name)
    with registry.reading() as session:
        key = audit.employer.account or audit.employer.name
        employer = session.scalar(select(models.Employer).where(models.Employer.key == key))
        prior = [] if employer is None else [_result(engine, row) for row in employer.audits]
        stored_digests = set() if employer is None else {row.digest for row in employer.audits}
    prior += [
        _pending_result(engine, record)
        for record in pending
        if record.employer.key == key and record.digest not in stored_digests
    ]
    scored = audit
    derived = None
    if history.needs_history(audit):
        derived = history.derive(audit, prior)
        scored = attrs.evolve(scored, history=derived.history)
    top = None if band is None else history.peak(audit, prior, band)
    if top is not None:
        scored = attrs.evolve(scored, employer=attrs.evolve(scored.employer, workers=top.workers))
    result = engine.score(attrs.evolve(loaded, audit=scored))
    added = []
    if top is not None:
        added.append(history.size_finding(top, audit, result.outcome.plugin))
    if derived is not None:
        stored = sum(r.audit.audit_date < audit.audit_date for r in prior)
        added.append(history.finding(derived, stored, audit.audit_date, result.outcome.reasons))
    reasons = (*result.outcome.reasons, *added)
    result = attrs.evolve(result, audit=audit, outcome=attrs.evolve(result.outcome, reasons=reasons))
    return record_of(result, digest_of(data), path.name)


def _lookback_band(engine: Engine, audit: Audit) -> SizeBand | None:
    """The size band of ``audit``'s program that counts the size over months before a certifying audit, if any."""
    try:
        resolved = engine.resolve(audit.standard)
    except CorengineError:
        return None  # scoring reports the unknown standard
    standard = resolved.standard
    found = engine.jurisdictions().get(standard.jurisdiction)
    if found is None:
        return None
    jurisdiction = found[1]
    version = version_in_force(jurisdiction, audit.audit_date)
    if version is None or audit.audit_type not in version.decides_at:
        return None
    program = audit.program or standard.programs[0]
    return history.lookback_band(jurisdiction, standard.partner, program, audit.audit_date)


def audit_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """The audit files under ``folder`` (YAML, JSON and workbooks), in a stable order, and the evidence indexes
    found among them and left out (as ``batch`` leaves them out)."""
    suffixes = {".yaml", ".yml", ".json", ".xlsx"}
    found = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
    indexes = [p for p in found if is_evidence_index(p)]
    return [p for p in found if p not in indexes], indexes


def _pending_result(engine: Engine, record: ExportedAudit) -> Result:
    """A record scored and waiting in its group, read as :func:`_result` reads a stored one."""
    label = f"pending audit {record.digest[:12]}"
    return _decided(engine, record.standard, record.source, label, record.audit, record.score, record.outcome)


def _result(engine: Engine, row: models.Audit) -> Result:
    """The stored audit's result as it was decided (never re-scored): the audit, score and outcome as stored, and
    the standard it names (for its certificate rules' cycle data)."""
    label = f"registry audit {row.digest[:12]}"
    return _decided(engine, row.standard, row.source, label, row.audit_data, row.score_data, row.outcome_data)


def _decided(engine: Engine, standard: str, source: str, label: str, audit: Any, score: Any, outcome: Any) -> Result:
    try:
        resolved = engine.resolve(standard)
    except CorengineError:
        raise CorengineError(
            f"{source} ({label}): its standard {standard!r} is not installed; the cycle needs its rules"
        ) from None
    return Result(
        audit=structure(audit, Audit, label),
        standard=resolved,
        score=structure(score, AuditScore, label),
        outcome=structure(outcome, Outcome, label),
    )


def find_employer(session: Session, wanted: str) -> models.Employer:
    """The employer with this key (WCB account or name), WCB account or name."""
    employer = session.scalar(select(models.Employer).where(models.Employer.key == wanted))
    if employer is not None:
        return employer
    found = list(
        session.scalars(
            select(models.Employer).where((models.Employer.wcb_account == wanted) | (models.Employer.name == wanted))
        )
    )
    if len(found) == 1:
        return found[0]
    if found:
        keys = ", ".join(sorted(e.key for e in found))
        raise CorengineError(f"EMPLOYER: {wanted!r} names more than one employer ({keys}); give the WCB account")
    raise CorengineError(f"EMPLOYER: no employer {wanted!r} in the registry (give its WCB account or name)")


def employer_cycle(engine: Engine, employer: models.Employer, on: dt.date) -> Cycle:
    """The cycle of ``employer``'s stored audits on ``on``, as ``corengine cycle`` judges it over the files."""
    return check_cycle([_result(engine, row) for row in employer.audits], on)


def _judge(
    engine: Engine, session: Session, employer: models.Employer, on: dt.date
) -> tuple[Standing, Cycle, str | None, dt.date | None, tuple[EquivalencyView, ...]]:
    """The employer's standing on ``on``: from its stored audits' cycle, else (no audit granted a certificate
    by then) from its equivalency COR and the yearly proofs that keep it; with the cycle, the certificate, its
    end and the equivalency CORs on that date."""
    equivalencies = tuple(equivalency_view(engine, row, on) for row in equivalencies_of(session, employer))
    if employer.audits:
        cycle = employer_cycle(engine, employer, on)
        found = standing(cycle)
    else:  # an employer recorded with an equivalency COR only
        cycle = Cycle(on, None, None, False, (), ())
        found = Standing("no certificate", None, "no audit is stored for this employer")
    certificate, valid_until = cycle.certificate, cycle.valid_until
    by_equivalency = None if certificate is not None else equivalency_standing(equivalencies, on)
    if by_equivalency is not None:
        found, view = by_equivalency
        certificate, valid_until = f"{view.program} (equivalency, {view.scheme})", view.cor_valid_until
    return found, cycle, certificate, valid_until, equivalencies


def status(engine: Engine, session: Session, wanted: str, on: dt.date) -> StatusDocument:
    """``registry status``: the employer's standing on ``on`` and why, each stored audit's auditor currency on
    its date, its equivalency CORs' proofs and the incentives the installed plugins publish."""
    employer = find_employer(session, wanted)
    found, cycle, certificate, valid_until, equivalencies = _judge(engine, session, employer, on)
    jurisdictions, granted = employer_jurisdictions(engine, employer, on, equivalencies)
    done = sorted((row for row in employer.audits if row.audit_date <= on), key=_by_date)
    question = IncentiveQuestion(
        employer=employer.key,
        on=on,
        jurisdictions=jurisdictions,
        status=found.state,
        current=found.state in CURRENT,
        certificate=certificate,
        granted=granted,
        valid_until=valid_until,
        audits=tuple(AuditFact(row.audit_type, row.audit_date, row.passed, row.certificate) for row in done),
    )

    def standing_on(day: dt.date) -> tuple[str, bool]:
        state = _judge(engine, session, employer, day)[0].state
        return state, state in CURRENT

    return StatusDocument(
        employer=employer_reference(employer),
        on=on,
        status=found.state,
        current=found.state in CURRENT,
        by=found.by,
        message=found.message,
        certificate=certificate,
        valid_until=valid_until,
        audits=len(employer.audits),
        cycle=cycle,
        auditors=tuple(audit_currency(engine, done)),
        equivalencies=equivalencies,
        incentives=tuple(incentives(engine, question, standing_on)),
    )


def letter(engine: Engine, session: Session, wanted: str, on: dt.date, issued: dt.date) -> Letter:
    """The Letter of Good Standing of the employer on ``on`` (unsigned): its status as ``registry status`` says,
    the cycle's findings behind it and the stored audits the cycle counted."""
    document = status(engine, session, wanted, on)
    relied = sorted((row for row in find_employer(session, wanted).audits if row.audit_date <= on), key=_by_date)
    return Letter(
        format=LETTER_FORMAT,
        version=LETTER_VERSION,
        employer=document.employer,
        on=on,
        issued=issued,
        status=document.status,
        current=document.current,
        by=document.by,
        message=document.message,
        certificate=document.certificate,
        valid_until=document.valid_until,
        findings=document.cycle.findings,
        engine=EngineRef("corengine", VERSION),
        records=tuple(
            LetterRecord(row.digest, row.source, row.audit_date, row.audit_type, row.certificate) for row in relied
        ),
    )


def _by_date(row: models.Audit) -> tuple[dt.date, str]:
    return row.audit_date, row.digest


def parse_within(text: str) -> int:
    """``60d``, ``8w``, ``2m`` (months are counted as calendar months from the date) or a number of days."""
    value = text.strip().lower()
    unit = value[-1:] if value[-1:] in ("d", "w", "m") else "d"
    number = value[:-1] if value[-1:] in ("d", "w", "m") else value
    if not number.isdigit():
        raise ValueError(f"expected a period such as 60d, 8w or 2m, not {text!r}")
    return int(number) * (7 if unit == "w" else 1) if unit != "m" else -int(number)


def window_end(on: dt.date, within: int) -> dt.date:
    """The last day of the window: ``within`` days from ``on`` (a negative value counts months)."""
    return add_months(on, -within) if within < 0 else on + dt.timedelta(days=within)


def due(engine: Engine, session: Session, on: dt.date, until: dt.date) -> DueDocument:
    """Every open deadline from ``on`` to ``until`` of every employer whose certificate is current on ``on``,
    and each such certificate's end when it falls in the window."""
    items: list[DueItem] = []
    for employer in session.scalars(select(models.Employer).order_by(models.Employer.key)):
        items += equivalency_due(engine, session, employer, on, until)
        if not employer.audits:
            continue
        cycle = employer_cycle(engine, employer, on)
        if standing(cycle).state not in CURRENT:
            continue
        for deadline in cycle.deadlines:
            if deadline.state in ("due", "upcoming") and on <= deadline.due <= until:
                items.append(
                    DueItem(
                        employer.key,
                        employer.name,
                        deadline.check,
                        deadline.subject,
                        deadline.due,
                        deadline.state,
                        cycle.certificate,
                    )
                )
        if cycle.valid_until is not None and on <= cycle.valid_until <= until:
            items.append(
                DueItem(
                    employer.key,
                    employer.name,
                    "cycle.renewal",
                    "recertification",
                    cycle.valid_until,
                    "due",
                    cycle.certificate,
                )
            )
    items.sort(key=lambda item: (item.due, item.employer, item.check, item.subject))
    return DueDocument(on, until, tuple(items))


def export_lines(session: Session) -> Iterator[str]:
    """One JSON line per stored audit, in date order then digest, then one per auditor with a recorded
    qualification (by name and kind) and one per equivalency COR (by employer and the day it was granted):
    ``registry import-jsonl`` reads them back."""
    lines: Iterable[ExportLine] = itertools.chain(
        _audit_lines(session), auditor_records(session), equivalency_records(session)
    )
    yield from map(export_line, lines)


def _audit_lines(session: Session) -> Iterator[ExportedAudit]:
    rows = session.scalars(select(models.Audit).order_by(models.Audit.audit_date, models.Audit.digest))
    for row in rows:
        granted = session.scalar(select(models.Certificate).where(models.Certificate.audit_id == row.id))
        yield ExportedAudit(
            digest=row.digest,
            source=row.source,
            employer=employer_reference(row.employer),
            auditor=AuditorRef(row.auditor.name, row.auditor.kind),
            standard=row.standard,
            standard_version=row.standard_version,
            audit_type=row.audit_type,
            audit_date=row.audit_date,
            program=row.program,
            passed=row.passed,
            certificate=None
            if granted is None
            else CertificateRecord(
                granted.certificate, granted.program, granted.partner, granted.valid_until, granted.state
            ),
            overall_exact=row.overall_exact,
            audit=row.audit_data,
            score=row.score_data,
            outcome=row.outcome_data,
            result=row.result_document,
        )


def _keys_of(cls: type) -> frozenset[str]:
    """The keys a line of this document holds."""
    return frozenset(a.name for a in attrs.fields(cls))


_KEYS = _keys_of(ExportedAudit)
_OTHER_KEYS = {AUDITOR_FORMAT: _keys_of(ExportedAuditor), EQUIVALENCY_FORMAT: _keys_of(ExportedEquivalency)}
"""The keys of an export's auditor and equivalency lines."""


def _keys(mapping: dict[str, Any], *keys: str) -> None:
    """KeyError unless ``mapping`` holds every key."""
    missing = [key for key in keys if key not in mapping]
    if missing:
        raise KeyError(", ".join(missing))


def _other_problem(record: dict[str, Any]) -> str:
    """What is wrong with an auditor or equivalency line ('' when nothing)."""
    if record.get("version") != EXPORT_VERSION:
        return f"version {record.get('version')!r} is not {EXPORT_VERSION}"
    missing = sorted(_OTHER_KEYS[record["format"]] - set(record))
    if missing:
        return f"missing {', '.join(missing)}"
    try:
        if record["format"] == AUDITOR_FORMAT:
            if record["kind"] not in AUDITOR_KINDS or not isinstance(record["name"], str):
                return f"kind: expected one of {', '.join(AUDITOR_KINDS)}, not {record['kind']!r}"
            for item in record["qualifications"]:
                _keys(item, "qualified_on", "requalify_by", "certificate", "partner")
                dt.date.fromisoformat(item["qualified_on"])
                if item["requalify_by"] is not None:
                    dt.date.fromisoformat(item["requalify_by"])
            return ""
        if record["scheme"] not in CERTIFICATIONS:
            return f"scheme: expected one of {', '.join(CERTIFICATIONS)}, not {record['scheme']!r}"
        for key in ("certified_on", "cor_granted", "cor_valid_until"):
            dt.date.fromisoformat(record[key])
        if record["certificate_expires"] is not None:
            dt.date.fromisoformat(record["certificate_expires"])
        _keys(record["employer"], "key", "name", "wcb_account", "industry_code")
        for proof in record["proofs"]:
            _keys(proof, "year", "received", "digest")
            if proof["year"] not in (2, 3):
                return f"proofs: year expected 2 or 3, not {proof['year']!r}"
            dt.date.fromisoformat(proof["received"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return f"not a {record['format']} line as `corengine registry export` writes it ({type(exc).__name__}: {exc})"
    return ""


def _structured(name: str, number: int, record: dict[str, Any]) -> ExportLine:
    """A line that passed the checks above, as its document (InputError: its first problem)."""
    try:
        line: ExportLine = structure(record, LINES[record["format"]], f"{name}:{number}")
    except InputError as exc:
        raise InputError([exc.lines()[0]]) from None
    return line


def read_lines(name: str, lines: Iterable[str]) -> list[ExportLine]:
    """The lines of a JSON lines export as their documents, every bad line reported at once (``file:line:
    message``)."""
    records: list[ExportLine] = []
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{name}:{number}: not JSON ({exc.msg} at column {exc.colno})")
            continue
        if isinstance(record, dict) and record.get("format") in _OTHER_KEYS:
            problem = _other_problem(record)
            if problem:
                problems.append(f"{name}:{number}: {problem}")
                continue
        elif not isinstance(record, dict) or record.get("format") != EXPORT_FORMAT:
            problems.append(f"{name}:{number}: expected a line of `corengine registry export` (format {EXPORT_FORMAT})")
            continue
        elif record.get("version") != EXPORT_VERSION:
            problems.append(f"{name}:{number}: version {record.get('version')!r} is not {EXPORT_VERSION}")
            continue
        else:
            missing = sorted(_KEYS - set(record))
            if missing:
                problems.append(f"{name}:{number}: missing {', '.join(missing)}")
                continue
            try:
                structure(record["audit"], Audit, f"{name}:{number}: audit")
                dt.date.fromisoformat(record["audit_date"])
            except (InputError, ValueError, TypeError) as exc:
                problems.append(f"{name}:{number}: {str(exc).splitlines()[0]}")
                continue
        try:
            records.append(_structured(name, number, record))
        except InputError as exc:
            problems += exc.lines()
    if problems:
        raise InputError(problems)
    return records

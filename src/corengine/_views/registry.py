"""The registry's published documents: an employer's status on a date and the deadlines due soon (rendered by the
converter to JSON, and to text and CSV here)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from attrs import frozen

from corengine._rules.cycle import Cycle
from corengine._util.escaping import csv_cell
from corengine._util.textlayout import escape
from corengine._views.registry_records import (
    CurrencyFinding,
    EquivalencyView,
    IncentiveView,
    currency_line,
    equivalency_lines,
    incentive_line,
)


@frozen
class EmployerRef:
    """An employer as the registry knows it."""

    key: str
    """The WCB account, or the name when the audits record no account."""
    name: str
    wcb_account: str | None
    industry_code: str | None


@frozen
class StatusDocument:
    """``registry status``: the employer's standing on a date and the cycle it is read from."""

    employer: EmployerRef
    on: dt.date
    status: str
    """good standing, maintenance due, renewal due, overdue, lapsed, cancelled or no certificate."""
    current: bool
    """Whether the certificate is current on the date (good standing, maintenance due or renewal due)."""
    by: dt.date | None
    """The date behind the status (see ``docs/registry.md``)."""
    message: str
    certificate: str | None
    valid_until: dt.date | None
    audits: int
    """Audits stored for the employer (those dated after ``on`` are not counted by the cycle)."""
    cycle: Cycle
    """The same document ``corengine cycle --format json`` writes for the employer's stored audits."""
    auditors: tuple[CurrencyFinding, ...] = ()
    """Each stored audit's auditor currency on the audit's date, where a plugin publishes the partner's rule."""
    equivalencies: tuple[EquivalencyView, ...] = ()
    """The employer's equivalency CORs and their yearly proofs on the date."""
    incentives: tuple[IncentiveView, ...] = ()
    """Each incentive the installed plugins publish: eligible, not eligible or cannot tell, on the date."""


@frozen
class DueItem:
    """One deadline due within the window."""

    employer: str
    """The employer's key."""
    name: str
    check: str
    """A cycle deadline's check (``cycle.maintenance``...), or ``cycle.renewal`` for the certificate's end."""
    subject: str
    due: dt.date
    state: str
    """``due`` (its window is open) or ``upcoming``."""
    certificate: str | None


@frozen
class DueDocument:
    """``registry due``: every deadline from ``on`` to ``until``, earliest first."""

    on: dt.date
    until: dt.date
    items: tuple[DueItem, ...]


def status_text(document: StatusDocument) -> str:
    employer = document.employer
    lines = [
        f"{employer.name}{'' if employer.key == employer.name else f' ({employer.key})'} on {document.on}: "
        f"{document.status}" + (f" (by {document.by})" if document.by is not None and document.current else ""),
        f"  {document.message}",
    ]
    if document.certificate is not None:
        until = f"valid until {document.valid_until}" if document.valid_until is not None else document.status
        lines.append(f"  certificate: {document.certificate}, {until}")
    lines.append(f"  audits stored: {document.audits}")
    lines += [f"  {currency_line(finding)}" for finding in document.auditors]
    lines += [f"  {line}" for view in document.equivalencies for line in equivalency_lines(view)]
    lines += [f"  {incentive_line(view)}" for view in document.incentives if view.applies]
    return "\n".join(escape(line) for line in lines) + "\n"  # names and messages come from audits


def due_text(document: DueDocument) -> str:
    if not document.items:
        return f"nothing due from {document.on} to {document.until}\n"
    lines = [f"{len(document.items)} deadline(s) from {document.on} to {document.until}:"]
    lines += [f"  {i.due}  {i.employer}  {i.name}: {i.subject} ({i.state}; {i.check})" for i in document.items]
    return "\n".join(escape(line) for line in lines) + "\n"  # names come from audits


DUE_COLUMNS = ("due", "employer", "name", "check", "subject", "state", "certificate")


def due_csv(document: DueDocument) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DUE_COLUMNS)
    for item in document.items:
        writer.writerow(
            [
                csv_cell(v)
                for v in (
                    item.due.isoformat(),
                    item.employer,
                    item.name,
                    item.check,
                    item.subject,
                    item.state,
                    item.certificate or "",
                )
            ]
        )
    return out.getvalue()

"""The lines of ``corengine registry export``, which ``registry import-jsonl`` reads back: an audit as stored (its
employer, auditor, certificate and the stored audit, score, outcome and result), an auditor's qualifications, and
an equivalency COR with its yearly proofs. Each is a document the converter writes, one JSON object a line
(:func:`export_line`); the registry builds them from its rows and stores them back."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import cache
from typing import Any

import attrs
from attrs import field, frozen

from corengine._views.registry import EmployerRef
from corengine._views.registry_records import QualificationView
from corengine.model.converter import converter, unstructure

EXPORT_FORMAT = "corengine-registry-audit"
"""The ``format`` of a line holding a stored audit."""
EXPORT_VERSION = 1
"""The ``version`` of every line (all three kinds)."""
AUDITOR_FORMAT = "corengine-registry-auditor"
"""The ``format`` of a line holding an auditor's qualifications (revision 0002)."""
EQUIVALENCY_FORMAT = "corengine-registry-equivalency"
"""The ``format`` of a line holding an equivalency COR and its proofs (revision 0002)."""

JSONValue = Any
"""Plain JSON data, kept as it is: the stored audit, score, outcome and result are written and read back whole
(the audit is checked against :class:`corengine.model.Audit` when read)."""

KEPT = "corengine_json_value"
"""Field metadata of a :data:`JSONValue`: :func:`export_line` writes it as it is (it is JSON data already; the
converter would walk it only to copy it, about a millisecond per stored audit)."""


@frozen
class AuditorRef:
    """The auditor of a stored audit."""

    name: str
    kind: str


@frozen
class CertificateRecord:
    """The certificate a stored audit granted."""

    certificate: str
    program: str | None
    partner: str | None
    valid_until: dt.date | None
    state: str
    """``granted``."""


@frozen
class ExportedAudit:
    """One stored audit: everything its rows hold, without row ids."""

    digest: str
    """The SHA-256 of the audit file's bytes, in hex: the registry's key for the audit."""
    source: str
    """The file's name."""
    employer: EmployerRef
    auditor: AuditorRef
    standard: str
    standard_version: str
    audit_type: str
    audit_date: dt.date
    program: str | None
    passed: bool
    certificate: CertificateRecord | None
    overall_exact: str | None
    """The overall percentage, exact (``610/7``)."""
    audit: JSONValue = field(metadata={KEPT: True})
    """The audit as read (the converter's form of :class:`corengine.model.Audit`)."""
    score: JSONValue = field(metadata={KEPT: True})
    outcome: JSONValue = field(metadata={KEPT: True})
    result: JSONValue = field(metadata={KEPT: True})
    """The document ``corengine score --format json`` wrote for it."""
    format: str = EXPORT_FORMAT
    version: int = EXPORT_VERSION


@frozen
class ExportedAuditor:
    """An auditor with at least one recorded qualification."""

    name: str
    kind: str
    qualifications: tuple[QualificationView, ...]
    format: str = AUDITOR_FORMAT
    version: int = EXPORT_VERSION


@frozen
class ProofRecord:
    """One year's proof that the outside certificate was maintained, as received."""

    year: int
    received: dt.date
    digest: str | None
    """The SHA-256 of the document received, when it was given."""


@frozen
class ExportedEquivalency:
    """An equivalency COR and the proofs received for it."""

    employer: EmployerRef
    jurisdiction: str
    scheme: str
    program: str
    partner: str | None
    certified_on: dt.date
    certificate_expires: dt.date | None
    cor_granted: dt.date
    cor_valid_until: dt.date
    proofs: tuple[ProofRecord, ...]
    format: str = EQUIVALENCY_FORMAT
    version: int = EXPORT_VERSION


ExportLine = ExportedAudit | ExportedAuditor | ExportedEquivalency

LINES: dict[str, type[ExportedAudit] | type[ExportedAuditor] | type[ExportedEquivalency]] = {
    EXPORT_FORMAT: ExportedAudit,
    AUDITOR_FORMAT: ExportedAuditor,
    EQUIVALENCY_FORMAT: ExportedEquivalency,
}
"""The document of each ``format``."""


def _same(value: Any) -> Any:
    return value


@cache
def _writer(kind: str) -> Callable[[Any], dict[str, Any]]:
    """The converter's unstructure function of the document of ``format`` ``kind``, its :data:`KEPT` fields written
    as they are."""
    from cattrs.gen import make_dict_unstructure_fn, override

    cls = LINES[kind]
    kept: dict[str, Any] = {a.name: override(unstruct_hook=_same) for a in attrs.fields(cls) if a.metadata.get(KEPT)}
    return make_dict_unstructure_fn(cls, converter, **kept)


def export_line(line: ExportLine) -> str:
    """One line of the export: the document as JSON on one line, keys sorted, text as it is (not ``\\u``
    escaped)."""
    return json.dumps(_writer(line.format)(line), ensure_ascii=False, sort_keys=True) + "\n"


def stored_json(obj: Any) -> JSONValue:
    """``obj`` as the plain JSON data the registry stores and reads back (the converter's form, through JSON:
    dates as text, tuples as lists)."""
    return json.loads(json.dumps(unstructure(obj)))

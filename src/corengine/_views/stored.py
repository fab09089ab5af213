"""The answer of ``POST /v1/registry/audits``: what the registry did with an uploaded audit (the service's form of
``registry add``'s line)."""

from __future__ import annotations

import datetime as dt

from attrs import frozen

from corengine._views.registry import EmployerRef


@frozen
class StoredAudit:
    """An audit the service scored and stored, or found already stored (by the SHA-256 of its bytes)."""

    outcome: str
    """``added``, or ``already`` when the same bytes were stored before (nothing added)."""
    sha256: str
    """The SHA-256 of the uploaded file's bytes, in hex: the registry's key for the audit."""
    source: str
    """The file's name as uploaded."""
    employer: EmployerRef
    audit_type: str
    audit_date: dt.date
    passed: bool
    certificate: str | None
    """The certificate the audit granted, if any."""
    valid_until: dt.date | None

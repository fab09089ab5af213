"""The registry's tables, as SQLAlchemy 2 declarative models.

An audit row keeps the audit as it was read, its score and outcome (exactly, through the converter) and the
published result document: the registry never re-scores a stored audit; status is judged from what was stored.
Revision 0002 adds auditors' qualifications, and equivalency records (a COR granted on an ISO 45001 or CSA
certificate) with their yearly proofs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """The registry's metadata (the migrations build the same tables)."""


class Employer(Base):
    """An employer, known by its WCB account where the audits record one, else by its name."""

    __tablename__ = "employers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    """The WCB account, or the name when no audit records an account (the key ``cycle`` groups audits by)."""
    name: Mapped[str] = mapped_column(String(300))
    wcb_account: Mapped[str | None] = mapped_column(String(100))
    industry_code: Mapped[str | None] = mapped_column(String(300))

    audits: Mapped[list[Audit]] = relationship(back_populates="employer", order_by="Audit.audit_date")
    certificates: Mapped[list[Certificate]] = relationship(back_populates="employer")


class Auditor(Base):
    """Who conducted an audit (an auditor of each kind is one row: the audits record name and kind)."""

    __tablename__ = "auditors"
    __table_args__ = (UniqueConstraint("name", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40))

    qualifications: Mapped[list[Qualification]] = relationship(
        back_populates="auditor", order_by="(Qualification.qualified_on, Qualification.id)"
    )
    audits: Mapped[list[Audit]] = relationship(back_populates="auditor", order_by="Audit.audit_date")
    """The audits the auditor did (revision 0002)."""


class Qualification(Base):
    """An auditor's qualification: recorded with ``registry auditor add`` (revision 0002)."""

    __tablename__ = "auditor_qualifications"
    __table_args__ = (UniqueConstraint("auditor_id", "qualified_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    auditor_id: Mapped[int] = mapped_column(ForeignKey("auditors.id"))
    certificate: Mapped[str | None] = mapped_column(String(100))
    """The auditor's certificate number."""
    partner: Mapped[str | None] = mapped_column(String(100))
    """The certifying partner that qualified the auditor (BCCSA, AMTA...)."""
    qualified_on: Mapped[dt.date] = mapped_column(Date)
    requalify_by: Mapped[dt.date | None] = mapped_column(Date)
    """The last day of the qualification, where it was recorded; else the partner's rule gives it."""

    auditor: Mapped[Auditor] = relationship(back_populates="qualifications")


class Audit(Base):
    """One audit file as scored when it was added, identified by the SHA-256 digest of its bytes."""

    __tablename__ = "audits"
    __table_args__ = (
        Index("audits_by_employer", "employer_id", "audit_date"),
        Index("audits_by_auditor", "auditor_id", "audit_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    """SHA-256 of the audit file's bytes, in hex: the same file is stored once."""
    source: Mapped[str] = mapped_column(Text)
    """The file's name when it was added (for people; the digest identifies it)."""
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"))
    auditor_id: Mapped[int] = mapped_column(ForeignKey("auditors.id"))
    standard: Mapped[str] = mapped_column(String(200))
    standard_version: Mapped[str] = mapped_column(String(100))
    audit_type: Mapped[str] = mapped_column(String(60))
    audit_date: Mapped[dt.date] = mapped_column(Date)
    program: Mapped[str | None] = mapped_column(String(100))
    passed: Mapped[bool] = mapped_column(Boolean)
    certificate: Mapped[str | None] = mapped_column(String(200))
    overall_exact: Mapped[str | None] = mapped_column(String(100))
    """The exact overall percentage (``803/10``), None when no points were available."""
    audit_data: Mapped[Any] = mapped_column(JSON)
    """The audit as read, unstructured by the converter."""
    score_data: Mapped[Any] = mapped_column(JSON)
    outcome_data: Mapped[Any] = mapped_column(JSON)
    result_document: Mapped[Any] = mapped_column(JSON)
    """The published result document (``schemas/result.schema.json``) as it was when the audit was added."""

    employer: Mapped[Employer] = relationship(back_populates="audits")
    auditor: Mapped[Auditor] = relationship(back_populates="audits")


class Certificate(Base):
    """A certificate an audit granted."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"))
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), unique=True)
    """The audit that granted it."""
    certificate: Mapped[str] = mapped_column(String(200))
    program: Mapped[str | None] = mapped_column(String(100))
    partner: Mapped[str | None] = mapped_column(String(100))
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(40))
    """``granted`` when stored; the standing on a date is judged by ``registry status``, not stored."""

    employer: Mapped[Employer] = relationship(back_populates="certificates")
    audit: Mapped[Audit] = relationship()


class Equivalency(Base):
    """A COR granted by equivalency: on an outside certificate (ISO 45001:2018, CSA Z45001:19, CSA Z1000:14),
    kept in years two and three by proofs that the certificate was maintained (revision 0002)."""

    __tablename__ = "equivalencies"
    __table_args__ = (UniqueConstraint("employer_id", "cor_granted"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"))
    jurisdiction: Mapped[str] = mapped_column(String(20))
    """The jurisdiction whose equivalency route granted it (``AB``): its data says how the COR is kept."""
    scheme: Mapped[str] = mapped_column(String(40))
    """``ISO45001``, ``CSA-Z45001`` or ``CSA-Z1000`` (the names the jurisdiction data uses)."""
    program: Mapped[str] = mapped_column(String(100))
    partner: Mapped[str | None] = mapped_column(String(100))
    certified_on: Mapped[dt.date] = mapped_column(Date)
    """The outside certificate's date."""
    certificate_expires: Mapped[dt.date | None] = mapped_column(Date)
    """The outside certificate's expiry, where recorded."""
    cor_granted: Mapped[dt.date] = mapped_column(Date)
    """The day the COR was granted on it."""
    cor_valid_until: Mapped[dt.date] = mapped_column(Date)
    """The COR's last valid day."""

    employer: Mapped[Employer] = relationship()
    proofs: Mapped[list[EquivalencyProof]] = relationship(
        back_populates="equivalency", order_by="EquivalencyProof.year"
    )


class EquivalencyProof(Base):
    """The documents showing the outside certificate was maintained, for year two or three of the COR."""

    __tablename__ = "equivalency_proofs"
    __table_args__ = (UniqueConstraint("equivalency_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    equivalency_id: Mapped[int] = mapped_column(ForeignKey("equivalencies.id"))
    year: Mapped[int] = mapped_column(Integer)
    """2 or 3: the year of the COR's cycle the proof is for."""
    received: Mapped[dt.date] = mapped_column(Date)
    digest: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 of the document received, in hex, when it was given with ``--file``."""

    equivalency: Mapped[Equivalency] = relationship(back_populates="proofs")

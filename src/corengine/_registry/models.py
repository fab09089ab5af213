"""The registry's tables, as SQLAlchemy 2 declarative models.

An audit row keeps the audit as it was read, its score and outcome (exactly, through the converter) and the
published result document: the registry never re-scores a stored audit; status is judged from what was stored.
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
    """Who conducted an audit."""

    __tablename__ = "auditors"
    __table_args__ = (UniqueConstraint("name", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40))


class Audit(Base):
    """One audit file as scored when it was added, identified by the SHA-256 digest of its bytes."""

    __tablename__ = "audits"
    __table_args__ = (Index("audits_by_employer", "employer_id", "audit_date"),)

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
    auditor: Mapped[Auditor] = relationship()


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

"""Auditors' qualifications, the audits each auditor did (an index), equivalency records and their yearly proofs.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "auditor_qualifications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("auditor_id", sa.Integer, sa.ForeignKey("auditors.id"), nullable=False),
        sa.Column("certificate", sa.String(100)),
        sa.Column("partner", sa.String(100)),
        sa.Column("qualified_on", sa.Date, nullable=False),
        sa.Column("requalify_by", sa.Date),
        sa.UniqueConstraint("auditor_id", "qualified_on"),
    )
    with op.batch_alter_table("audits") as batch:
        batch.create_index("audits_by_auditor", ["auditor_id", "audit_date"])
    op.create_table(
        "equivalencies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("employer_id", sa.Integer, sa.ForeignKey("employers.id"), nullable=False),
        sa.Column("jurisdiction", sa.String(20), nullable=False),
        sa.Column("scheme", sa.String(40), nullable=False),
        sa.Column("program", sa.String(100), nullable=False),
        sa.Column("partner", sa.String(100)),
        sa.Column("certified_on", sa.Date, nullable=False),
        sa.Column("certificate_expires", sa.Date),
        sa.Column("cor_granted", sa.Date, nullable=False),
        sa.Column("cor_valid_until", sa.Date, nullable=False),
        sa.UniqueConstraint("employer_id", "cor_granted"),
    )
    op.create_table(
        "equivalency_proofs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("equivalency_id", sa.Integer, sa.ForeignKey("equivalencies.id"), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("received", sa.Date, nullable=False),
        sa.Column("digest", sa.String(64)),
        sa.UniqueConstraint("equivalency_id", "year"),
    )


def downgrade() -> None:
    op.drop_table("equivalency_proofs")
    op.drop_table("equivalencies")
    with op.batch_alter_table("audits") as batch:
        batch.drop_index("audits_by_auditor")
    op.drop_table("auditor_qualifications")

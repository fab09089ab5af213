"""The registry's first tables: employers, auditors, audits, certificates.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "employers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(300), nullable=False, unique=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("wcb_account", sa.String(100)),
        sa.Column("industry_code", sa.String(300)),
    )
    op.create_table(
        "auditors",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.UniqueConstraint("name", "kind"),
    )
    op.create_table(
        "audits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("employer_id", sa.Integer, sa.ForeignKey("employers.id"), nullable=False),
        sa.Column("auditor_id", sa.Integer, sa.ForeignKey("auditors.id"), nullable=False),
        sa.Column("standard", sa.String(200), nullable=False),
        sa.Column("standard_version", sa.String(100), nullable=False),
        sa.Column("audit_type", sa.String(60), nullable=False),
        sa.Column("audit_date", sa.Date, nullable=False),
        sa.Column("program", sa.String(100)),
        sa.Column("passed", sa.Boolean, nullable=False),
        sa.Column("certificate", sa.String(200)),
        sa.Column("overall_exact", sa.String(100)),
        sa.Column("audit_data", sa.JSON, nullable=False),
        sa.Column("score_data", sa.JSON, nullable=False),
        sa.Column("outcome_data", sa.JSON, nullable=False),
        sa.Column("result_document", sa.JSON, nullable=False),
    )
    op.create_index("audits_by_employer", "audits", ["employer_id", "audit_date"])
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("employer_id", sa.Integer, sa.ForeignKey("employers.id"), nullable=False),
        sa.Column("audit_id", sa.Integer, sa.ForeignKey("audits.id"), nullable=False, unique=True),
        sa.Column("certificate", sa.String(200), nullable=False),
        sa.Column("program", sa.String(100)),
        sa.Column("partner", sa.String(100)),
        sa.Column("valid_until", sa.Date),
        sa.Column("state", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("certificates")
    op.drop_index("audits_by_employer", "audits")
    op.drop_table("audits")
    op.drop_table("auditors")
    op.drop_table("employers")

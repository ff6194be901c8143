"""Authorisation codes (issue 17): a subject's 授权码 for a third party's 专项信用报告
(report_authorisations, only the code's HMAC) and the reports got with one
(report_authorised_uses).

Revision ID: 0019_report_authorisations
Revises: 0018_check_receipts
Create Date: 2026-12-04 05:20:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0019_report_authorisations"
down_revision = "0018_check_receipts"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UtcDateTime = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "report_authorisations",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("subject_id", BigId, sa.ForeignKey("subjects.id"), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("grantee", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("scope", JSON, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("expires_at", UtcDateTime, nullable=False),
        sa.Column("uses_left", sa.Integer(), nullable=False),
        sa.Column("revoked_at", UtcDateTime),
        sa.UniqueConstraint("code_hash"),
    )
    op.create_index(
        "ix_report_authorisations_subject", "report_authorisations", ["subject_id", "created_at"]
    )
    op.create_table(
        "report_authorised_uses",
        sa.Column("report_id", BigId, sa.ForeignKey("reports.id"), primary_key=True),
        sa.Column(
            "authorisation_id", BigId, sa.ForeignKey("report_authorisations.id"), nullable=False
        ),
    )
    op.create_index(
        "ix_report_authorised_uses_authorisation_id",
        "report_authorised_uses",
        ["authorisation_id"],
    )


def downgrade() -> None:
    op.drop_table("report_authorised_uses")
    op.drop_index("ix_report_authorisations_subject", table_name="report_authorisations")
    op.drop_table("report_authorisations")

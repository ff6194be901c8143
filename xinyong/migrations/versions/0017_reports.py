"""Credit reports (issue 17): reports (number, kind, subject, scope, as_of, issue time, who
asked and from whose view, the PDF's SHA-256) and report_files (the PDF as delivered).

Revision ID: 0017_reports
Revises: 0016_drawn_without_foreign_keys
Create Date: 2026-12-04 05:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0017_reports"
down_revision = "0016_drawn_without_foreign_keys"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UtcDateTime = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("subject_id", BigId, sa.ForeignKey("subjects.id"), nullable=False),
        sa.Column("scope", JSON, nullable=False),
        sa.Column("as_of", UtcDateTime, nullable=False),
        sa.Column("issued_at", UtcDateTime, nullable=False),
        sa.Column("requested_by", sa.String(64), nullable=False),
        sa.Column("department_id", BigId, sa.ForeignKey("departments.id")),
        sa.Column("viewer", JSON),
        sa.Column("public_view", sa.Boolean(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_reports_subject_kind", "reports", ["subject_id", "kind", "issued_at"])
    op.create_table(
        "report_files",
        sa.Column("report_id", BigId, sa.ForeignKey("reports.id"), primary_key=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("report_files")
    op.drop_index("ix_reports_subject_kind", table_name="reports")
    op.drop_table("reports")

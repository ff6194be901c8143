"""Check receipts (issue 17): the printed 联合奖惩核查结果 of a check, numbered and kept as first
printed (check_receipts).

Revision ID: 0018_check_receipts
Revises: 0017_reports
Create Date: 2026-12-04 05:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_check_receipts"
down_revision = "0017_reports"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UtcDateTime = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "check_receipts",
        sa.Column("check_id", BigId, sa.ForeignKey("checks.id"), primary_key=True),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("issued_at", UtcDateTime, nullable=False),
        sa.Column("issued_by", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("number"),
    )


def downgrade() -> None:
    op.drop_table("check_receipts")

"""The subject registry from registration sources (issue 15): subjects.verified (待核实 when
false), subject_profiles (基本信息 from the latest registration record) and subject_changes
(their history). Subjects already stored are kept verified: they were registered before the
registry had sources, and hiding them would empty a running platform's public site.

Revision ID: 0012_subject_registry
Revises: 0011_record_source_hash
Create Date: 2026-12-03 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_subject_registry"
down_revision = "0011_record_source_hash"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UtcDateTime = sa.DateTime(timezone=True)


def upgrade() -> None:
    # A plain ADD COLUMN, not a batch copy of the table: on SQLite the copy would drop the
    # triggers that keep the name search index (migration 0003).
    op.add_column(
        "subjects", sa.Column("verified", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.create_index("ix_subjects_unverified", "subjects", ["verified", "id"])
    op.create_table(
        "subject_profiles",
        sa.Column("subject_id", BigId, sa.ForeignKey("subjects.id"), primary_key=True),
        sa.Column("legal_representative", sa.String(100)),
        sa.Column("organisation_type", sa.String(100)),
        sa.Column("founded_on", sa.Date()),
        sa.Column("authority", sa.String(200)),
        sa.Column("address", sa.String(300)),
        sa.Column("capital", sa.Numeric(20, 6)),
        sa.Column("currency", sa.String(20)),
        sa.Column("scope", sa.Text()),
        sa.Column("approved_on", sa.Date()),
        sa.Column("term_until", sa.Date()),
        sa.Column("item_code", sa.String(32), nullable=False),
        sa.Column("record_id", BigId, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "subject_changes",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("subject_id", BigId, sa.ForeignKey("subjects.id"), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("old_value", sa.Text()),
        sa.Column("new_value", sa.Text()),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("record_id", BigId, nullable=False),
        sa.Column("recorded_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_subject_changes_subject", "subject_changes", ["subject_id", "changed_on"])


def downgrade() -> None:
    op.drop_index("ix_subject_changes_subject", table_name="subject_changes")
    op.drop_table("subject_changes")
    op.drop_table("subject_profiles")
    op.drop_index("ix_subjects_unverified", table_name="subjects")
    op.drop_column("subjects", "verified")  # SQLite ≥ 3.35 drops a column in place

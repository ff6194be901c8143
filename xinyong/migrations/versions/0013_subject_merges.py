"""Merging subjects found to be one (重错码, issue 15): subjects.merged_into, subject_merges
(who merged which into which, why, and its reversal) and subject_moves (the rows each merge
moved, so that a reversal moves exactly those back).

Revision ID: 0013_subject_merges
Revises: 0012_subject_registry
Create Date: 2026-12-04 01:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_subject_merges"
down_revision = "0012_subject_registry"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UtcDateTime = sa.DateTime(timezone=True)


def upgrade() -> None:
    # A plain ADD COLUMN (see 0012): a batch copy would drop SQLite's name search triggers.
    # SQLite takes the reference only inline; Alembic would add it as a separate constraint.
    if op.get_context().dialect.name == "sqlite":
        op.execute("ALTER TABLE subjects ADD COLUMN merged_into INTEGER REFERENCES subjects (id)")
    else:
        op.add_column("subjects", sa.Column("merged_into", BigId, sa.ForeignKey("subjects.id")))
    op.create_table(
        "subject_merges",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("survivor_id", BigId, sa.ForeignKey("subjects.id"), nullable=False),
        sa.Column("absorbed_id", BigId, sa.ForeignKey("subjects.id"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("merged_by", sa.String(64), nullable=False),
        sa.Column("merged_at", UtcDateTime, nullable=False),
        sa.Column("took_uscc", sa.Boolean(), nullable=False),
        sa.Column("took_verified", sa.Boolean(), nullable=False),
        sa.Column("took_profile", sa.Boolean(), nullable=False),
        sa.Column("status_before", sa.String(16)),
        sa.Column("reversed_by", sa.String(64)),
        sa.Column("reversed_at", UtcDateTime),
        sa.Column("reverse_reason", sa.Text()),
    )
    op.create_index("ix_subject_merges_survivor_id", "subject_merges", ["survivor_id"])
    op.create_index("ix_subject_merges_absorbed_id", "subject_merges", ["absorbed_id"])
    op.create_table(
        "subject_moves",
        sa.Column("merge_id", BigId, sa.ForeignKey("subject_merges.id"), primary_key=True),
        sa.Column("table_name", sa.String(64), primary_key=True),
        sa.Column("row_id", BigId, primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("subject_moves")
    op.drop_table("subject_merges")
    op.drop_column("subjects", "merged_into")  # SQLite ≥ 3.35 drops a column in place

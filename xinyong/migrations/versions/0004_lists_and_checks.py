"""lists and checks

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 19:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "check_batches",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("matter", sa.String(length=32), nullable=False),
        sa.Column(
            "department_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_check_batches_department_id_departments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_batches")),
    )
    with op.batch_alter_table("check_batches", schema=None) as batch_op:
        batch_op.create_index(
            "ix_check_batches_department", ["department_id", "asked_at"], unique=False
        )

    op.create_table(
        "checks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("batch_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("identifier", sa.String(length=255), nullable=False),
        sa.Column(
            "lists",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "measures",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("measure_codes", sa.String(length=255), nullable=False),
        sa.Column("hit", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["check_batches.id"], name=op.f("fk_checks_batch_id_check_batches")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_checks_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checks")),
    )
    with op.batch_alter_table("checks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checks_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "list_cases",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("list_type", sa.String(length=32), nullable=False),
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "department_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("document_number", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("statement_due", sa.Date(), nullable=True),
        sa.Column("statement", sa.Text(), nullable=True),
        sa.Column("listed_on", sa.Date(), nullable=True),
        sa.Column("record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("close_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_list_cases_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_list_cases_record_id_records")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_list_cases_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_cases")),
    )
    with op.batch_alter_table("list_cases", schema=None) as batch_op:
        batch_op.create_index("ix_list_cases_subject", ["subject_id", "list_type"], unique=False)

    op.create_table(
        "check_feedback",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("check_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("measure_code", sa.String(length=32), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["check_id"], ["checks.id"], name=op.f("fk_check_feedback_check_id_checks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_feedback")),
    )
    with op.batch_alter_table("check_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_check_feedback_check_id"), ["check_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("check_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_check_feedback_check_id"))

    op.drop_table("check_feedback")
    with op.batch_alter_table("list_cases", schema=None) as batch_op:
        batch_op.drop_index("ix_list_cases_subject")

    op.drop_table("list_cases")
    with op.batch_alter_table("checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checks_batch_id"))

    op.drop_table("checks")
    with op.batch_alter_table("check_batches", schema=None) as batch_op:
        batch_op.drop_index("ix_check_batches_department")

    op.drop_table("check_batches")

"""what the subject's side needs (issue 13): files handed in with cases, the applicant's overall
deadline, the change feed, numbered notices, partner keys

Revision ID: 0009_subject_cases
Revises: 0008_applicants
Create Date: 2026-12-05 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_subject_cases"
down_revision = "0008_applicants"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answer_due", sa.Date(), nullable=True))
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("partner", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "case_files",
        sa.Column("id", ID, nullable=False),
        sa.Column("case_id", ID, nullable=False),
        sa.Column("material", sa.String(length=32), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", MOMENT, nullable=False),
        sa.Column("uploaded_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_files_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_files")),
    )
    with op.batch_alter_table("case_files", schema=None) as batch_op:
        batch_op.create_index("ix_case_files_case", ["case_id"], unique=False)
    op.create_table(
        "record_changes",
        sa.Column("id", ID, nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("subject_id", ID, nullable=False),
        sa.Column("item_code", sa.String(length=32), nullable=False),
        sa.Column("change", sa.String(length=32), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("case_id", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_record_changes_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_record_changes_record_id_records")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_record_changes_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_changes")),
    )
    with op.batch_alter_table("record_changes", schema=None) as batch_op:
        batch_op.create_index("ix_record_changes_record", ["record_id"], unique=False)
    op.create_table(
        "notices",
        sa.Column("id", ID, nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("subject_id", ID, nullable=False),
        sa.Column("department_id", ID, nullable=True),
        sa.Column("issued_at", MOMENT, nullable=False),
        sa.Column("issued_by", sa.String(length=64), nullable=False),
        sa.Column("activation_code_id", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["activation_code_id"],
            ["activation_codes.id"],
            name=op.f("fk_notices_activation_code_id_activation_codes"),
        ),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_notices_department_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_notices_record_id_records")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_notices_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint("kind", "record_id", name=op.f("uq_notices_kind_record_id")),
        sa.UniqueConstraint("number", name=op.f("uq_notices_number")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notices_subject_id"), ["subject_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notices_subject_id"))
    op.drop_table("notices")
    with op.batch_alter_table("record_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_record_changes_record")
    op.drop_table("record_changes")
    with op.batch_alter_table("case_files", schema=None) as batch_op:
        batch_op.drop_index("ix_case_files_case")
    op.drop_table("case_files")
    # Not a batch: on SQLite it would copy `cases`, which other tables' keys point at.
    op.execute("ALTER TABLE api_keys DROP COLUMN partner")
    op.execute("ALTER TABLE cases DROP COLUMN answer_due")

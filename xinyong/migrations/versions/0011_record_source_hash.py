"""records.source_hash: rows sent again unchanged are recognised before they are checked
(issue 14, collection.unchanged)

Revision ID: 0011_record_source_hash
Revises: 0010_cases_answer_due
Create Date: 2026-12-03 11:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_record_source_hash"
down_revision = "0010_cases_answer_due"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_hash", sa.String(length=32), nullable=True))
        batch_op.create_index("ix_records_source", ["item_code", "source_hash"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index("ix_records_source")
        batch_op.drop_column("source_hash")
